"""The goals and the survey aggregates in the API: what the goals pages show (baseline, target,
values per round with what each rests on, status), and the survey figures with the anonymity
rules exactly as the result pages apply them (k, the complement, no free text)."""

import datetime

import pytest

from stegvis.api import domain as api_domain
from stegvis.goals import domain as goals
from stegvis.goals.models import Goal, Measure
from stegvis.surveys import aggregate
from stegvis.surveys import domain as surveys
from tests import factories as f
from tests.surveys.conftest import all_answers, link_path, open_survey, send


@pytest.fixture
def framework():
    return f.add_survey_questions(f.make_framework())


def _answer(client, survey, unit, n, value, code="", text=None):
    path = link_path(survey, unit, code)
    for _i in range(n):
        assert send(client, path, survey, all_answers(survey, value=value, text=text)).status_code == 302


def _goal(world, **fields):
    base = {
        "title": "Fler enheter på steg 3",
        "scope": Goal.Scope.ORGANIZER,
        "measure": Measure.SHARE_AT_LEVEL,
        "indicator_code": "A1.1",
        "level": 3,
        "baseline_round": world.rnd,
        "target_value": 100,
        "target_date": datetime.date(2028, 6, 30),
    }
    return goals.set_goal(organizer=world.org, by=world.alice, **(base | fields))


def test_goals_with_baseline_target_values_and_what_they_rest_on(api, world, read_token):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    goal = _goal(world)
    sub = _goal(world, title="Ekskolan på steg 3", scope=Goal.Scope.UNIT, unit=world.unit, parent=goal)
    page = api.get(read_token, "/goals").json()
    assert [g["id"] for g in page["items"]] == [goal.pk, sub.pk] and page["next_cursor"] is None
    item = page["items"][0]
    assert item["measure"] == "share_at_level" and item["target_value"] == 100
    assert item["latest"] == {
        "round_id": world.rnd.pk,
        "value": 50.0,  # one of the two units at level 3
        "base": 2,
        "of": 2,
        "rests_on": "units",
        "comment": "",
    }
    assert item["values"] == [item["latest"]] and item["baseline_value"] == 50.0 and item["baseline_base"] == 2
    assert item["status"] in {"on_track", "at_risk"}
    only_sub = api.get(read_token, "/goals", parent=goal.pk).json()["items"]
    assert [g["id"] for g in only_sub] == [sub.pk] and only_sub[0]["latest"]["value"] == 100.0
    assert [g["id"] for g in api.get(read_token, "/goals", status="reached").json()["items"]] == [sub.pk]
    one = api.get(read_token, f"/goals/{sub.pk}")
    assert one.status_code == 200 and one.json()["status"] == "reached" and one.json()["parent_id"] == goal.pk


def test_another_organisers_goal_and_survey_are_404(api, world, read_token):
    goal = _goal(world)
    survey = open_survey(world)
    _row, charlies = api_domain.create_api_token(organizer=world.other_org, by=world.charlie, name="X", scope="read")
    assert api.get(charlies, f"/goals/{goal.pk}").status_code == 404
    assert api.get(charlies, f"/surveys/{survey.pk}/results").status_code == 404
    assert api.get(charlies, f"/units/{world.unit.pk}/survey-results", round=world.rnd.pk).status_code == 404
    assert api.get(charlies, "/goals").json()["items"] == []
    assert api.get(charlies, "/surveys").json()["items"] == []
    assert api.get(read_token, f"/surveys/{survey.pk}/results").status_code == 200


def test_survey_results_hide_below_k_and_the_complement_as_the_page_does(client, api, world, read_token):
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    survey = open_survey(world, units=[world.unit, world.other_unit, third])
    _answer(client, survey, world.unit, 2, 4)  # below k
    _answer(client, survey, third, 8, 1)  # hidden too, else Norra's total minus it reveals Ekskolan
    _answer(client, survey, world.other_unit, 7, 4)
    aggregate.refresh(survey=survey)
    listed = api.get(read_token, "/surveys").json()["items"]
    assert [(s["id"], s["k"], s["responses"]) for s in listed] == [(survey.pk, 5, 17)]
    data = api.get(read_token, f"/surveys/{survey.pk}/results").json()
    assert data["k"] == 5 and len(data["area_keys"]) == 2
    cells = {(r["kind"], r["unit_id"]): r["cells"][0] for r in data["rows"]}
    hidden = {"key": data["area_keys"][0], "percent": None, "hidden": True, "base": None}
    assert cells[("unit", world.unit.pk)] == hidden  # 2 answers < k
    assert cells[("unit", third.pk)] == hidden  # its complement
    assert cells[("unit", world.other_unit.pk)]["percent"] == 100
    assert cells[("unit", world.other_unit.pk)]["base"] == 7
    organiser = data["rows"][-1]
    assert organiser["kind"] == "organizer" and organiser["responses"] == 17
    assert not organiser["cells"][0]["hidden"] and organiser["cells"][0]["base"] == 17


def test_a_units_survey_results_per_group_code_and_indicator_without_free_text(client, api, world, read_token):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    staff = open_survey(world, group="personal")
    pupils = open_survey(world, group="elever")
    surveys.add_group_code(survey=pupils, unit=world.unit, code="4A", by=world.alice)
    surveys.add_group_code(survey=pupils, unit=world.unit, code="4B", by=world.alice)
    _answer(client, staff, world.unit, 12, 1, text="Hemlig tanke")  # low, beside level 4: a gap
    _answer(client, pupils, world.unit, 6, 4, code="4A")
    _answer(client, pupils, world.unit, 1, 4, code="4B")  # below k, and 4A hidden with it
    aggregate.refresh(survey=staff)
    aggregate.refresh(survey=pupils)
    response = api.get(read_token, f"/units/{world.unit.pk}/survey-results", round=world.rnd.pk)
    assert response.status_code == 200
    assert "Hemlig tanke" not in response.content.decode()
    data = response.json()
    groups = {g["respondent_group"]: g for g in data["groups"]}
    assert groups["personal"]["responses"] == 12 and groups["personal"]["codes"] == []
    assert groups["elever"]["codes"] == [
        {"code": "4A", "responses": 6, "percent": None, "hidden": True},
        {"code": "4B", "responses": 1, "percent": None, "hidden": True},
    ]
    staff_cells = [c for row in data["indicators"] for c in row["cells"] if c["survey_id"] == staff.pk and c["asked"]]
    assert staff_cells and all(c["percent"] == 0 and c["base"] == 12 and c["gap"] for c in staff_cells)
    area_cells = [c for a in data["areas"] for c in a["cells"] if c["survey_id"] == pupils.pk]
    assert area_cells and all(c["percent"] == 100 and c["base"] == 7 for c in area_cells)


def test_the_goal_and_survey_lists_do_not_grow_with_rows(api, world, read_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path):
        api.get(read_token, path)  # the goal values brought up to date first
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(read_token, path).status_code == 200
        return len(ctx.captured_queries)

    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    _goal(world)
    open_survey(world)
    few = {path: queries(path) for path in ("/goals", "/surveys")}
    for n in range(3):
        _goal(world, title=f"Mål {n}", scope=Goal.Scope.UNIT, unit=world.unit)
    open_survey(world, group="elever", units=[world.unit, world.other_unit])
    assert {path: queries(path) for path in ("/goals", "/surveys")} == few
