"""The to-do list: planned actions across units, grouped by indicator."""

import pytest

from stegvis.planning import domain as planning
from tests import factories as f


@pytest.fixture
def three_planning(world, framework):
    """Three units plan A1.2 (two at priority 1, one at 2); one unit also plans A2.1 at priority 1."""
    ind = {c: framework.indicators.get(code=c) for c in ("A1.2", "A2.1")}
    aspen = f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    units = {}
    for unit, prio in ((world.unit, 1), (world.other_unit, 1), (aspen, 2)):
        _a, plan = f.published_assessment(unit, world.rnd, by=world.alice)
        planning.add_action(
            plan=plan, by=world.alice, title="Digitala verktyg i undervisningen", priority=prio, indicator=ind["A1.2"]
        )
        units[unit.name] = plan
    planning.add_action(
        plan=units["Ekskolan"], by=world.alice, title="Lösenordsrutiner", priority=1, indicator=ind["A2.1"]
    )
    return units


def test_todo_groups_priority_1_actions_by_indicator_with_units_linked(client, world, three_planning):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/todo/?priority=1").content.decode()
    body = html.split("<tbody>", 1)[1]
    first, second = body.split("<tr>")[1:3]
    assert "A1.2" in first and '<td class="num">2</td>' in first  # two units plan it at priority 1
    assert f'<a href="/mittkoping/plans/{three_planning["Ekskolan"].pk}/">Ekskolan</a>' in first
    assert f'<a href="/mittkoping/plans/{three_planning["Björkskolan"].pk}/">Björkskolan</a>' in first
    assert "Aspskolan" not in first  # priority 2
    assert "Digitala verktyg i undervisningen" in first and "× 2" in first
    assert "A2.1" in second and '<td class="num">1</td>' in second and "Lösenordsrutiner" in second


def test_todo_without_priority_filter_counts_every_planned_unit(client, world, three_planning):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/todo/").content.decode()
    first = html.split("<tbody>", 1)[1].split("<tr>")[1]
    assert "A1.2" in first and '<td class="num">3</td>' in first and "Aspskolan" in first


def test_todo_for_district_lead_counts_only_the_district(client, world, three_planning):
    client.force_login(world.dave)
    html = client.get("/mittkoping/overview/todo/?priority=1").content.decode()
    assert "Björkskolan" not in html
    first = html.split("<tbody>", 1)[1].split("<tr>")[1]
    assert "A1.2" in first and '<td class="num">1</td>' in first


def test_todo_is_403_for_contributors(client, world):
    client.force_login(world.carol)
    assert client.get("/mittkoping/overview/todo/").status_code == 403


def test_todo_leaves_out_inactive_units(client, world, three_planning):
    f.deactivate(world.other_unit, by=world.alice)
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/todo/?priority=1").content.decode()
    first = html.split("<tbody>", 1)[1].split("<tr>")[1]
    assert "A1.2" in first and '<td class="num">1</td>' in first and "Björkskolan" not in html
