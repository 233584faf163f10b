"""A staff member's self-reflection on a phone-sized Chromium: the QR link's page, answering
without an account and without JavaScript, the profile with suggestions and the private link,
next year's comparison, and the principal's and admin's aggregate pages; axe on every page."""

import datetime

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="sv-SE", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_js(browser):
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def no_wider_than_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_staff_member_reflects_on_a_phone_and_compares_next_year(live_server, phone, phone_js, check_a11y):
    from django_scopes import scopes_disabled

    from stegvis.frameworks.loader import DEFAULT_FRAMEWORK, load_framework
    from stegvis.reflection import domain

    with scopes_disabled():
        framework, _ = load_framework(DEFAULT_FRAMEWORK)
        world = f.World.build(framework=framework)
        questionnaire = framework.self_reflection
        link = domain.create_start_link(organizer=world.org, questionnaire=questionnaire, by=world.alice)
        keys = questionnaire.area_keys
        for n in range(5):  # colleagues, so that the unit's figures show
            domain.start_reflection(start_link=link, unit=world.unit, levels={k: 2 + n % 2 for k in keys})

    # the start link, without JavaScript, on a phone: answering works with plain HTML
    phone.goto(f"{live_server.url}/t/{link.link_token}/reflection/start/")
    assert phone.locator("h1").inner_text().startswith("Min digitala kompetens")
    for key in keys:
        phone.locator(f"#area-{key}-1").check()
    phone.click("button[type=submit]")
    phone.wait_for_url("**/reflection/?new=1")
    assert phone.get_by_role("heading", name="Vad du kan pröva härnäst").is_visible()

    # the same with JavaScript (axe needs it): a missing area keeps the rest and is marked
    phone_js.goto(f"{live_server.url}/t/{link.link_token}/reflection/start/")
    check_a11y(phone_js, "reflection-start-phone")
    no_wider_than_the_phone(phone_js)
    for key in keys[:-1]:
        phone_js.locator(f"#area-{key}-2").check()
    phone_js.select_option("#id_unit", label="Ekskolan")
    phone_js.evaluate("document.querySelectorAll('input[required]').forEach(e => e.removeAttribute('required'))")
    phone_js.click("button[type=submit]")
    assert phone_js.locator(".errors").is_visible()
    assert phone_js.locator(f"#area-{keys[0]}-2").is_checked()
    check_a11y(phone_js, "reflection-start-error-phone")
    phone_js.locator(f"#area-{keys[-1]}-3").check()
    phone_js.click("button[type=submit]")
    phone_js.wait_for_url("**/reflection/?new=1")
    private = phone_js.url.split("?")[0]
    assert "Spara din privata länk nu" in phone_js.content()
    assert phone_js.locator("#private-url").input_value() == private
    check_a11y(phone_js, "reflection-profile-phone")
    no_wider_than_the_phone(phone_js)

    # a year later, the same private link: answer again and see both years
    with scopes_disabled():
        from stegvis.reflection.models import Reflection

        answered = Reflection.objects.latest("pk").responses.get()  # moved back one school year
        answered.school_year -= 1
        answered.answered_on -= datetime.timedelta(days=365)
        answered.save()
    phone_js.goto(private)
    phone_js.click("text=Svara för")
    for key in keys:
        phone_js.locator(f"#area-{key}-4").check()
    check_a11y(phone_js, "reflection-again-phone")
    phone_js.click("button[type=submit]")
    phone_js.wait_for_url(private)
    html = phone_js.content()
    assert "upp 2 nivåer" in html or "upp 1 nivå" in html
    check_a11y(phone_js, "reflection-compare-phone")
    no_wider_than_the_phone(phone_js)


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_the_aggregate_and_link_pages_pass_axe_on_a_phone(live_server, phone_js, check_a11y):
    from django_scopes import scopes_disabled

    from stegvis.reflection import domain
    from tests.reflection.helpers import make_questionnaire

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=2, indicators=2))
        q = make_questionnaire(world.rnd.framework)
        link = domain.create_start_link(organizer=world.org, questionnaire=q, unit=world.unit, by=world.alice)
        for n in range(6):
            domain.start_reflection(start_link=link, unit=None, levels={k: 1 + n % 4 for k in q.area_keys})
    login(phone_js, live_server, "alice@example.se")
    for path, name in [
        ("/mittkoping/reflection/", "reflection-home-admin-phone"),
        (f"/mittkoping/reflection/units/{world.unit.pk}/", "reflection-unit-phone"),
        (f"/mittkoping/reflection/links/{link.pk}/", "reflection-link-phone"),
    ]:
        phone_js.goto(live_server.url + path)
        check_a11y(phone_js, name)
        no_wider_than_the_phone(phone_js)
    assert phone_js.locator("svg.qr").is_visible()
