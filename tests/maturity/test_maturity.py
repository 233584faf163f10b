"""The digital maturity index: the formula on the worked example of docs/maturity.md, the
stored figures, freshness after a publish, the management command and the trend page."""

import datetime
import io

import pytest
from django.core.management import call_command

from stegvis.maturity import figures as maturity
from stegvis.maturity.models import MaturityFigure
from tests import factories as f


def stored(world, scope, scope_id, area_key=""):
    return MaturityFigure.objects.get(
        organizer=world.org, round=world.rnd, scope=scope, scope_id=scope_id, area_key=area_key
    )


def test_indicator_score_runs_from_0_at_level_1_to_100_at_the_top():
    assert [maturity.indicator_score(level=n, top=4) for n in (1, 2, 3, 4)] == pytest.approx([0, 100 / 3, 200 / 3, 100])


def test_unit_scores_leave_out_not_relevant_and_unanswered_indicators():
    area_of = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b", 7: "c"}
    cells = [
        (1, 4, False),
        (2, 2, False),
        (3, 3, False),
        (4, 1, False),
        (5, 1, False),
        (6, None, True),
        (7, None, False),
    ]
    figures = maturity.unit_scores(cells=cells, top=4, area_of=area_of)
    assert figures == pytest.approx({"a": 66.667, "b": 0, "": 33.333}, abs=0.001)  # area c has no answer: left out
    assert maturity.unit_scores(cells=[(7, None, False)], top=4, area_of=area_of) == {}


def test_worked_example_units_district_and_organiser(world, example):
    maturity.refresh_maturity(organizer=world.org, round=world.rnd)
    Scope = MaturityFigure.Scope
    assert stored(world, Scope.UNIT, world.unit.pk, "area-1").value == pytest.approx(66.667, abs=0.001)
    assert stored(world, Scope.UNIT, world.unit.pk, "area-2").value == pytest.approx(0)
    assert stored(world, Scope.UNIT, world.unit.pk).value == pytest.approx(33.333, abs=0.001)
    assert stored(world, Scope.UNIT, example.pk).value == pytest.approx(66.667, abs=0.001)
    norra = stored(world, Scope.DISTRICT, world.district.pk)
    assert (norra.value, norra.unit_count) == (pytest.approx(50), 2)
    assert stored(world, Scope.DISTRICT, world.district.pk, "area-2").value == pytest.approx(33.333, abs=0.001)
    org = stored(world, Scope.ORGANIZER, world.org.pk)
    assert (org.value, org.unit_count) == (pytest.approx(66.667, abs=0.001), 3)
    assert stored(world, Scope.ORGANIZER, world.org.pk, "area-1").value == pytest.approx(77.778, abs=0.001)


def test_maturity_page_shows_the_organisers_figures_and_a_chart_with_a_table(client, world, example):
    client.force_login(world.vera)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Läsår 2026/27" in row
    assert [
        c.split("</td>")[0].replace("<strong>", "").replace("</strong>", "") for c in row.split('<td class="num">')[1:]
    ] == ["67", "78", "56", "3 of 3", "–"]  # total, areas, units included, change over the same units
    assert "<svg" in html and 'class="line-chart"' in html


def test_figures_are_current_right_after_a_publish(client, world, framework, example):
    client.force_login(world.alice)
    client.get("/mittkoping/overview/maturity/")
    assert stored(world, MaturityFigure.Scope.ORGANIZER, world.org.pk).value == pytest.approx(66.667, abs=0.001)
    # Ekskolan publishes a new version with every indicator at the top level.
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    # (100 + 66.7 + 100) / 3 = 88.9
    assert "<strong>89</strong>" in html
    assert maturity.ensure_fresh(organizer=world.org, rounds=[world.rnd]) == []  # nothing changed since


def test_the_freshness_check_reads_no_cells_and_still_sees_every_rebuild(client, world, example):
    """The maturity page at 600 units spent most of its time aggregating the rounds' PlanCell
    rows to tell whether they changed; a version per round, moved by every rebuild, tells it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stegvis.planning import domain as planning
    from stegvis.planning.models import ActionPlan

    client.force_login(world.alice)
    client.get("/mittkoping/overview/maturity/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/mittkoping/overview/maturity/").status_code == 200
    assert not [q for q in ctx if '"overview_plancell"' in q["sql"]]
    assert maturity.ensure_fresh(organizer=world.org, rounds=[world.rnd]) == []
    # an action added to a plan rebuilds that unit's cells: the check sees it
    plan = ActionPlan.objects.filter(unit=world.unit, round=world.rnd).first()
    planning.add_action(plan=plan, by=world.bob, title="Åtgärd", priority=1)
    assert maturity.ensure_fresh(organizer=world.org, rounds=[world.rnd]) == [world.rnd]
    # a new version published with every indicator at the top: the page shows it at once
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    assert "<strong>89</strong>" in client.get("/mittkoping/overview/maturity/").content.decode()


def test_a_unit_moving_district_refreshes_the_district_figures(world, example):
    maturity.ensure_fresh(organizer=world.org, rounds=[world.rnd])
    world.other_unit.district = world.district
    world.other_unit.save()
    assert maturity.ensure_fresh(organizer=world.org, rounds=[world.rnd]) == [world.rnd]
    assert stored(world, MaturityFigure.Scope.DISTRICT, world.district.pk).unit_count == 3


def test_trend_over_rounds_oldest_first_without_a_national_line_for_one_organiser(client, world, framework, example):
    old = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.published_assessment(world.unit, old, by=world.bob, level=1)
    # one other organiser on the same framework in the same school year, both sharing
    world.org.share_national = True
    world.org.save()
    world.other_org.share_national = True
    world.other_org.save()
    other_unit = f.UnitFactory(organizer=world.other_org)
    other_round = f.make_round(world.other_org, framework, name="HT 2026", opens_on=datetime.date(2026, 9, 1))
    f.published_assessment(other_unit, other_round, by=world.charlie, level=2)
    call_command("refresh_maturity", stdout=io.StringIO())
    national = MaturityFigure.unscoped.get(scope="national", period="2026/27", area_key="")
    assert (national.value, national.unit_count) == (pytest.approx((33.333 + 66.667 + 100 + 33.333) / 4, abs=0.001), 4)
    assert national.organizer_count == 2
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    body = html.split("<tbody>", 1)[1]
    assert body.index("Läsår 2025/26") < body.index("Läsår 2026/27")  # oldest first
    first = body.split("</tr>", 1)[0]
    assert "<strong>0</strong>" in first  # every indicator at level 1
    # one other organiser is far from the minimum: no national line, and a sentence says why
    assert "National average" not in html and ">58</td>" not in body
    assert "at least 5 other organisers" in html
    assert "Annanstad" not in html


def test_district_lead_sees_own_district_and_the_organiser_not_other_districts(client, world, example):
    client.force_login(world.dave)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "Norra" in html and "Södra" not in html and "Björkskolan" not in html
    assert ">50</td>" in html


def test_school_year_groups_national_figures():
    assert maturity.school_year(datetime.date(2026, 8, 15)) == "2026/27"
    assert maturity.school_year(datetime.date(2027, 3, 1)) == "2026/27"
    assert maturity.school_year(datetime.date(2099, 7, 1)) == "2099/00"
