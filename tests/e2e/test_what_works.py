"""What works in Chromium: the organiser admin opens the report from the goals page, reads the
caveat and the figures with their n, filters by school form; a principal sees the sentence under
the suggestion on the unit's action plan. axe on every page, at desktop and phone width."""

import pytest

from stegvis.goals import whatworks
from stegvis.organisations.models import Role
from tests import factories as f
from tests.goals.test_whatworks import _case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_the_report_and_the_sentence_on_the_plan(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        framework = f.make_framework()
        world = f.World.build(framework=framework)
        _first, second, _activity, units = _case(
            world.org, framework, did=6, did_rose=4, others=7, others_rose=2, by=world.alice
        )
        whatworks.refresh_changed()
        f.member(world.bob, world.org, Role.PRINCIPAL, unit=units[-1])
        plan = units[-1].action_plans.get(round=second)
    base = f"{live_server.url}/mittkoping"

    login(page, live_server, "alice@example.se")
    page.goto(f"{base}/goals/")
    page.get_by_role("link", name="Vad som fungerar").click()
    page.wait_for_url(f"{base}/goals/what-works/")
    assert "Ett samband, inget bevis." in page.locator(".caveat").inner_text()
    row = page.get_by_role("row", name="A1.1 · Aktivitet A1.1 till 2")
    assert "4 av 6 (67 %)" in row.inner_text() and "2 av 7 (29 %)" in row.inner_text()
    check_a11y(page, "what-works-report")
    page.select_option("#id_school_form", "forskola")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**school_form=forskola**")
    assert "Ingen aktivitet har siffror än" in page.content()
    page.set_viewport_size(PHONE)
    check_a11y(page, "what-works-report-phone")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "bob@example.se")
    page.goto(f"{base}/plans/{plan.pk}/")
    sentence = page.locator("p.outcome").first.inner_text()
    assert sentence == (
        "I Mittköpings kommun: 4 av 6 enheter som gjorde detta steg minst ett steg till nästa omgång, "
        "mot 2 av 7 som inte gjorde det."
    )
    check_a11y(page, "what-works-plan")
