"""The local digital plan in Chromium: a principal drafts the unit's plan from the published
assessment, edits it (a bullet list and bold, an attempted tag shown as text), picks goals, adopts
it and downloads its PDF; the organiser then sees the unit as adopted in the list and on the goals
page. axe on every page, and the plan at phone width."""

import datetime
import io

import pytest
from pdfminer.high_level import extract_text

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_a_principal_drafts_edits_and_adopts_the_digital_plan(live_server, page, browser, check_a11y):
    from django_scopes import scopes_disabled

    from stegvis.goals import domain as goals
    from stegvis.planning import domain as planning

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=2, indicators=2))
        _assessment, plan = f.published_assessment(
            world.unit, world.rnd, by=world.bob, levels={"A1.1": 4, "A1.2": 3, "A2.1": 1, "A2.2": 2}
        )
        planning.add_action(
            plan=plan,
            by=world.bob,
            title="Fortbildning i lärplattformen",
            priority=1,
            indicator=world.rnd.framework.indicators.get(code="A2.1"),
        )
        goals.set_goal(
            organizer=world.org,
            by=world.bob,
            title="Alla i arbetslagen använder lärplattformen",
            scope="unit",
            unit=world.unit,
            measure="actions_done",
            baseline_round=world.rnd,
            target_value=100,
            target_date=datetime.date(2028, 6, 30),
        )
    base = f"{live_server.url}/mittkoping"
    login(page, live_server, "bob@example.se")

    # from the goals page to the unit's plan, and a draft written from the data
    page.goto(f"{base}/goals/")
    page.get_by_role("link", name="Lokala digitala planer").first.click()
    check_a11y(page, "digital-plan-list-principal")
    page.get_by_role("link", name="Ekskolan").click()
    check_a11y(page, "digital-plan-none")
    page.get_by_role("button", name="Skriv ett utkast till planen").click()
    page.wait_for_url("**/edit/")
    assert "Fortbildning i lärplattformen" in page.input_value("#id_food_for_thought")
    assert "Styrkor:" in page.input_value("#id_food_for_thought")
    assert page.is_checked("text=Alla i arbetslagen använder lärplattformen")
    check_a11y(page, "digital-plan-edit")

    # the principal's own words, with a list and bold; a tag stays text
    page.fill(
        "#id_leadership", "Ledningsgruppen träffas **varje vecka**.\n\n- Uppföljning i mars\n- <i>Kvalitetsdialog</i>"
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**/goals/plans/*/")
    leadership = page.locator("#sec-leadership + .plan-text")
    assert leadership.locator("strong").inner_text() == "varje vecka"
    assert leadership.locator("li").all_inner_texts() == ["Uppföljning i mars", "<i>Kvalitetsdialog</i>"]
    assert "Utkast" in page.locator("h1").inner_text()
    check_a11y(page, "digital-plan-draft")

    # adopt: read-only afterwards
    page.get_by_role("link", name="Anta planen").click()
    check_a11y(page, "digital-plan-adopt-confirm")
    page.get_by_role("button", name="Anta planen").click()
    assert "Antagen" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Redigera planen").count() == 0
    assert page.get_by_role("button", name="Starta en ny version").count() == 1
    check_a11y(page, "digital-plan-adopted")

    # the PDF
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ned planen som PDF").click()
    with open(info.value.path(), "rb") as downloaded:
        text = extract_text(io.BytesIO(downloaded.read()))
    assert "Lokal digital plan – Ekskolan" in text
    flat = " ".join(text.split())
    assert "Ledningsgruppen träffas" in flat and "Uppföljning i mars" in flat
    assert "Alla i arbetslagen använder lärplattformen" in flat

    # at phone width
    phone = browser.new_context(locale="sv-SE", viewport=PHONE, storage_state=page.context.storage_state())
    small = phone.new_page()
    small.goto(page.url)
    check_a11y(small, "digital-plan-adopted-phone")
    phone.close()

    # the organiser sees it as adopted
    page.get_by_role("button", name="Logga ut").click()
    login(page, live_server, "alice@example.se")
    page.goto(f"{base}/goals/")
    assert "1 av 2 enheter har en antagen lokal digital plan" in page.locator("main").inner_text()
    page.get_by_role("link", name="Lokala digitala planer").first.click()
    page.select_option("#id_status", "adopted")
    page.get_by_role("button", name="Filtrera").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Ekskolan" in rows.first.inner_text() and "Antagen" in rows.first.inner_text()
    check_a11y(page, "digital-plan-list-organiser")
