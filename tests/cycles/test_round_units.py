"""A closed round is frozen: it keeps the units it had, so importing, adding or deactivating
units later changes no total of it (publication status, maturity, board report, round list,
exports). Open rounds take new units (unless the importer says no)."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings

from stegvis.cycles import domain as cycles
from stegvis.cycles.models import RoundUnit
from stegvis.maturity.models import MaturityFigure
from stegvis.organisations import domain as organisations
from stegvis.organisations.imports import Place, UnitRow
from stegvis.organisations.models import Unit
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def import_rows(world, n, *, first=30000000):
    return [
        UnitRow(
            place=Place(i + 2), name=f"Nyskola {i}", code=str(first + i), school_forms=1, district_id=world.district.pk
        )
        for i in range(n)
    ]


def units_of(rnd):
    return set(RoundUnit.objects.filter(round=rnd).values_list("unit__name", flat=True))


@pytest.fixture
def closed(world):
    """Ekskolan published in Läsår 2026/27 (1 of 2), then the round was closed."""
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    cycles.set_round_status(round=world.rnd, status="closed", by=world.alice)
    return world.rnd


def test_importing_units_leaves_a_closed_rounds_totals_alone(client, world, closed):
    client.force_login(world.alice)
    before = client.get("/mittkoping/reports/board/").content.decode()
    assert re.findall(r'class="figure-big">([^<]*)<', before)[-1] == "1"
    assert "of 2 (50 %)" in before
    organisations.import_units(organizer=world.org, by=world.alice, rows=import_rows(world, 5))
    assert units_of(closed) == {"Ekskolan", "Björkskolan"}
    board = client.get("/mittkoping/reports/board/").content.decode()
    assert "of 2 (50 %)" in board  # not "of 7 (14 %)"
    rounds = client.get("/mittkoping/rounds/").content.decode()
    assert '<td class="num">1 / 2</td>' in rounds
    status = client.get("/mittkoping/overview/status/").content.decode()
    assert "<li>Units <strong>2</strong></li>" in status and "Nyskola" not in status
    trend = client.get("/mittkoping/overview/maturity/").content.decode()
    assert "1 of 2" in trend.split("<tbody>", 1)[1]
    grid = client.get("/mittkoping/overview/").content.decode()
    assert "Nyskola" not in grid


def test_adding_a_unit_by_hand_leaves_a_closed_round_alone_and_joins_open_ones(world, framework, closed):
    next_round = cycles.open_round(
        organizer=world.org, name="HT 2026", framework=framework, opens_on=datetime.date(2026, 9, 1), by=world.alice
    )
    organisations.create_unit(organizer=world.org, by=world.alice, name="Lärkskolan", code="30000001", school_forms=1)
    assert units_of(closed) == {"Ekskolan", "Björkskolan"}
    assert units_of(next_round) == {"Ekskolan", "Björkskolan", "Lärkskolan"}


def test_the_importer_may_keep_new_units_out_of_open_rounds(world):
    organisations.import_units(organizer=world.org, by=world.alice, rows=import_rows(world, 2), join_open_rounds=False)
    assert units_of(world.rnd) == {"Ekskolan", "Björkskolan"}
    organisations.import_units(organizer=world.org, by=world.alice, rows=import_rows(world, 2, first=31000000))
    assert units_of(world.rnd) == {"Ekskolan", "Björkskolan", "Nyskola 0", "Nyskola 1"}


def test_a_unit_not_in_the_round_cannot_start_in_it(world):
    unit = organisations.create_unit(
        organizer=world.org, by=world.alice, name="Sen", code="30000002", school_forms=1, join_open_rounds=False
    )
    from stegvis.assessments import domain

    with pytest.raises(domain.NotInRound):
        domain.start_assessment(unit=unit, round=world.rnd, by=world.alice)


def test_the_admin_adds_units_left_outside_an_open_round(client, world, framework):
    organisations.import_units(organizer=world.org, by=world.alice, rows=import_rows(world, 2), join_open_rounds=False)
    late = organisations.create_unit(
        organizer=world.org, by=world.alice, name="Sen", code="30000002", school_forms=1, join_open_rounds=False
    )
    stranger = f.UnitFactory(organizer=f.OrganizerFactory(slug="grannby"), name="Grannskolan")
    client.force_login(world.alice)
    page = client.get(f"/mittkoping/rounds/{world.rnd.pk}/edit/").content.decode()
    assert "Units outside the round" in page and "Nyskola 0" in page and "Sen" in page
    nyskola = Unit.objects.get(name="Nyskola 0")
    response = client.post(
        f"/mittkoping/rounds/{world.rnd.pk}/units/add/", {"unit": [nyskola.pk, late.pk, stranger.pk]}, follow=True
    )
    assert "2 units added to the round." in response.content.decode()
    assert units_of(world.rnd) == {"Ekskolan", "Björkskolan", "Nyskola 0", "Sen"}
    from stegvis.assessments import domain

    domain.start_assessment(unit=late, round=world.rnd, by=world.alice)  # no longer NotInRound
    response = client.post(f"/mittkoping/rounds/{world.rnd.pk}/units/add/", {}, follow=True)
    assert "Choose at least one unit to add." in response.content.decode()


def test_a_closed_round_takes_no_units_from_the_form(client, world, closed):
    organisations.create_unit(
        organizer=world.org, by=world.alice, name="Sen", code="30000002", school_forms=1, join_open_rounds=False
    )
    client.force_login(world.alice)
    assert "Units outside the round" not in client.get(f"/mittkoping/rounds/{closed.pk}/edit/").content.decode()
    sen = Unit.objects.get(name="Sen")
    response = client.post(f"/mittkoping/rounds/{closed.pk}/units/add/", {"unit": [sen.pk]}, follow=True)
    assert "A closed round keeps the units it had." in response.content.decode()
    assert units_of(closed) == {"Ekskolan", "Björkskolan"}


def test_deactivating_a_unit_leaves_open_rounds_and_closed_rounds_keep_it(world, framework, closed):
    open_round = f.make_round(world.org, framework, name="HT 2026", opens_on=datetime.date(2026, 9, 1))
    f.deactivate(world.other_unit, by=world.alice)
    assert units_of(closed) == {"Ekskolan", "Björkskolan"}
    assert units_of(open_round) == {"Ekskolan"}


def test_maturity_figures_of_a_closed_round_keep_its_units(client, world, closed):
    client.force_login(world.alice)
    client.get("/mittkoping/overview/maturity/")
    organisations.import_units(organizer=world.org, by=world.alice, rows=import_rows(world, 3))
    f.deactivate(world.unit, by=world.alice)  # Ekskolan closes after the round
    html = client.get("/mittkoping/overview/maturity/").content.decode()
    row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "<strong>67</strong>" in row and "1 of 2" in row  # Ekskolan's figure stays in its round
    org = MaturityFigure.objects.get(organizer=world.org, round=closed, scope="organizer", area_key="")
    assert org.unit_count == 1


def test_the_migration_gives_existing_rounds_the_active_units(world, framework):
    old = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.UnitFactory(organizer=world.org, name="Vilande", active=False)
    RoundUnit.objects.all().delete()
    migration = importlib.import_module("stegvis.cycles.migrations.0002_round_units")
    migration.enrol_existing_rounds(apps, None)
    assert units_of(world.rnd) == units_of(old) == {"Ekskolan", "Björkskolan"}
