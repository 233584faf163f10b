import datetime

import time_machine

from stegvis.planning import domain
from stegvis.planning.models import Action, ActionPlan, Note
from tests import factories as f


def plan_for(world, **kwargs):
    _assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, **kwargs)
    return plan


def test_suggestions_lead_to_the_next_level_and_skip_the_top(world):
    plan = plan_for(world, levels={"A1.1": 4, "A1.2": 1, "A1.3": None})
    by_code = {ind.code: (level, [a.to_level for a in acts]) for ind, level, acts in domain.suggestions(plan=plan)}
    assert "A1.1" not in by_code  # top level
    assert "A1.3" not in by_code  # not relevant
    assert by_code["A1.2"] == (1, [2])
    assert by_code["A2.1"] == (2, [3])


def test_plan_page_shows_suggestions_and_plans_one(client, world):
    plan = plan_for(world)
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
    assert "Aktivitet A1.1 till 3" in page
    activity = f.Activity.objects.get(indicator__code="A1.1", to_level=3, indicator__framework=world.rnd.framework)
    form = client.get(f"/mittkoping/plans/{plan.pk}/actions/new/?activity={activity.pk}").content.decode()
    assert "Aktivitet A1.1 till 3" in form  # prefilled title
    data = {
        "activity": activity.pk,
        "title": "Aktivitet A1.1 till 3",
        "priority": "1",
        "owner": "Rektor",
        "due_date": "2027-03-01",
        "indicator": activity.indicator_id,
    }
    response = client.post(f"/mittkoping/plans/{plan.pk}/actions/new/", data)
    assert response.status_code == 302
    client.post(f"/mittkoping/plans/{plan.pk}/actions/new/", data)  # double click
    action = Action.objects.get(plan=plan)
    assert (action.priority, action.owner, action.status, action.due_date) == (
        1,
        "Rektor",
        "planned",
        datetime.date(2027, 3, 1),
    )
    page = client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
    assert "I planen" in page or "In the plan" in page


def test_own_action_needs_a_title_and_valid_priority(client, world):
    plan = plan_for(world)
    client.force_login(world.carol)  # contributors plan too
    response = client.post(f"/mittkoping/plans/{plan.pk}/actions/new/", {"title": " ", "priority": "5", "owner": "Kim"})
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert 'value="Kim"' in response.content.decode()
    response = client.post(f"/mittkoping/plans/{plan.pk}/actions/new/", {"title": "Studiecirkel", "priority": "2"})
    assert response.status_code == 302
    assert Action.objects.get().title == "Studiecirkel"


def test_action_status_change_and_conflict_between_tabs(client, world):
    plan = plan_for(world)
    action = domain.add_action(plan=plan, by=world.bob, title="Fortbildning")
    client.force_login(world.bob)
    base = {"title": "Fortbildning", "priority": "2", "revision": action.revision}
    response = client.post(f"/mittkoping/actions/{action.pk}/", {**base, "status": "in_progress"})
    assert response.status_code == 302
    response = client.post(f"/mittkoping/actions/{action.pk}/", {**base, "status": "done", "owner": "Ali"})  # stale tab
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and 'value="Ali"' in page
    action.refresh_from_db()
    assert action.status == "in_progress" and action.owner == ""


def test_follow_up_notes_have_date_and_author(client, world):
    plan = plan_for(world)
    action = domain.add_action(plan=plan, by=world.bob, title="Fortbildning")
    client.force_login(world.carol)
    response = client.post(
        f"/mittkoping/actions/{action.pk}/notes/", {"date": "2026-12-01", "text": "Första träffen klar"}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.author, note.date) == (world.carol, datetime.date(2026, 12, 1))
    assert "Första träffen klar" in client.get(f"/mittkoping/actions/{action.pk}/").content.decode()
    response = client.post(f"/mittkoping/actions/{action.pk}/notes/", {"date": "2026-12-01", "text": ""})
    assert response.status_code == 400 and Note.objects.count() == 1


def test_viewer_reads_plan_but_changes_nothing(client, world):
    plan = plan_for(world)
    action = domain.add_action(plan=plan, by=world.bob, title="Fortbildning")
    client.force_login(world.vera)
    assert client.get(f"/mittkoping/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/mittkoping/actions/{action.pk}/").status_code == 200
    assert (
        client.post(
            f"/mittkoping/actions/{action.pk}/", {"title": "x", "priority": "1", "status": "done", "revision": 1}
        ).status_code
        == 403
    )
    assert client.get(f"/mittkoping/plans/{plan.pk}/actions/new/").status_code == 403


