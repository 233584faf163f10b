"""State changes of goals (docs/goals.md): keyword-only functions with their side effects."""

from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core.models import record

from . import values
from .models import Goal, GoalInitiative, GoalTemplate, GoalValue


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


def set_goal(*, organizer, by, initiatives=None, **fields):
    """Set a goal: its baseline is computed from the baseline round at once, and its value in
    every round since. ``initiatives``: the competence-development initiatives that serve it.

    Side effects: a Goal row, GoalValue rows, GoalInitiative rows, an audit event."""
    _check(fields)
    goal = Goal.objects.create(organizer=organizer, created_by=by, **{k: fields.get(k) for k in FIELDS if k in fields})
    _compute(goal)
    record(organizer=organizer, actor=by, verb="goal.set", obj=goal, summary=goal.title)
    if initiatives is not None:
        set_initiatives(goal=goal, initiatives=initiatives, by=by)
    return goal


def update_goal(*, goal, by, initiatives=None, **fields):
    """Change a goal; the baseline and values are computed again (comments are kept).
    ``initiatives`` (when given) replaces the initiatives that serve it.

    Side effects: updates the Goal and its GoalValue rows, GoalInitiative rows, an audit event."""
    _check(fields)
    if initiatives is not None:
        set_initiatives(goal=goal, initiatives=initiatives, by=by)
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


# -- the initiatives that serve a goal (competence development, docs/development.md) --


def _same_organiser(goal, initiative):
    if initiative.organizer_id != goal.organizer_id:
        raise GoalError(_("The initiative and the goal must belong to the same organiser."))


def link_initiative(*, goal, initiative, by):
    """Say that ``initiative`` serves ``goal`` (a second link is harmless). Returns the link.

    Side effects: a GoalInitiative row, an audit event."""
    _same_organiser(goal, initiative)
    link, created = GoalInitiative.objects.get_or_create(organizer=goal.organizer, goal=goal, initiative=initiative)
    if created:
        record(organizer=goal.organizer, actor=by, verb="goal.initiative_linked", obj=goal, summary=initiative.title)
    return link


def unlink_initiative(*, link, by):
    """Remove a goal's link to an initiative. Side effects: deletes the row, an audit event."""
    record(
        organizer=link.organizer,
        actor=by,
        verb="goal.initiative_unlinked",
        obj=link.goal,
        summary=link.initiative.title,
    )
    link.delete()


def set_initiatives(*, goal, initiatives, by):
    """The initiatives that serve ``goal`` are exactly ``initiatives`` (of the goal's organiser).

    Side effects: GoalInitiative rows made and deleted, audit events."""
    wanted = {i.pk: i for i in initiatives}
    for initiative in wanted.values():
        _same_organiser(goal, initiative)
    for link in GoalInitiative.objects.filter(goal=goal).select_related("initiative", "organizer", "goal"):
        if link.initiative_id not in wanted:
            unlink_initiative(link=link, by=by)
        else:
            wanted.pop(link.initiative_id)
    for initiative in wanted.values():
        link_initiative(goal=goal, initiative=initiative, by=by)


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
