"""Partial rounds are marked: a figure says how many of the round's units it rests on, a round
with fewer than STEGVIS_COMPLETE_SHARE of them published is marked partial (page, PDF, chart and
its table), and the change since the round before is over the units in both (like with like)."""

import datetime
import re

import pytest
from django.template.loader import render_to_string

from stegvis.exports import reports
from stegvis.organisations.access import Access
from stegvis.organisations.models import Membership
from tests import factories as f


@pytest.fixture
def partial(world, framework):
    """Läsår 2025/26: all three units published (Ekskolan 0, Aspskolan and Björkskolan 100: 67).
    Läsår 2026/27: only Ekskolan so far (33), 1 of 3 units."""
    aspen = f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    old = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.published_assessment(world.unit, old, by=world.bob, level=1)
    f.published_assessment(aspen, old, by=world.alice, level=4)
    f.published_assessment(world.other_unit, old, by=world.eve, level=4)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    return old


def test_trend_marks_the_partial_round_and_compares_like_with_like(client, world, partial):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    old, new = rows
    assert "(partial)" not in old and "3 of 3" in old
    assert 'Läsår 2026/27 <em class="partial">(partial)</em>' in new and "1 of 3" in new
    assert "<strong>33</strong>" in new
    assert "+33" in new and "(1 unit)" in new  # Ekskolan 0 -> 33, not 67 -> 33
    assert "−34" not in new and "-34" not in new
    chart = html.split('class="line-chart"', 1)[1].split("</svg>", 1)[0]
    assert "(partial)" in chart and 'fill="#ffffff"' in chart  # hollow marker for the partial point
    assert "fewer than 80 % of its units" in html


def test_board_report_says_what_the_figure_rests_on(client, world, partial):
    client.force_login(world.vera)
    page = client.get("/mittkoping/reports/board/").content.decode()
    assert re.findall(r'class="figure-big">([^<]*)<', page) == ["33", "+33", "1"]
    assert "rests on 1 of 3 units" in page and '<em class="partial">(partial)</em>' in page
    assert "over the 1 unit that has a figure in both Läsår 2025/26 and this round" in page
    assert "(Läsår 2025/26: 67, 3 of 3 units)" in page


def test_board_report_pdf_marks_the_partial_round_too(world, partial):
    access = Access(user=world.vera, organizer=world.org, memberships=Membership.objects.filter(user=world.vera))
    ctx = reports.board_report_context(organizer=world.org, access=access, round=world.rnd, lang="en")
    html = render_to_string("exports/report_board_pdf.html", ctx)
    assert "rests on 1 of 3 units" in html and "(partial)" in html and "+33" in html
    assert ctx["change"]["units"] == 1 and ctx["coverage"] == {"units": 1, "of": 3, "partial": True}


def test_district_and_unit_comparisons_say_how_many_units_they_rest_on(client, world, partial):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/districts/").content.decode()
    norra = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Norra" in norra and '1 of 2 <em class="partial">(partial)</em>' in norra
    assert "fewer than 80 % of the units concerned" in html
    client.force_login(world.bob)
    html = client.get(f"/mittkoping/units/{world.unit.pk}/compare/").content.decode()
    assert "District average over the 1 of its 2 units that have published." in html
    assert "Organiser average over the 1 of its 3 units that have published." in html
    assert '<em class="partial">(partial)</em>' in html


def test_a_complete_round_is_not_marked(client, world, framework):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "(partial)" not in html and "2 of 2" in html
