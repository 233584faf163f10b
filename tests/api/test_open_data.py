"""Open data: opt-in, public, closed rounds only, no figure on fewer than five units."""

import csv
import io

import pytest

from stegvis.api import domain
from stegvis.api.opendata import withheld_districts
from stegvis.cycles import domain as cycles
from tests import factories as f

FILES = ["maturity.csv", "maturity.json", "levels.csv", "levels.json"]


def test_withheld_districts_below_five_and_their_complement():
    # Södra alone is below five; with it withheld, Västra (the smallest shown) goes too, else
    # Södra's mean would follow from the total and the others
    assert withheld_districts(total_units=14, districts={1: 6, 2: 3, 3: 5}, k=5) == {2, 3}
    # nothing below five: nothing withheld
    assert withheld_districts(total_units=11, districts={1: 6, 2: 5}, k=5) == set()
    # two units without a district are never shown apart: a lone small group among the rest
    assert withheld_districts(total_units=13, districts={1: 6, 2: 5}, k=5) == {2}
    # five or more units without a district, nothing else withheld: fine
    assert withheld_districts(total_units=16, districts={1: 6, 2: 5}, k=5) == set()


@pytest.fixture
def closed_world(world):
    """Norra: Ekskolan and five more units; Södra: Björkskolan and two more; all published; the
    round closed."""
    for n in range(5):
        f.UnitFactory(organizer=world.org, district=world.district, name=f"Norra {n}")
    for n in range(2):
        f.UnitFactory(organizer=world.org, district=world.other_unit.district, name=f"Södra {n}")
    for unit in world.rnd.unit_links.select_related("unit"):
        f.published_assessment(unit.unit, world.rnd, by=None, level=3 if unit.unit.district == world.district else 2)
    cycles.set_round_status(round=world.rnd, status="closed", by=world.alice)
    return world


def test_an_organiser_that_has_not_opted_in_gets_404(client, closed_world):
    for name in FILES:
        assert client.get(f"/open/mittkoping/{name}").status_code == 404
    assert client.get("/open/nobody/maturity.csv").status_code == 404


def test_published_maturity_figures_follow_the_anonymity_rule(client, closed_world):
    domain.set_open_data(organizer=closed_world.org, enabled=True, by=closed_world.alice)
    body = client.get("/open/mittkoping/maturity.json").json()
    assert body["min_units"] == 5
    totals = [r for r in body["rows"] if r["area_key"] == ""]
    by_level = {(r["level"], r["district"]): r for r in totals}
    organiser = by_level[("organizer", "")]
    assert organiser["units"] == 9 and not organiser["suppressed"]
    assert organiser["value"] == pytest.approx((6 * 200 / 3 + 3 * 100 / 3) / 9, abs=0.05)
    assert by_level[("district", "Södra")]["suppressed"] and by_level[("district", "Södra")]["value"] is None
    # with Södra withheld, Norra would give it away (total minus Norra): withheld too
    assert by_level[("district", "Norra")]["suppressed"] and by_level[("district", "Norra")]["units"] is None

    response = client.get("/open/mittkoping/maturity.csv")
    assert response["Content-Type"].startswith("text/csv") and response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["district"]: r["value"] for r in rows if r["area_key"] == ""} == {
        "": str(organiser["value"]),
        "Norra": "",
        "Södra": "",
    }


def test_levels_give_the_share_of_units_per_level(client, closed_world):
    domain.set_open_data(organizer=closed_world.org, enabled=True, by=closed_world.alice)
    rows = client.get("/open/mittkoping/levels.json").json()["rows"]
    assert rows and all(r["units"] == 9 for r in rows)
    assert rows[0]["shares"] == {"1": 0.0, "2": 33.3, "3": 66.7, "4": 0.0}
    text = client.get("/open/mittkoping/levels.csv").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[-4:] == ["share_level_1", "share_level_2", "share_level_3", "share_level_4"]


def test_an_indicator_answered_by_fewer_than_five_units_is_withheld(client, world):
    for unit in [world.unit, world.other_unit]:
        f.published_assessment(unit, world.rnd, by=None, level=2)
    cycles.set_round_status(round=world.rnd, status="closed", by=world.alice)
    domain.set_open_data(organizer=world.org, enabled=True, by=world.alice)
    rows = client.get("/open/mittkoping/levels.json").json()["rows"]
    assert rows and all(r["suppressed"] and r["units"] is None for r in rows)
    assert all(v is None for r in rows for v in r["shares"].values())
    figures = client.get("/open/mittkoping/maturity.json").json()["rows"]
    assert figures and all(r["suppressed"] and r["value"] is None for r in figures)


def test_open_rounds_are_not_published(client, world):
    for unit in [world.unit, world.other_unit]:
        f.published_assessment(unit, world.rnd, by=None, level=2)
    domain.set_open_data(organizer=world.org, enabled=True, by=world.alice)
    assert client.get("/open/mittkoping/maturity.json").json()["rows"] == []


def test_open_data_answers_304_when_unchanged(client, closed_world):
    domain.set_open_data(organizer=closed_world.org, enabled=True, by=closed_world.alice)
    first = client.get("/open/mittkoping/levels.json")
    again = client.get("/open/mittkoping/levels.json", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
