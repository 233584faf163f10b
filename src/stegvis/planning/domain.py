"""Action plans: made on publishing, edited by the unit, carried over between rounds."""

from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.assessments import domain as assessments
from stegvis.assessments.models import Perspective
from stegvis.core.models import record
from stegvis.cycles.lineage import key_map, lineage_members
from stegvis.frameworks.models import Activity
from stegvis.organisations.access import is_member_user

from . import signals
from .models import Action, ActionPlan, ActivityOutcome, Note


class PlanningError(Exception):
    """A request the rules do not allow; ``str(error)`` is the message for the user."""


class Conflict(PlanningError):
    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def publish(*, assessment, by):
    """Publish an assessment and, for the principal's perspective, give the unit its plan.

    Side effects: see ``assessments.domain.publish_assessment``; then ``ensure_plan`` and the
    unit's rows of the overview read model (``readmodel.refresh_unit``).
    Returns ``(published, plan)``; publishing twice is harmless.
    """
    with transaction.atomic():
        published = assessments.publish_assessment(assessment=assessment, by=by)
        plan = None
        if assessment.perspective == Perspective.PRINCIPAL:
            plan = ensure_plan(assessment=assessment, by=by)
            signals.plan_changed.send(sender=None, unit=assessment.unit, round=assessment.round)
    return published, plan


def ensure_plan(*, assessment, by):
    """The unit's plan for the assessment's round, pointing at this (latest) assessment.

    A new plan takes over the open actions (planned, in progress) of the unit's latest earlier
    plan on the same framework lineage (``cycles.lineage``: the same framework or another
    version of it, followed through ``previous`` also from an organiser's own version to the
    shipped one it adapts, never an unrelated framework), each as a copy that remembers where
    it came from. An action is carried once: one already carried into another plan stays there.
    Side effects: an ActionPlan row, copied Action rows, audit events.
    """
    plan = ActionPlan.objects.filter(unit=assessment.unit, round=assessment.round).first()
    if plan:
        if plan.assessment_id != assessment.pk:
            plan.assessment = assessment
            plan.save(update_fields=["assessment"])
        return plan
    plan = ActionPlan.objects.create(
        organizer=assessment.organizer, unit=assessment.unit, round=assessment.round, assessment=assessment
    )
    record(organizer=plan.organizer, actor=by, verb="plan.created", obj=plan, summary=str(plan))
    framework = assessment.round.framework
    earlier = (
        ActionPlan.objects.filter(
            unit=assessment.unit,
            round__opens_on__lt=assessment.round.opens_on,
            round__framework_id__in=lineage_members(framework),
        )
        .order_by("-round__opens_on", "-round_id")
        .first()
    )
    if earlier:
        successor = _successors(earlier=earlier, plan=plan)
        carried = []
        for a in earlier.actions.filter(status__in=Action.OPEN_STATUSES, carried_to__isnull=True).select_related(
            "indicator", "activity"
        ):
            indicator = successor(a.indicator)
            carried.append(
                Action(
                    organizer=plan.organizer,
                    plan=plan,
                    unit=plan.unit,
                    indicator=indicator,
                    activity=a.activity if indicator is not None and indicator == a.indicator else None,
                    title=a.title,
                    description=a.description,
                    priority=a.priority,
                    owner=a.owner,
                    owner_user_id=a.owner_user_id,
                    due_date=a.due_date,
                    status=a.status,
                    carried_from=a,
                    created_by=by,
                    updated_by=by,
                )
            )
        Action.objects.bulk_create(carried)
        if carried:
            record(
                organizer=plan.organizer,
                actor=by,
                verb="plan.carried_over",
                obj=plan,
                summary=f"{len(carried)} from {earlier.round.name}",
            )
    return plan


def _successors(*, earlier, plan):
    """A function giving an earlier plan's indicator its counterpart in the new plan's framework
    (an earlier version of the same lineage): itself when the framework is the same, else the
    indicator that descends from it through ``previous_key`` over the versions between."""
    framework = plan.round.framework
    if earlier.round.framework_id == framework.pk:
        return lambda indicator: indicator
    back = key_map(older=earlier.round.framework, newer=framework)  # new key -> old key
    by_key = {ind.key: ind for ind in framework.indicators.all()}
    by_old_key = {}
    for new_key, old_key in sorted(back.items(), key=lambda item: item[0] != item[1]):
        by_old_key[old_key] = by_key[new_key]  # an indicator that names its predecessor wins over a same key
    return lambda indicator: by_old_key.get(indicator.key) if indicator is not None else None


