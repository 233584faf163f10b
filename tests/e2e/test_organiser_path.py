"""The organiser's path in a real browser: overview, filter to priority-1 planned actions,
open a cell, export Excel; axe-core on every page."""

import io

import openpyxl
import pytest

from stegvis.planning import domain as planning
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_filters_overview_opens_cell_and_exports_excel(live_server, page, check_a11y, settings):
    from django_scopes import scopes_disabled

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with scopes_disabled():
        framework = f.make_framework(areas=3, indicators=2)
        world = f.World.build(framework=framework)
        _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
        first = plan.round.framework.indicators.order_by("area__order", "order").first()
        planning.add_action(plan=plan, by=world.bob, title="Gemensam fortbildning", priority=1, indicator=first)
        _a, other = f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
        planning.add_action(plan=other, by=world.eve, title="Lägre prioritet", priority=3, indicator=first)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice@example.se")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    page.goto(f"{live_server.url}/mittkoping/overview/")
    assert page.locator("table.grid tbody tr, table tbody tr").count() >= 2
    check_a11y(page, "11-overview")

    page.select_option("select[name=mode]", "plan")
    page.select_option("select[name=state]", "planned")
    page.select_option("select[name=priority]", "1")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/overview/?*priority=1*")
    check_a11y(page, "12-overview-priority-1")
    planned = page.locator("td.s-planned a")
    assert planned.count() == 1 and planned.first.inner_text().strip() == "1"
    assert "Ekskolan" in page.content() and "Björkskolan" not in page.content()

    planned.first.click()
    page.wait_for_load_state()
    assert "Gemensam fortbildning" in page.content()
    check_a11y(page, "13-cell-target")

    page.goto(f"{live_server.url}/mittkoping/exports/")
    check_a11y(page, "14-exports")
    page.select_option("select[name=export]", "overview.xlsx")
    with scopes_disabled():
        page.select_option("select[name=round]", str(world.rnd.pk))
    page.locator("main form button[type=submit]").click()
    link = page.locator("a.button.primary[href*='download']")
    link.wait_for()
    check_a11y(page, "15-export-done")
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as downloaded:
        workbook = openpyxl.load_workbook(io.BytesIO(downloaded.read()))
    values = [c.value for row in workbook.worksheets[0].iter_rows() for c in row]
    assert "Ekskolan" in values and "Björkskolan" in values
