"""The organiser's goals in a real browser: a goal set from the library shows its baseline; a
new round is published and the follow-up updates by itself; a certification rule lists the
units that meet it; the council indicator's page. axe-core on every page."""

import datetime

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_goal_from_the_library_follow_up_and_certification(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        framework = f.make_framework(areas=2, indicators=2)
        world = f.World.build(framework=framework)
        f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice@example.se")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    # a goal from the library: every unit has published
    page.goto(f"{live_server.url}/mittkoping/goals/library/")
    check_a11y(page, "goals-01-library")
    page.locator("tr", has_text="Alla enheter har publicerat sin värdering i tid").get_by_role("link").click()
    page.wait_for_url("**/goals/new/?template=all-published")
    with scopes_disabled():
        page.select_option("#id_baseline_round", str(world.rnd.pk))
    page.fill("#id_target_date", "2028-06-30")
    check_a11y(page, "goals-02-form")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/goals/*/")
    facts = page.locator("dl.facts").inner_text()
    assert "50 %" in facts and "vilar på 2 enheter" in facts  # one of two units has published
    check_a11y(page, "goals-03-baseline")
    goal_url = page.url

    # a new round: both units publish, and the follow-up follows by itself
    with scopes_disabled():
        later = f.make_round(world.org, framework, name="Läsår 2027/28", opens_on=datetime.date(2026, 11, 1))
        f.published_assessment(world.unit, later, by=world.bob, level=3)
        f.published_assessment(world.other_unit, later, by=world.eve, level=2)
    page.goto(goal_url)
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Läsår 2027/28" in rows.nth(1).inner_text() and "100 %" in rows.nth(1).inner_text()
    assert "Uppnått" in page.locator("h1").inner_text()
    check_a11y(page, "goals-04-follow-up")

    # a certification rule: every indicator of area 1 at level 3 or above
    page.goto(f"{live_server.url}/mittkoping/goals/certification/")
    page.get_by_role("link", name="Ny certifieringsregel").click()
    page.fill("#id_name", "Digital certifiering")
    page.select_option("#id_over", "area")
    page.select_option("#id_area_key", "area-1")
    page.fill("#id_every_at_least", "3")
    check_a11y(page, "goals-05-rule-form")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/goals/certification/")
    table = page.locator("main table tbody").inner_text()
    assert "Ekskolan" in table and "Björkskolan" in table
    page.select_option("#id_status", "yes")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/certification/?*status=yes*")
    table = page.locator("main table tbody").inner_text()
    assert "Ekskolan" in table and "Björkskolan" not in table
    assert "1 av 2 enheter certifierade" in page.content()
    check_a11y(page, "goals-06-certified")

    # the council indicator: the maturity index over both rounds
    page.goto(f"{live_server.url}/mittkoping/goals/council/")
    assert page.locator("figure svg").count() == 1
    assert "Läsår 2027/28" in page.locator("main table").first.inner_text()
    check_a11y(page, "goals-07-council")
