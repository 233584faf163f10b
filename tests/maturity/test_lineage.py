"""Frameworks are kept apart: trends, comparisons, the unit page, the board report and the
carrying over of open actions stay within one framework lineage (a framework key and its
versions, linked through ``previous`` also from an organiser's own version to a shipped one,
indicators followed through ``previous_key``)."""

import datetime
import re

import pytest
import time_machine

from stegvis.cycles import lineage
from stegvis.frameworks.models import Indicator
from stegvis.planning import domain as planning
from tests import factories as f


@pytest.fixture
def own(world):
    """The organiser's own framework (three areas) beside the shipped one, in a later round."""
    framework = f.make_framework(key="stadens", version="1", areas=3, indicators=2, organizer=world.org)
    rnd = f.make_round(world.org, framework, name="Stadens modell HT26", opens_on=datetime.date(2026, 9, 1))
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)  # 0 on the shipped framework
    f.published_assessment(world.unit, rnd, by=world.bob, level=4)  # 100 on the own one
    return rnd


def tbody(html):
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_trend_draws_one_framework_and_links_the_other(client, world, own):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "Stadens modell HT26" in tbody(html) and "Läsår 2026/27" not in tbody(html)
    assert f'href="?round={world.rnd.pk}"' in html  # the shipped framework's rounds, on their own
    html = client.get(f"/mittkoping/overview/maturity/?round={world.rnd.pk}").content.decode()
    assert "Läsår 2026/27" in tbody(html) and "Stadens modell HT26" not in tbody(html)
    assert "+100" not in html


