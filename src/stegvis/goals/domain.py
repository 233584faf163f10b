"""State changes of goals (docs/goals.md): keyword-only functions with their side effects."""

from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core.models import record

from . import values
from .models import Goal, GoalTemplate, GoalValue


class GoalError(ValueError):
    pass


FIELDS = (
    "title",
    "description",
    "scope",
    "district",
    "unit",
    "measure",
    "indicator_code",
    "area_key",
    "level",
    "respondent_group",
    "question_key",
    "certification_rule",
    "baseline_round",
    "target_value",
    "target_date",
    "owner",
    "parent",
)


def _check(fields):
    if fields.get("parent") is not None and fields["parent"].parent_id is not None:
        raise GoalError(_("A sub-goal cannot have sub-goals of its own."))


def _compute(goal):
    """The baseline from its round, and the value in each later round."""
    baseline = goal.baseline_round
    goal.baseline_value, goal.baseline_base, _of = values.value_in(goal=goal, rnd=baseline)
    Goal.objects.filter(pk=goal.pk).update(baseline_value=goal.baseline_value, baseline_base=goal.baseline_base)
    for rnd in values.rounds_of(goal, values.organizer_rounds(goal.organizer)):
        value, base, of = values.value_in(goal=goal, rnd=rnd)
        GoalValue.objects.update_or_create(
            organizer=goal.organizer, goal=goal, round=rnd, defaults={"value": value, "base": base, "of": of}
        )


def set_goal(*, organizer, by, **fields):
    """Set a goal: its baseline is computed from the baseline round at once, and its value in
    every round since.

    Side effects: a Goal row, GoalValue rows, an audit event."""
    _check(fields)
    goal = Goal.objects.create(organizer=organizer, created_by=by, **{k: fields.get(k) for k in FIELDS if k in fields})
    _compute(goal)
    record(organizer=organizer, actor=by, verb="goal.set", obj=goal, summary=goal.title)
    return goal


def update_goal(*, goal, by, **fields):
    """Change a goal; the baseline and values are computed again (comments are kept).

    Side effects: updates the Goal and its GoalValue rows, an audit event."""
    _check(fields)
    for key in FIELDS:
        if key in fields:
            setattr(goal, key, fields[key])
    goal.save()
    GoalValue.objects.filter(goal=goal).exclude(round__opens_on__gte=goal.baseline_round.opens_on).delete()
    _compute(goal)
    record(organizer=goal.organizer, actor=by, verb="goal.changed", obj=goal, summary=goal.title)
    return goal


def delete_goal(*, goal, by):
    """Delete a goal with its sub-goals and follow-up. Side effects: deletes rows, an audit event."""
    record(organizer=goal.organizer, actor=by, verb="goal.deleted", obj=goal, summary=goal.title)
    goal.delete()


def comment_follow_up(*, value, by, text):
    """Write (or clear) the follow-up comment of a goal's round. Side effects: updates the GoalValue."""
    value.comment = (text or "").strip()
    value.comment_by = by if value.comment else None
    value.comment_at = timezone.now() if value.comment else None
    value.save(update_fields=["comment", "comment_by", "comment_at"])
    return value


def link_actions(*, goal, actions, by):
    """The unit goal's actions (only actions of the goal's unit). Side effects: the link rows."""
    if goal.scope != Goal.Scope.UNIT:
        raise GoalError(_("Only a unit's goal is linked to actions."))
    goal.actions.set([a for a in actions if a.plan.unit_id == goal.unit_id])
    record(organizer=goal.organizer, actor=by, verb="goal.changed", obj=goal, summary=goal.title)


def add_template(
    *,
    organizer,
    by,
    title,
    measure,
    indicator_code="",
    area_key="",
    level=None,
    target_value=None,
    respondent_group="",
    question_key="",
):
    """Add a goal to the organiser's own library. Side effects: a GoalTemplate row."""
    return GoalTemplate.objects.create(
        organizer=organizer,
        title=title,
        measure=measure,
        indicator_code=indicator_code,
        area_key=area_key,
        level=level,
        target_value=target_value,
        respondent_group=respondent_group,
        question_key=question_key,
    )
