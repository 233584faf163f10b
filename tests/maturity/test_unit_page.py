import datetime

from tests import factories as f


def test_unit_page_without_published_assessment_says_so(client, world):
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert "<svg" not in page
    assert "Ekskolan" in page


def test_unit_page_shows_radar_with_previous_round_and_text_alternative(client, world, framework):
    old_round = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.published_assessment(world.unit, old_round, by=world.bob, level=1)
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, levels={"A1.1": 4, "A1.2": 2, "A1.3": 3})
    from stegvis.planning import domain

    domain.add_action(plan=plan, by=world.bob, title="Kollegialt lärande", priority=1)
    client.force_login(world.dave)  # district lead of the unit's district
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert page.count("<svg") == 2
    assert "Läsår 2025/26" in page and "Läsår 2026/27" in page
    assert 'stroke-dasharray="6 4"' in page  # previous round drawn dashed
    assert '<td class="num">3.0</td>' in page or '<td class="num">3,0</td>' in page  # area 1 average (4+2+3)/3
    assert "Kollegialt lärande" in page


def test_home_lists_principals_units_with_start_button(client, world):
    client.force_login(world.bob)
    page = client.get("/mittkoping/").content.decode()
    assert "Ekskolan" in page and "Björkskolan" not in page
    assert f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/start/" in page


def test_home_for_admin_shows_publication_counts(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    page = client.get("/mittkoping/").content.decode()
    assert "1 av 2" in page or "1 of 2" in page


def test_unit_of_other_district_is_404_for_district_lead(client, world):
    client.force_login(world.dave)
    assert client.get(f"/mittkoping/units/{world.other_unit.pk}/").status_code == 404


def test_home_links_the_principal_to_the_latest_plan_with_open_actions(client, world):
    from stegvis.planning import domain

    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    domain.add_action(plan=plan, by=world.bob, title="Ett", priority=1)
    done = domain.add_action(plan=plan, by=world.bob, title="Två", priority=2)
    domain.update_action(action=done, by=world.bob, expected_revision=1, status="done")
    client.force_login(world.bob)
    page = client.get("/mittkoping/").content.decode()
    assert f"/mittkoping/plans/{plan.pk}/" in page and "1 open action" in page