def test_the_board_report_stays_on_its_framework(client, world, own):
    client.force_login(world.alice)
    page = client.get("/mittkoping/reports/board/").content.decode()  # the newest round: the own framework
    figures = re.findall(r'class="figure-big">([^<]*)<', page)
    assert figures[:2] == ["100", "–"]  # no "+100" across frameworks
    assert "Läsår 2026/27" not in tbody(page)
    radar = page.split('<figure class="chart">', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in radar and radar.count('<th scope="row">') == 3  # the own framework's three areas
    page = client.get(f"/mittkoping/reports/board/?round={world.rnd.pk}").content.decode()
    assert re.findall(r'class="figure-big">([^<]*)<', page)[:2] == ["0", "–"]
    assert "Stadens modell HT26" not in page.split("Publication status")[0].split("<select")[1].split("</select>")[1]


def test_the_unit_page_honours_round_and_compares_within_the_framework(client, world, own):
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert "Digital maturity, Stadens modell HT26" in page
    assert "No earlier round on the same framework to compare with." in page
    assert 'stroke-dasharray="6 4"' not in page  # no previous round drawn
    page = client.get(f"/mittkoping/units/{world.unit.pk}/?round={world.rnd.pk}").content.decode()
    assert "Digital maturity, Läsår 2026/27" in page
    compare = client.get(f"/mittkoping/units/{world.unit.pk}/compare/?round={own.pk}").content.decode()
    history = compare.split("Over the rounds", 1)[1]
    assert "Stadens modell HT26" in history and "Läsår 2026/27" not in tbody(history)


def test_a_new_version_follows_its_indicators_back(client, world, framework):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    revised = f.make_framework(key="test", version="2")
    revised.previous = framework
    revised.save()
    Indicator.objects.filter(framework=revised, code="A1.1").update(key="ind-1-1-new", previous_key="ind-1-1")
    later = f.make_round(world.org, revised, name="Läsår 2026/27 v2", opens_on=datetime.date(2026, 10, 1))
    f.published_assessment(world.unit, later, by=world.bob, level=3)
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert "Compared with Läsår 2026/27, the round before on the same framework." in page
    table = page.split("<details>", 1)[1]
    a11 = table.split("A1.1 Indicator A1.1", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', a11) == ["3", "1"]  # followed through previous_key
    client.force_login(world.alice)
    trend = client.get("/mittkoping/overview/maturity/").content.decode()
    rows = tbody(trend).split("<tr>")[1:]
    assert '<th scope="row">Läsår 2026/27 ' in rows[0] and "Läsår 2026/27 v2" in rows[1]  # one line


def test_open_actions_carry_over_only_within_the_framework_and_once(world, framework, own):
    plan = world.unit.action_plans.get(round=world.rnd)
    planning.add_action(plan=plan, by=world.bob, title="Gammal", priority=1)
    assert not own.action_plans.get().actions.exists()  # published before: nothing was carried
    other = f.make_framework(key="stadens", version="2", organizer=world.org)
    crossing = f.make_round(world.org, other, name="Stadens modell VT27", opens_on=datetime.date(2026, 9, 15))
    _a, crossing_plan = f.published_assessment(world.unit, crossing, by=world.bob)
    assert not crossing_plan.actions.exists()  # not from the shipped framework's plan
    later = f.make_round(world.org, framework, name="Läsår 2026/27 HT", opens_on=datetime.date(2026, 10, 1))
    parallel = f.make_round(world.org, framework, name="Läsår 2026/27 extra", opens_on=datetime.date(2026, 9, 20))
    _a, later_plan = f.published_assessment(world.unit, later, by=world.bob)
    assert [a.title for a in later_plan.actions.all()] == ["Gammal"]
    _a, parallel_plan = f.published_assessment(world.unit, parallel, by=world.bob)
    assert not parallel_plan.actions.exists()  # "Gammal" was carried once, into the later plan


# --- an organiser's own version of a shipped framework (``previous`` across the owner change)


def _adapt(world, framework, *, version="2027.1", previous=True):
    """Mittköping's own version of the shipped framework, A1.1 renamed (naming the shipped
    indicator as its ``previous``), in a round a year after the shipped one."""
    adapted = f.make_framework(key=framework.key, version=version, organizer=world.org)
    if previous:
        adapted.previous = framework
        adapted.save()
        Indicator.objects.filter(framework=adapted, code="A1.1").update(key="egen-1-1", previous_key="ind-1-1")
    rnd = f.make_round(world.org, adapted, name="Egen modell 2027/28", opens_on=datetime.date(2027, 8, 15))
    return rnd


@pytest.fixture
def adapted(world, framework):
    return _adapt(world, framework)


AFTER = datetime.datetime(2027, 10, 1, 12, tzinfo=datetime.UTC)


@time_machine.travel(AFTER)
def test_an_adapted_shipped_version_is_on_the_shipped_lineage(client, world, framework, adapted):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)  # 0
    f.published_assessment(world.unit, adapted, by=world.bob, levels={"A1.1": 4}, level=3)
    client.force_login(world.alice)
    trend = client.get("/mittkoping/overview/maturity/").content.decode()
    rows = tbody(trend).split("<tr>")[1:]
    assert "Läsår 2026/27" in rows[0] and "Egen modell 2027/28" in rows[1]  # one line over the owner change
    assert "+72" in rows[1]  # the change from the shipped round
    assert f'href="?round={world.rnd.pk}"' not in trend  # nothing left to link to as "another framework"

    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert "Compared with Läsår 2026/27, the round before on the same framework." in page
    table = page.split("<details>", 1)[1]
    a11 = table.split("A1.1 Indicator A1.1", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', a11) == ["4", "1"]  # egen-1-1 follows ind-1-1

    client.force_login(world.alice)
    board = client.get("/mittkoping/reports/board/").content.decode()
    figures = re.findall(r'class="figure-big">([^<]*)<', board)
    assert figures[:2] == ["72", "+72"]  # the change since the shipped round
    assert "Läsår 2026/27" in tbody(board)


@time_machine.travel(AFTER)
def test_open_actions_carry_over_into_the_organisers_own_version(world, framework, adapted):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    plan = world.unit.action_plans.get(round=world.rnd)
    shipped = Indicator.objects.get(framework=framework, key="ind-1-1")
    planning.add_action(plan=plan, by=world.bob, title="Följer med", indicator=shipped)
    _a, new_plan = f.published_assessment(world.unit, adapted, by=world.bob)
    carried = new_plan.actions.get(title="Följer med")
    assert carried.indicator.framework == adapted.framework and carried.indicator.key == "egen-1-1"


@time_machine.travel(AFTER)
def test_an_unrelated_own_framework_under_the_shipped_key_stays_apart(client, world, framework):
    unrelated = _adapt(world, framework, version="9", previous=False)  # same key, no `previous`
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    plan = world.unit.action_plans.get(round=world.rnd)
    planning.add_action(plan=plan, by=world.bob, title="Stannar")
    _a, own_plan = f.published_assessment(world.unit, unrelated, by=world.bob, level=4)
    assert not own_plan.actions.exists()
    client.force_login(world.alice)
    trend = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "Egen modell 2027/28" in tbody(trend) and "Läsår 2026/27" not in tbody(trend)
    assert f'href="?round={world.rnd.pk}"' in trend
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert "No earlier round on the same framework to compare with." in page


def test_key_map_meets_an_adaptation_and_a_later_shipped_version(world, framework):
    """Shipped 1 -> Mittköping's own 2027.1 (ind-1-1 renamed egen-1-1) and shipped 1 -> shipped 2
    (ind-1-1 renamed ny-1-1): from shipped 2 back to the own version meets at shipped 1."""
    own = f.make_framework(key=framework.key, version="2027.1", organizer=world.org)
    later = f.make_framework(key=framework.key, version="2")
    for fw, key in ((own, "egen-1-1"), (later, "ny-1-1")):
        fw.previous = framework
        fw.save()
        Indicator.objects.filter(framework=fw, code="A1.1").update(key=key, previous_key="ind-1-1")
    mapping = lineage.key_map(older=own, newer=later)
    assert mapping["ny-1-1"] == "egen-1-1" and mapping["ind-1-2"] == "ind-1-2"
    assert lineage.key_map(older=framework, newer=own)["egen-1-1"] == "ind-1-1"
    assert lineage.lineage(own) == lineage.lineage(later) == lineage.lineage(framework)


def test_a_cycle_in_previous_does_no_harm(world, framework):
    other = f.make_framework(key="loop", version="1")
    framework.previous, other.previous = other, framework
    framework.save()
    other.save()
    assert lineage.lineage(framework) == lineage.lineage(other)
    assert lineage.key_map(older=other, newer=framework)["ind-1-1"] == "ind-1-1"
