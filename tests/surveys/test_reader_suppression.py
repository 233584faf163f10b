"""Suppression per reader (docs/anonymity.md, "Per reader"): every figure one reader is shown,
on every page, export and API answer, is gathered, and no district or organiser total minus the
unit figures shown to the same reader may give away a figure resting on fewer than k answers.
The case of the open problem: Ekskolan 2 answers, Almskolan 8 (its complement), Norra 10."""

import re

import pytest

from stegvis.api import domain as api_domain
from stegvis.organisations.access import Access
from stegvis.organisations.models import Role
from stegvis.surveys import aggregate, results
from tests import factories as f

from .conftest import all_answers, link_path, open_survey, send

K = 5


def _answer(client, survey, unit, n, value):
    path = link_path(survey, unit)
    for _i in range(n):
        assert send(client, path, survey, all_answers(survey, value=value)).status_code == 302


@pytest.fixture
def case(client, world):
    alm = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    pia = f.UserFactory(email="pia@example.se", full_name="Pia")
    f.member(pia, world.org, Role.PRINCIPAL, unit=alm)
    survey = open_survey(world, units=[world.unit, world.other_unit, alm])
    _answer(client, survey, world.unit, 2, 4)  # Ekskolan: below k
    _answer(client, survey, alm, 8, 1)  # Almskolan: the complement in Norra
    _answer(client, survey, world.other_unit, 7, 4)  # Björkskolan, Södra
    aggregate.refresh(survey=survey)
    client.logout()
    return world, survey, alm, pia


def _seen(survey, access, units):
    """Everything ``access`` is shown of ``survey``: {column: {"totals": {district or None:
    responses}, "units": {unit id: shown?}}}, from the organiser's pages (per area and per
    indicator, the export's columns) and every unit page the reader may open."""
    seen = {}
    if access.can_read_survey_organiser_results(survey):
        per_area = results.organiser_results(survey=survey, access=access, lang="sv")
        area_ids = [
            next(a.pk for a in survey.round.framework.areas.all() if a.key == key) for key in per_area["area_keys"]
        ]
        for row in [*per_area["rows"], *([per_area["total"]] if per_area["total"] else [])]:
            for area_id, cell in zip(area_ids, row["cells"], strict=True):
                col = seen.setdefault(("area", area_id), {"totals": {}, "units": {}})
                if row["kind"] == "unit":
                    col["units"][row["unit"].pk] = col["units"].get(row["unit"].pk, False) or not cell["hidden"]
                elif not cell["hidden"]:
                    col["totals"][row.get("district_id", "all") if row["kind"] == "district" else "all"] = row[
                        "responses"
                    ]
    for unit in units:
        if not access.can_read_unit(unit):
            continue
        data = results.unit_results(unit=unit, round=survey.round, lang="sv", access=access)
        (group,) = [g for g in data["groups"] if g.survey.pk == survey.pk]
        n = data["groups"].index(group)
        for row in data["rows"]:
            col = seen.setdefault(("indicator", row["indicator"].pk), {"totals": {}, "units": {}})
            col["units"][unit.pk] = col["units"].get(unit.pk, False) or not row["cells"][n]["hidden"]
        for area in data["areas"]:
            col = seen.setdefault(("area", area["area"].pk), {"totals": {}, "units": {}})
            col["units"][unit.pk] = col["units"].get(unit.pk, False) or not area["cells"][n]["hidden"]
    return seen


def _no_subtraction(seen, responses, district_of):
    """Each shown total minus the unit figures shown beside it leaves nothing, or k or more."""
    for column, col in seen.items():
        for district, _n in col["totals"].items():
            members = [u for u in responses if district == "all" or district_of[u] == district]
            rest = sum(responses[u] for u in members if not col["units"].get(u, False))
            assert rest == 0 or rest >= K, (column, district, rest)


@pytest.mark.parametrize("who", ["alice", "vera", "dave"])
def test_no_total_minus_a_unit_page_gives_a_unit_below_k(case, who):
    world, survey, alm, _pia = case
    user = getattr(world, who)
    access = Access.for_user(user=user, organizer=world.org)
    units = [world.unit, alm, world.other_unit]
    responses = {world.unit.pk: 2, alm.pk: 8, world.other_unit.pk: 7}
    district_of = {u.pk: u.district_id for u in units}
    seen = _seen(survey, access, units)
    _no_subtraction(
        seen,
        {u: n for u, n in responses.items() if access.can_read_unit(next(x for x in units if x.pk == u))},
        district_of,
    )
    # Almskolan's own page hides its figures from this reader, as the district's pages do
    data = results.unit_results(unit=alm, round=survey.round, lang="sv", access=access)
    assert all(r["cells"][0]["hidden"] for r in data["rows"]) and all(a["cells"][0]["hidden"] for a in data["areas"])


def test_the_unit_pages_show_hidden_to_the_organiser_and_the_figure_to_the_principal(client, case):
    world, survey, alm, pia = case
    url = f"/mittkoping/units/{alm.pk}/survey-results/"
    for user in (world.alice, world.dave, world.vera):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "dold" in html and not re.search(r"<td>0 %", html), user
    client.force_login(pia)  # shown no total of Norra: her own unit's figures, 0 % of 8
    html = client.get(url).content.decode()
    assert re.search(r"<td>0 %", html) and "dold" not in html
    access = Access.for_user(user=pia, organizer=world.org)
    assert results.reader_hidden_units(survey=survey, access=access) is None


def test_the_api_hides_the_complement_on_the_unit_as_in_its_totals(client, case):
    world, survey, alm, _pia = case
    _row, token = api_domain.create_api_token(organizer=world.org, by=world.alice, name="BI", scope="read")
    headers = {"Authorization": f"Bearer {token}"}
    totals = client.get(f"/api/v1/surveys/{survey.pk}/results", headers=headers).json()
    norra = next(r for r in totals["rows"] if r["kind"] == "district" and r["district_id"] == world.district.pk)
    assert all(not c["hidden"] for c in norra["cells"])  # Norra's total is given
    unit = client.get(f"/api/v1/units/{alm.pk}/survey-results", {"round": survey.round_id}, headers=headers).json()
    cells = [c for part in ("indicators", "areas") for row in unit.get(part, []) for c in row["cells"]]
    assert cells and all(c["hidden"] and c["percent"] is None for c in cells), unit


def test_the_action_plan_flags_no_gap_on_a_figure_hidden_from_its_reader(case):
    world, survey, alm, pia = case
    admin = Access.for_user(user=world.alice, organizer=world.org)
    assert results.flags(unit=alm, round=survey.round, access=admin) == {}
    mine = results.unit_results(
        unit=alm, round=survey.round, lang="sv", access=Access.for_user(user=pia, organizer=world.org)
    )
    assert not any(r["cells"][0]["hidden"] for r in mine["rows"])


def test_a_district_lead_sees_the_same_as_the_district_pages(case):
    world, survey, alm, _pia = case
    dave = Access.for_user(user=world.dave, organizer=world.org)
    hidden = results.reader_hidden_units(survey=survey, access=dave)
    assert hidden and all(ids == {world.unit.pk, alm.pk} for ids in hidden.values())
    every = results.organiser_indicator_results(survey=survey, access=dave, lang="sv", columns=results.EVERYTHING)
    names = [c["name"] for c in every["columns"]]
    for row in every["rows"]:
        for name, cell in zip(names, row["cells"], strict=True):
            if name in ("Ekskolan", "Almskolan"):
                assert cell["hidden"], (row["title"], name)
