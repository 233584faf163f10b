"""The overview grid: what an organiser and a district lead see, filters, links, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stegvis.core import schoolforms
from stegvis.planning import domain as planning
from tests import factories as f


def indicator(framework, code):
    return framework.indicators.get(code=code)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def rows(html):
    """Unit names in the grid's body, in order."""
    if "<tbody>" not in html:
        return []
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [part.split("</a></th>", 1)[0].rsplit(">", 1)[1] for part in body.split('<th scope="row">')[1:]]


@pytest.fixture
def published(world, framework):
    """Ekskolan published (A1.1 at 4, A1.2 at 1, A2.1 not relevant, the rest at 2) with a
    priority-1 action on A1.2; Björkskolan published with every indicator at 3."""
    assessment, plan = f.published_assessment(
        world.unit, world.rnd, by=world.bob, levels={"A1.1": 4, "A1.2": 1, "A2.1": None}
    )
    planning.add_action(
        plan=plan, by=world.bob, title="Kollegialt lärande", priority=1, indicator=indicator(framework, "A1.2")
    )
    other, other_plan = f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
    return {"assessment": assessment, "plan": plan, "other": other, "other_plan": other_plan}


def test_overview_level_mode_prints_levels_and_links_to_the_answer(client, world, framework, published):
    client.force_login(world.alice)
    html = page(client, "/mittkoping/overview/")
    a = published["assessment"].pk
    a11, a12, a21 = (indicator(framework, c).pk for c in ("A1.1", "A1.2", "A2.1"))
    assert f'<td class="lv4-4"><a href="/mittkoping/assessments/{a}/#ind-{a11}">4</a></td>' in html
    assert f'<td class="lv4-1"><a href="/mittkoping/assessments/{a}/#ind-{a12}">1</a></td>' in html
    assert f'<td class="nr"><a href="/mittkoping/assessments/{a}/#ind-{a21}">' in html  # not relevant, in words
    assert rows(html) == ["Björkskolan", "Ekskolan"]
    assert html.count('<th scope="colgroup"') == 2  # areas group the indicators
    assert 'scope="col"><abbr title="Indicator A1.1">A1.1</abbr>' in html or "Indikator A1.1" in html
    assert "position: sticky" not in html  # the stylesheet keeps the headers in view, no inline style


def test_overview_plan_mode_shows_priority_done_and_nothing_planned(client, world, framework, published):
    client.force_login(world.vera)  # viewers read everything too
    html = page(client, "/mittkoping/overview/?mode=plan")
    plan = published["plan"].pk
    a11, a12, a13 = (indicator(framework, c).pk for c in ("A1.1", "A1.2", "A1.3"))
    assert f'<td class="s-planned"><a href="/mittkoping/plans/{plan}/#sug-{a12}">1</a></td>' in html
    assert (
        f'<td class="s-done"><a href="/mittkoping/plans/{plan}/#sug-{a11}">&#10003;</a></td>' in html
    )  # top level reached
    assert f'<td class="s-none"><a href="/mittkoping/plans/{plan}/#sug-{a13}">&middot;</a></td>' in html
    assert 'class="grid-legend"' in html and "priority" in html.lower()


def test_overview_unit_without_publication_links_to_the_unit_page(client, world, published):
    unit = f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    client.force_login(world.alice)
    html = page(client, "/mittkoping/overview/")
    assert rows(html)[0] == "Aspskolan"
    assert f'class="na unpublished" colspan="6"><a href="/mittkoping/units/{unit.pk}/">' in html