@time_machine.travel(datetime.datetime(2027, 9, 1, 12, tzinfo=datetime.UTC))  # the next round has opened
def test_open_actions_carry_over_to_the_next_round(world, framework):
    old_plan = plan_for(world)
    keep = domain.add_action(plan=old_plan, by=world.bob, title="Pågående", priority=1)
    domain.update_action(action=keep, by=world.bob, expected_revision=1, status="in_progress")
    done = domain.add_action(plan=old_plan, by=world.bob, title="Klar")
    domain.update_action(action=done, by=world.bob, expected_revision=1, status="done")
    domain.add_action(plan=old_plan, by=world.bob, title="Planerad", priority=3)
    next_round = f.make_round(world.org, framework, name="Läsår 2027/28", opens_on=datetime.date(2027, 8, 15))
    _assessment, new_plan = f.published_assessment(world.unit, next_round, by=world.bob, level=3)
    carried = {a.title: a for a in new_plan.actions.all()}
    assert set(carried) == {"Pågående", "Planerad"}
    assert carried["Pågående"].status == "in_progress" and carried["Pågående"].carried_from == keep
    assert ActionPlan.objects.filter(unit=world.unit).count() == 2


def test_read_model_follows_publish_and_action_changes(world):
    from stegvis.overview.models import PlanCell

    plan = plan_for(world, levels={"A1.1": 4, "A1.2": 1, "A1.3": None})
    cells = {c.indicator.code: c for c in PlanCell.objects.filter(unit=world.unit).select_related("indicator")}
    assert len(cells) == 6
    assert (cells["A1.1"].state, cells["A1.2"].state, cells["A1.3"].state) == ("done", "none", "na")
    a12 = cells["A1.2"].indicator
    action = domain.add_action(plan=plan, by=world.bob, title="Steg upp", priority=1, indicator=a12)
    cell = PlanCell.objects.get(unit=world.unit, indicator=a12)
    assert (cell.state, cell.priority) == ("planned", 1)
    domain.update_action(action=action, by=world.bob, expected_revision=1, status="done")
    assert PlanCell.objects.get(unit=world.unit, indicator=a12).state == "done"


def test_plan_page_shows_actions_beside_their_indicator_suggestion(client, world):
    plan = plan_for(world)
    indicator = f.Indicator.objects.get(framework=world.rnd.framework, code="A1.2")
    domain.add_action(plan=plan, by=world.bob, title="Nätverksträff om A1.2", priority=1, indicator=indicator)
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
    row = page[page.index(f'id="sug-{indicator.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Nätverksträff om A1.2" in row


def test_read_model_code_encodes_level_state_and_priority(world):
    from stegvis.overview.models import PlanCell
    from stegvis.overview.readmodel import decode

    plan = plan_for(world, levels={"A1.1": 4, "A1.2": 1, "A1.3": None})
    a12 = f.Indicator.objects.get(framework=world.rnd.framework, code="A1.2")
    domain.add_action(plan=plan, by=world.bob, title="Steg upp", priority=3, indicator=a12)
    decoded = {
        c.indicator.code: decode(c.code) for c in PlanCell.objects.filter(unit=world.unit).select_related("indicator")
    }
    assert decoded["A1.1"] == (4, "done", None)
    assert decoded["A1.2"] == (1, "planned", 3)
    assert decoded["A1.3"] == (None, "nr", None)
    assert decoded["A2.1"] == (2, "none", None)


@time_machine.travel(datetime.datetime(2027, 9, 1, 12, tzinfo=datetime.UTC))
def test_carry_over_into_a_new_framework_version_maps_indicators(world, framework):
    old_plan = plan_for(world)
    old_indicator = f.Indicator.objects.get(framework=framework, code="A1.1")
    domain.add_action(plan=old_plan, by=world.bob, title="Följer med", indicator=old_indicator)
    revised = f.make_framework(key="test", version="2")
    f.Indicator.objects.filter(framework=revised, code="A1.2").update(previous_key=old_indicator.key)
    next_round = f.make_round(world.org, revised, name="Läsår 2027/28", opens_on=datetime.date(2027, 8, 15))
    _assessment, new_plan = f.published_assessment(world.unit, next_round, by=world.bob)
    carried = new_plan.actions.get(title="Följer med")
    assert carried.indicator.framework == revised and carried.indicator.code == "A1.2"
    assert carried.activity is None
