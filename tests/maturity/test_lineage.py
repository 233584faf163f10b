"""Frameworks are kept apart: trends, comparisons, the unit page, the board report and the
carrying over of open actions stay within one framework lineage (a framework key and its
versions, indicators followed through ``previous_key``)."""

import datetime
import re

import pytest

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
