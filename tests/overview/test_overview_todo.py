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
    back = "?back=%2Fmittkoping%2Foverview%2Ftodo%2F%3Fpriority%3D1"  # the plan page leads back to this list
    assert f'<a href="/mittkoping/plans/{three_planning["Ekskolan"].pk}/{back}">Ekskolan</a>' in first
    assert f'<a href="/mittkoping/plans/{three_planning["Björkskolan"].pk}/{back}">Björkskolan</a>' in first
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


def test_todo_shows_owners_and_due_dates(client, world, framework):
    import datetime

    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    planning.add_action(
        plan=plan,
        by=world.bob,
        title="Fortbildning",
        priority=1,
        indicator=framework.indicators.get(code="A1.1"),
        owner="Biträdande rektor Ali",
        due_date=datetime.date(2027, 3, 1),
    )
    client.force_login(world.alice)
    body = client.get("/mittkoping/overview/todo/").content.decode().split("<tbody>", 1)[1]
    assert "Biträdande rektor Ali" in body and "2027-03-01" in body


def test_the_plan_page_leads_back_to_the_todo_list_as_it_was_filtered(client, world, three_planning):
    client.force_login(world.alice)
    plan = three_planning["Ekskolan"]
    page = client.get(
        f"/mittkoping/plans/{plan.pk}/?back=/mittkoping/overview/todo/%3Fpriority%3D1%26district%3D{world.district.pk}"
    ).content.decode()
    assert f'href="/mittkoping/overview/todo/?priority=1&amp;district={world.district.pk}"' in page
    assert "Back to the to-do list" in page
    # only a page of the overview, never another site
    for bad in ("https://evil.example/", "//evil.example/mittkoping/overview/", "/annanstad/overview/"):
        page = client.get(f"/mittkoping/plans/{plan.pk}/", {"back": bad}).content.decode()
        assert "Back to the to-do list" not in page


def test_the_overview_tabs_keep_the_filters(client, world, three_planning):
    client.force_login(world.alice)
    page = client.get(f"/mittkoping/overview/todo/?district={world.district.pk}&priority=1").content.decode()
    nav = page.split('class="subnav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="/mittkoping/overview/?district={world.district.pk}&amp;priority=1&amp;round={world.rnd.pk}"' in nav
    assert (
        f'href="/mittkoping/overview/status/?district={world.district.pk}&amp;priority=1&amp;round={world.rnd.pk}"'
        in nav
    )


def test_tags_show_their_names_in_the_users_language(client, world, framework):
    framework.tag_names = {"tag": {"sv": "Strategi och ledning", "en": "Strategy and leadership"}}
    framework.save()
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    client.cookies["django_language"] = "sv"
    page = client.get("/mittkoping/overview/").content.decode()
    assert '<option value="tag">Strategi och ledning</option>' in page
    client.cookies["django_language"] = "en"
    page = client.get("/mittkoping/overview/todo/").content.decode()
    assert '<option value="tag">Strategy and leadership</option>' in page
    framework.tag_names = {}
    framework.save()
    page = client.get("/mittkoping/overview/todo/").content.decode()
    assert '<option value="tag">Tag</option>' in page  # no name: made readable from the key
