"""Comparisons: a unit against its district and the organiser, districts side by side, spread."""

import datetime
import re

from tests import factories as f


def tds(row):
    """The text of each <td> of a table row, tags stripped."""
    return [re.sub(r"<[^>]+>", "", c.split("</td>")[0]) for c in re.split(r"<td[^>]*>", row)[1:]]


def cells(row):
    return [
        c.split("</td>")[0].replace("<strong>", "").replace("</strong>", "") for c in row.split('<td class="num">')[1:]
    ]


def test_unit_against_district_and_organiser(client, world, example):
    client.force_login(world.bob)  # the principal compares the own unit
    html = client.get(f"/mittkoping/units/{world.unit.pk}/compare/").content.decode()
    assert "<svg" in html.split('<figure class="chart">', 1)[1].split("</figure>", 1)[0] and "Norra" in html
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert cells(rows[0]) == ["67", "67", "78"]  # area 1: unit, district, organiser
    assert cells(rows[1]) == ["0", "33", "56"]
    assert cells(rows[2]) == ["33", "50", "67"]  # total
    assert "Aspskolan" not in html and "Björkskolan" not in html


def test_unit_over_rounds(client, world, framework, example):
    old = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.published_assessment(world.unit, old, by=world.bob, level=2)
    client.force_login(world.dave)
    html = client.get(f"/mittkoping/units/{world.unit.pk}/compare/").content.decode()
    trend = html.split("<h2>", 2)[2]
    rows = trend.split("<tbody>", 1)[1].split("<tr>")[1:]
    assert "Läsår 2025/26" in rows[0] and cells(rows[0]) == ["33", "33", "33"]
    assert "Läsår 2026/27" in rows[1] and cells(rows[1]) == ["33", "67", "0"]
    assert 'class="line-chart"' in trend


def test_unit_compare_of_another_unit_is_404_for_principals_and_other_districts(client, world):
    client.force_login(world.eve)
    assert client.get(f"/mittkoping/units/{world.unit.pk}/compare/").status_code == 404
    client.force_login(world.dave)
    assert client.get(f"/mittkoping/units/{world.other_unit.pk}/compare/").status_code == 404


def test_districts_side_by_side(client, world, example):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/districts/").content.decode()
    body = html.split("<tbody>", 1)[1]
    norra, sodra = body.split("<tr>")[1:3]
    assert "Norra" in norra and cells(norra) == ["50", "67", "33", "2 of 2"]
    assert "Södra" in sodra and cells(sodra) == ["100", "100", "100", "1 of 1"]
    footer = html.split("<tfoot>", 1)[1]
    assert "Mittköpings kommun" in footer and cells(footer) == ["67", "78", "56", "3 of 3"]
    assert 'class="bars"' in html


def test_districts_side_by_side_for_district_lead_only_has_the_district(client, world, example):
    client.force_login(world.dave)
    html = client.get("/mittkoping/overview/districts/").content.decode()
    assert "Norra" in html and "Södra" not in html


def test_spread_counts_units_per_level_with_quartiles(client, world, example):
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/spread/").content.decode()
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    a11 = rows[0]
    assert "A1.1" in a11
    # levels 4 (Ekskolan), 3 (Aspskolan), 4 (Björkskolan): counts per level 1-4, not relevant, not assessed,
    # then lowest, lower quartile, median, upper quartile, highest
    assert [t.replace(",", ".") for t in tds(a11)] == ["0", "0", "1", "2", "0", "0", "3", "3.5", "4", "4", "4"]
    a23 = rows[5]
    assert "A2.3" in a23 and tds(a23)[4] == "1"  # not relevant at Ekskolan


def test_spread_for_district_lead_counts_only_the_district(client, world, example):
    client.force_login(world.dave)
    html = client.get(f"/mittkoping/overview/spread/?district={world.other_unit.district_id}").content.decode()
    a11 = html.split("<tbody>", 1)[1].split("<tr>")[1]
    assert tds(a11)[:4] == ["0", "0", "1", "1"]


def test_comparison_pages_are_403_for_principals(client, world):
    client.force_login(world.bob)
    assert client.get("/mittkoping/overview/districts/").status_code == 403
    assert client.get("/mittkoping/overview/spread/").status_code == 403
    assert client.get("/mittkoping/overview/maturity/").status_code == 403


def test_spread_leaves_out_inactive_units(client, world, example):
    f.deactivate(world.other_unit, by=world.alice)
    client.force_login(world.alice)
    html = client.get("/mittkoping/overview/spread/").content.decode()
    a11 = html.split("<tbody>", 1)[1].split("<tr>")[1]
    assert tds(a11)[:6] == ["0", "0", "1", "1", "0", "0"]