def test_overview_filters_narrow_rows_and_columns(client, world, framework, published):
    client.force_login(world.alice)
    assert rows(page(client, f"/mittkoping/overview/?district={world.district.pk}")) == ["Ekskolan"]
    assert rows(page(client, "/mittkoping/overview/?level=4")) == ["Ekskolan"]
    assert rows(page(client, "/mittkoping/overview/?level=3")) == ["Björkskolan"]
    assert rows(page(client, "/mittkoping/overview/?level=nr")) == ["Ekskolan"]
    assert rows(page(client, "/mittkoping/overview/?mode=plan&state=planned&priority=1")) == ["Ekskolan"]
    assert rows(page(client, "/mittkoping/overview/?priority=2")) == []
    html = page(client, "/mittkoping/overview/?area=area-2")
    assert ">A2.1</abbr>" in html and ">A1.1</abbr>" not in html
    # cells a filter leaves out stay empty
    html = page(client, "/mittkoping/overview/?level=4")
    assert html.count('<td class="off"></td>') == 5


def test_overview_school_form_filter_uses_the_bitmask(client, world, published):
    world.other_unit.school_forms = schoolforms.to_mask(["forskola", "grundskola"])
    world.other_unit.save()
    client.force_login(world.alice)
    assert rows(page(client, "/mittkoping/overview/?form=forskola")) == ["Björkskolan"]
    assert rows(page(client, "/mittkoping/overview/?form=grundskola")) == ["Björkskolan", "Ekskolan"]
    assert rows(page(client, "/mittkoping/overview/?form=gymnasieskola")) == []


def test_overview_tag_filter_keeps_tagged_indicators(client, world, framework, published):
    ind = indicator(framework, "A2.3")
    ind.tags = ["teknik"]
    ind.save()
    client.force_login(world.alice)
    html = page(client, "/mittkoping/overview/?tag=teknik")
    assert ">A2.3</abbr>" in html and ">A2.2</abbr>" not in html


def test_district_lead_sees_only_the_district_whatever_the_filter(client, world, published):
    client.force_login(world.dave)
    for url in (
        "/mittkoping/overview/",
        f"/mittkoping/overview/?district={world.other_unit.district_id}",
        "/mittkoping/overview/?mode=plan",
        "/mittkoping/overview/?level=3",
    ):
        html = page(client, url)
        assert "Björkskolan" not in html and "Södra" not in html, url
    assert rows(page(client, "/mittkoping/overview/")) == ["Ekskolan"]


def test_principal_gets_403_and_the_nav_link_only_shows_for_readers(client, world):
    client.force_login(world.bob)
    assert client.get("/mittkoping/overview/").status_code == 403
    assert "/mittkoping/overview/" not in page(client, "/mittkoping/")
    client.force_login(world.dave)
    assert "/mittkoping/overview/" in page(client, "/mittkoping/")


def test_overview_escapes_unit_names(client, world):
    f.UnitFactory(organizer=world.org, district=world.district, name="<script>x</script>")
    client.force_login(world.alice)
    html = page(client, "/mittkoping/overview/")
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_overview_without_rounds_says_so(client, world):
    world.rnd.delete()
    client.force_login(world.alice)
    html = page(client, "/mittkoping/overview/")
    assert 'class="notice"' in html and "<table" not in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url",
    [
        "/mittkoping/overview/",
        "/mittkoping/overview/?mode=plan&state=planned",
        "/mittkoping/overview/todo/",
        "/mittkoping/overview/status/",
        "/mittkoping/overview/spread/",
        "/mittkoping/overview/districts/",
        "/mittkoping/overview/maturity/",
    ],
)
def test_overview_pages_make_as_many_queries_for_3_units_as_for_1(client, world, framework, url):
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    planning.add_action(plan=plan, by=world.bob, title="Åtgärd", priority=1, indicator=indicator(framework, "A1.1"))
    f.deactivate(world.other_unit, by=world.alice)
    client.force_login(world.alice)
    client.get(url)  # figures computed, caches warm
    one = _queries(client, url)
    for _n in range(2):
        unit = f.UnitFactory(organizer=world.org, district=world.district)
        _a, plan = f.published_assessment(unit, world.rnd, by=world.bob)
        planning.add_action(plan=plan, by=world.bob, title="Åtgärd", priority=1, indicator=indicator(framework, "A1.1"))
    client.get(url)
    assert _queries(client, url) == one
