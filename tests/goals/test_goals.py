"""Measurable goals: set from the library, a baseline computed from the chosen round, values
followed up in later rounds by themselves, on track or at risk, with comments; every value says
what it rests on; the form refuses what cannot be measured."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stegvis.goals import domain, progress, values
from stegvis.goals.models import Goal, GoalValue, Measure
from stegvis.planning import domain as planning
from tests import factories as f

URL = "/mittkoping/goals/"


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
    base.update(fields)
    return domain.set_goal(organizer=world.org, by=world.alice, **base)


def test_a_goal_from_the_library_gets_its_baseline_from_the_chosen_round(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    client.force_login(world.alice)
    form = client.get(URL + "new/", {"template": "all-published"}).content.decode()
    assert "Alla enheter har publicerat" in form
    response = client.post(
        URL + "new/",
        {
            "title": "Hälften på steg 3 på A1.1",
            "scope": "organizer",
            "measure": "share_at_level",
            "indicator_code": "A1.1",
            "level": "3",
            "baseline_round": world.rnd.pk,
            "target_value": "100",
            "target_date": "2028-06-30",
        },
    )
    assert response.status_code == 302, response.content.decode()
    goal = Goal.objects.get(title="Hälften på steg 3 på A1.1")
    assert goal.baseline_value == 50 and goal.baseline_base == 2
    page = client.get(response["Location"]).content.decode()
    assert "50 %" in page and "vilar på 2 enheter" in page


def test_the_follow_up_updates_when_a_new_round_is_published(client, world, framework):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    goal = _goal(world, measure=Measure.MEAN_LEVEL, indicator_code="A1.1", level=None, target_value=3.5)
    assert goal.baseline_value == 2
    later = f.make_round(world.org, framework, name="Läsår 2027/28", opens_on=datetime.date(2027, 8, 15))
    with time_machine.travel(datetime.datetime(2027, 9, 1, 12, tzinfo=datetime.UTC)):
        f.published_assessment(world.unit, later, by=world.bob, level=3)
        client.force_login(world.alice)
        page = client.get(URL).content.decode()
    assert "3,0" in page  # the latest value, computed from the new round without anyone typing it
    value = GoalValue.objects.get(goal=goal, round=later)
    assert value.value == 3 and value.base == 1 and value.of == 2


def test_measures_of_publication_actions_and_maturity(world):
    _published, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    planning.add_action(plan=plan, by=world.bob, title="En")
    done = planning.add_action(plan=plan, by=world.bob, title="Två")
    planning.update_action(action=done, by=world.bob, status="done", expected_revision=done.revision)
    published = _goal(world, measure=Measure.UNITS_PUBLISHED, indicator_code="", level=None)
    assert (published.baseline_value, published.baseline_base) == (50, 2)
    index = _goal(
        world, measure=Measure.MATURITY_INDEX, indicator_code="", level=None, scope=Goal.Scope.UNIT, unit=world.unit
    )
    assert index.baseline_value == 100
    actions = _goal(world, measure=Measure.ACTIONS_DONE, indicator_code="", level=None)
    assert (actions.baseline_value, actions.baseline_base) == (50, 2)


def test_where_a_goal_stands():
    from stegvis.cycles.models import Round

    def R(opens_on):
        return Round(opens_on=opens_on)

    class V:
        def __init__(self, value, opens_on):
            self.value, self.round = value, R(opens_on)

    goal = Goal(
        baseline_value=20,
        target_value=80,
        target_date=datetime.date(2029, 8, 15),
        baseline_round=R(datetime.date(2026, 8, 15)),
    )
    today = datetime.date(2027, 9, 1)
    assert progress.status(goal, [], today) == "no_data"
    # a year of three: the straight line expects 40
    assert (
        progress.status(goal, [V(20, datetime.date(2026, 8, 15)), V(45, datetime.date(2027, 8, 15))], today)
        == "on_track"
    )
    assert (
        progress.status(goal, [V(20, datetime.date(2026, 8, 15)), V(30, datetime.date(2027, 8, 15))], today)
        == "at_risk"
    )
    assert progress.status(goal, [V(85, datetime.date(2027, 8, 15))], today) == "reached"
    assert progress.status(goal, [V(60, datetime.date(2027, 8, 15))], datetime.date(2029, 9, 1)) == "missed"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"area_key": "area-1"}, "indicator_code", "antingen en indikator eller ett område"),
        ({"level": "7"}, "level", "mellan 1 och 4"),
        ({"target_value": "140"}, "target_value", "mellan 0 och 100"),
        ({"target_date": "2026-01-01"}, "target_date", "efter att baslinjeomgången"),
        ({"indicator_code": "", "area_key": ""}, "indicator_code", "antingen en indikator eller ett område"),
    ],
)
def test_the_form_refuses_what_cannot_be_measured(client, world, change, field, message):
    client.force_login(world.alice)
    data = {
        "title": "Mål",
        "scope": "organizer",
        "measure": "share_at_level",
        "indicator_code": "A1.1",
        "level": "3",
        "baseline_round": world.rnd.pk,
        "target_value": "80",
        "target_date": "2028-06-30",
    }
    data.update(change)
    response = client.post(URL + "new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Mål"' in response.content.decode()  # nothing typed is lost
    assert not Goal.objects.exists()


def test_a_principal_sets_goals_for_their_unit_only(client, world):
    client.force_login(world.bob)
    data = {
        "title": "Vårt mål",
        "scope": "unit",
        "unit": world.unit.pk,
        "measure": "mean_level",
        "area_key": "area-1",
        "baseline_round": world.rnd.pk,
        "target_value": "3",
        "target_date": "2028-06-30",
    }
    assert client.post(URL + "new/", {**data, "scope": "organizer"}).status_code == 200
    assert client.post(URL + "new/", {**data, "unit": world.other_unit.pk}).status_code == 200
    assert not Goal.objects.exists()
    assert client.post(URL + "new/", data).status_code == 302
    assert Goal.objects.get().unit == world.unit


def test_a_follow_up_comment_is_kept_when_values_are_computed_again(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    goal = _goal(world)
    client.force_login(world.alice)
    client.post(f"{URL}{goal.pk}/rounds/{world.rnd.pk}/comment/", {"comment": "Fortbildningen har börjat."})
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
    page = client.get(f"{URL}{goal.pk}/").content.decode()
    assert "Fortbildningen har börjat." in page
    assert "50 %" in page  # recomputed with the second unit


def test_sub_goals_and_unit_actions(client, world):
    _published, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    action = planning.add_action(plan=plan, by=world.bob, title="Studiecirkel")
    parent = _goal(world)
    sub = _goal(
        world,
        title="Delmål: Ekskolan",
        parent=parent,
        scope=Goal.Scope.UNIT,
        unit=world.unit,
        target_date=datetime.date(2027, 6, 30),
    )
    client.force_login(world.bob)
    client.post(f"{URL}{sub.pk}/actions/", {"actions": [action.pk]})
    assert list(sub.actions.all()) == [action]
    client.force_login(world.alice)
    page = client.get(f"{URL}{parent.pk}/").content.decode()
    assert "Delmål: Ekskolan" in page
    with pytest.raises(domain.GoalError):
        _goal(world, title="Del av delmål", parent=sub)


def test_other_organisers_goals_are_404_and_invisible(client, world, framework):
    goal = _goal(world)
    client.force_login(world.charlie)
    assert client.get(f"{URL}{goal.pk}/").status_code == 404
    assert client.get("/annanstad/goals/").status_code == 200
    assert "Fler enheter på steg 3" not in client.get("/annanstad/goals/").content.decode()


def test_the_goals_page_costs_the_same_queries_for_many_goals(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    _goal(world)
    client.force_login(world.alice)
    client.get(URL)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx)

    few = count()
    for i in range(8):
        _goal(
            world,
            title=f"Mål {i}",
            measure=Measure.MEAN_LEVEL,
            area_key="area-2",
            indicator_code="",
            level=None,
            target_value=3,
        )
    client.get(URL)  # the new goals' values are computed once
    assert count() == few
    assert values.ensure_fresh(organizer=world.org, rounds=[world.rnd]) == []


def test_a_unit_moving_district_moves_the_district_goals_value(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=1)
    goal = _goal(
        world,
        scope=Goal.Scope.DISTRICT,
        district=world.district,
        measure=Measure.MEAN_LEVEL,
        level=None,
        target_value=3,
    )
    assert goal.baseline_value == 3
    world.other_unit.district = world.district
    world.other_unit.save()
    client.force_login(world.alice)
    client.get(URL)
    assert GoalValue.objects.get(goal=goal, round=world.rnd).value == 2
