"""A survey from start to results: the principal opens a survey for the unit, six pupils (five
in 4A, one in 4B) and six staff answer on a phone-sized Chromium, and the principal reads the
results beside their own levels, with the class of one hidden and its complement hidden too.
axe-core on the answer pages and the survey pages."""

import datetime
import re

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def open_survey_in_the_ui(page, live_server, world, group_label, codes=()):
    page.goto(f"{live_server.url}/mittkoping/surveys/new/")
    page.select_option("#id_round", str(world.rnd.pk))
    page.select_option("#id_respondent_group", label=group_label)
    page.check(f"input[name=units][value='{world.unit.pk}']")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/surveys/\d+/$"))
    for code in codes:
        page.select_option("#id_code-unit", str(world.unit.pk))
        page.fill("#id_code-code", code)
        page.get_by_role("button", name="Lägg till gruppkoden").click()
        page.wait_for_url(re.compile(r".*/surveys/\d+/$"))
    return int(page.url.rstrip("/").split("/")[-1])


def answer_on_a_phone(browser, url, *, choice, check_a11y=None, name=""):
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    assert page.goto(url).status == 200
    if check_a11y:
        check_a11y(page, f"survey-{name}-intro")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.get_by_role("button", name="Börja enkäten").click()
    screen = 0
    while True:
        screen += 1
        for fieldset in page.locator("fieldset.survey-question").all():
            fieldset.get_by_label(choice, exact=True).check()
        if check_a11y and screen == 1:
            check_a11y(page, f"survey-{name}-screen")
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        send = page.get_by_role("button", name="Skicka mina svar")
        if send.count():
            page.locator("textarea").first.fill("Mer tid att prova tillsammans.") if page.locator(
                "textarea"
            ).count() else None
            send.click()
            break
        page.get_by_role("button", name="Nästa").click()
    page.wait_for_url("**/thanks/")
    assert "Tack för dina svar" in page.content()
    if check_a11y:
        check_a11y(page, f"survey-{name}-thanks")
    context.close()


def test_a_survey_from_opening_to_the_principals_results(live_server, browser, page, check_a11y):
    from django_scopes import scopes_disabled

    from stegvis.surveys import aggregate
    from stegvis.surveys.models import SurveyLink

    with scopes_disabled():
        framework = f.add_survey_questions(f.make_framework(areas=4, indicators=2))
        world = f.World.build(framework=framework)
        world.rnd.opens_on = datetime.date.today() - datetime.timedelta(days=30)
        world.rnd.save()
        f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)

    login(page, live_server, "bob@example.se")
    pupils_id = open_survey_in_the_ui(page, live_server, world, "Elever", codes=["4A", "4B"])
    check_a11y(page, "survey-detail")
    staff_id = open_survey_in_the_ui(page, live_server, world, "Personal")

    with scopes_disabled():
        links = {
            (link.survey_id, link.code): f"{live_server.url}/t/{link.public_token}/survey/"
            for link in SurveyLink.objects.all()
        }
    answer_on_a_phone(
        browser, links[(pupils_id, "4A")], choice="Stämmer helt och hållet", check_a11y=check_a11y, name="pupil"
    )
    for _n in range(4):
        answer_on_a_phone(browser, links[(pupils_id, "4A")], choice="Stämmer helt och hållet")
    answer_on_a_phone(browser, links[(pupils_id, "4B")], choice="Stämmer inte alls")
    for _n in range(6):
        answer_on_a_phone(browser, links[(staff_id, "")], choice="Stämmer inte alls")

    with scopes_disabled():
        assert aggregate.refresh_changed() == 2  # the scheduler's job

    page.goto(f"{live_server.url}/mittkoping/units/{world.unit.pk}/survey-results/")
    html = page.content()
    assert "Rektors nivå" in html
    # the staff's figures beside the principal's level 3, the gap marked
    assert "skillnad: mycket lägre än rektor" in html
    codes = page.locator("table", has=page.locator("th", has_text="Gruppkod"))
    assert codes.locator("tr", has_text="4B").locator(".suppressed").count() == 1  # one answer: hidden
    assert codes.locator("tr", has_text="4A").locator(".suppressed").count() == 1  # its complement too
    check_a11y(page, "survey-unit-results")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    check_a11y(page, "survey-unit-results-phone")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # the survey pages of the organiser
    page.context.clear_cookies()
    login(page, live_server, "alice@example.se")
    indicators = f"/surveys/{staff_id}/results/indicators/"
    paths = ["/surveys/", "/surveys/new/", f"/surveys/{pupils_id}/", f"/surveys/{staff_id}/results/", indicators]
    for n, path in enumerate([*paths, f"{indicators}?district={world.district.pk}"]):
        assert page.goto(f"{live_server.url}/mittkoping{path}").status == 200, path
        check_a11y(page, f"survey-admin-{n:02d}")
    # the per-indicator table on a phone: it scrolls in its own box, the page does not
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/mittkoping{indicators}?district={world.district.pk}")
    check_a11y(page, "survey-indicators-phone")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
