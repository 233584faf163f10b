"""People on keyboards and phones: autosave keeps the focus where it was, and no page is wider
than a 390 px phone (wide tables scroll inside their own box)."""

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_autosave_keeps_the_focus_on_the_level_so_the_arrow_keys_go_on_working(live_server, page):
    from django_scopes import scopes_disabled

    from stegvis.assessments import domain
    from stegvis.assessments.models import Answer

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=1, indicators=2))
        draft, _ = domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    login(page, live_server, "bob@example.se")
    page.goto(f"{live_server.url}/mittkoping/assessments/{draft.pk}/areas/area-1/")
    first = page.locator("section.indicator").first
    first.locator("input[value='1']").focus()
    for expected in ("2", "3"):
        with page.expect_response(lambda r: "/indicators/" in r.url):
            page.keyboard.press("ArrowDown")
        page.locator("section.indicator").first.locator(".save-status.saved").wait_for()
        page.wait_for_timeout(100)  # htmx settles
        focused = page.evaluate(
            "document.activeElement && [document.activeElement.tagName, document.activeElement.value]"
        )
        assert focused == ["INPUT", expected], focused
    with scopes_disabled():
        assert Answer.objects.get(assessment=draft, indicator__code="A1.1").level == 3
    # the comment keeps the focus too, with what was typed
    box = page.locator("section.indicator").first.locator("textarea")
    box.focus()
    with page.expect_response(lambda r: "/indicators/" in r.url):
        page.keyboard.type("Vi har börjat")
    page.locator("section.indicator").first.locator(".save-status.saved").wait_for()
    page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type(".")
    assert page.locator("section.indicator").first.locator("textarea").input_value() == "Vi har börjat."


PHONE = {"width": 390, "height": 844}


def crowded_world():
    """Data that makes tables wide: long unit and district names, actions with owners."""
    import datetime

    from stegvis.planning import domain as planning

    framework = f.make_framework(areas=4, indicators=3)
    world = f.World.build(framework=framework)
    world.unit.name = "Ekskolans grundskola och fritidshem, avdelning Norra"
    world.unit.save()
    old = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.published_assessment(world.unit, old, by=world.bob, level=1)
    assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    for n, ind in enumerate(framework.indicators.all()[:4]):
        planning.add_action(
            plan=plan,
            by=world.bob,
            title=f"Kollegialt lärande om digitala verktyg i undervisningen, del {n + 1}",
            priority=1 + n % 3,
            indicator=ind,
            owner="Biträdande rektor för årskurs 4–6",
            due_date=datetime.date(2027, 3, 1),
        )
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
    return world, assessment, plan


def test_no_page_is_wider_than_a_phone(live_server, browser):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world, assessment, plan = crowded_world()
        action = plan.actions.first()
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    page = context.new_page()
    login(page, live_server, "alice@example.se")
    paths = [
        "/",
        "/overview/",
        "/overview/?mode=plan",
        "/overview/todo/",
        "/overview/status/",
        "/overview/maturity/",
        "/overview/districts/",
        "/overview/spread/",
        f"/units/{world.unit.pk}/",
        f"/units/{world.unit.pk}/compare/",
        f"/plans/{plan.pk}/",
        f"/actions/{action.pk}/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/areas/area-1/",
        "/rounds/",
        "/exports/",
        f"/reports/board/?round={world.rnd.pk}",
        "/organisation/units/",
        "/organisation/users/",
        "/organisation/districts/",
    ]
    wide = {}
    for path in paths:
        url = f"{live_server.url}/mittkoping{path}"
        assert page.goto(url).status == 200, url
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    context.close()
    assert wide == {}, wide