def suggestions(*, plan):
    """Suggested activities for every answered indicator below the top level.

    Returns a list of ``(indicator, level, [activities])`` in framework order, where the
    activities lead to the next level; an indicator without suggestions (a framework may have
    none) has an empty list. Optional indicators left unanswered are not listed.
    """
    assessment = plan.assessment
    framework = plan.round.framework
    top = framework.level_count
    answers = {
        ind: level
        for ind, level, nr in assessment.answers.values_list("indicator_id", "level", "not_relevant")
        if not nr and level is not None
    }
    indicators = [
        i
        for i in assessments.applicable_indicators(framework=framework, unit=plan.unit).select_related("group")
        if answers.get(i.pk, top) < top
    ]
    by_indicator = {}
    for act in Activity.objects.filter(indicator__in=indicators).order_by("to_level", "order"):
        if act.to_level == answers[act.indicator_id] + 1:
            by_indicator.setdefault(act.indicator_id, []).append(act)
    return [(i, answers[i.pk], by_indicator.get(i.pk, [])) for i in indicators]


def _check_owner_user(organizer, owner_user):
    if owner_user is not None and not is_member_user(owner_user, organizer):
        raise PlanningError(_("The owner must be a user of the organiser."))


def add_action(
    *,
    plan,
    by,
    title,
    description="",
    priority=2,
    owner="",
    owner_user=None,
    due_date=None,
    indicator=None,
    activity=None,
):
    """Add an action to the plan. ``owner_user``: the owner as a member of the organiser (who then
    gets its reminders); ``owner``: a name as free text. Side effects: an Action row, an audit event."""
    if priority not in (1, 2, 3):
        raise PlanningError(_("Priority must be 1, 2 or 3."))
    _check_owner_user(plan.organizer, owner_user)
    if activity is not None:
        indicator = activity.indicator
        existing = plan.actions.filter(activity=activity).first()
        if existing:  # a double click on "plan this" plans it once
            return existing
    action = Action.objects.create(
        organizer=plan.organizer,
        plan=plan,
        unit=plan.unit,
        indicator=indicator,
        activity=activity,
        title=title,
        description=description,
        priority=priority,
        owner=owner,
        owner_user=owner_user,
        due_date=due_date,
        created_by=by,
        updated_by=by,
    )
    signals.plan_changed.send(sender=None, unit=plan.unit, round=plan.round)
    record(organizer=plan.organizer, actor=by, verb="action.added", obj=action, summary=title)
    return action


def update_action(*, action, by, expected_revision, **fields):
    """Change an action's fields (title, description, priority, owner, owner_user, due_date, status,
    indicator). ``owner_user`` must be a member of the organiser.

    Raises ``Conflict`` when someone saved the action after ``expected_revision``.
    Side effects: updates the action, an audit event naming the changed fields.
    """
    allowed = {"title", "description", "priority", "owner", "owner_user", "due_date", "status", "indicator"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {unknown}")
    if "owner_user" in fields:
        _check_owner_user(action.organizer, fields["owner_user"])
    with transaction.atomic():
        current = Action.objects.select_for_update().get(pk=action.pk)
        changed = [f for f, v in fields.items() if getattr(current, f) != v]
        if not changed:
            return current
        if current.revision != expected_revision:
            raise Conflict(
                _("%(who)s saved this action after you opened it. Your changes were not saved; reload to see theirs.")
                % {"who": current.updated_by.display_name if current.updated_by else "?"},
                current,
            )
        for f in changed:
            setattr(current, f, fields[f])
        current.revision += 1
        current.updated_by = by
        current.save()
        if {"status", "priority", "indicator"} & set(changed):
            signals.plan_changed.send(sender=None, unit=current.unit, round=current.plan.round)
    record(organizer=current.organizer, actor=by, verb="action.changed", obj=current, summary=", ".join(changed))
    return current


def add_note(*, action, by, date, text):
    """Add a follow-up note. Side effects: a Note row, an audit event."""
    text = (text or "").strip()
    if not text:
        raise PlanningError(_("Write something in the note."))
    note = Note.objects.create(organizer=action.organizer, action=action, date=date, text=text, author=by)
    record(organizer=action.organizer, actor=by, verb="action.note", obj=action, summary=text[:100])
    return note


# -- what works (docs/what-works.md) ---------------------------------------------------------


def replace_activity_outcomes(*, organizer, rows, computed_at):
    """Replace the "what works" figures of one organiser (``organizer=None``: the national ones).

    Called by the goals room's scheduled job (``goals.whatworks``), which computes them; this
    room only keeps them for the action plan (``planning.outcomes``). ``rows``: tuples
    ``(activity_id, school_form, did, did_rose, others, others_rose, did_organizers,
    others_organizers)``. Side effects: deletes the organiser's ActivityOutcome rows and inserts
    the new ones, in one transaction. Returns how many were written.
    """
    made = [
        ActivityOutcome(
            organizer=organizer,
            activity_id=activity_id,
            school_form=school_form,
            did=did,
            did_rose=did_rose,
            others=others,
            others_rose=others_rose,
            did_organizers=did_organizers,
            others_organizers=others_organizers,
            computed_at=computed_at,
        )
        for activity_id, school_form, did, did_rose, others, others_rose, did_organizers, others_organizers in rows
    ]
    with transaction.atomic():
        ActivityOutcome.unscoped.filter(organizer=organizer).delete()
        ActivityOutcome.unscoped.bulk_create(made, batch_size=2000)
    return len(made)
