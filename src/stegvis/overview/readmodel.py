"""Keep the PlanCell read model current, fed by two documented signals, never called by views:

- ``planning.signals.plan_changed(unit, round)``: a plan was created or an action changed;
  the unit's cells for the round are rebuilt.
- ``organisations.signals.unit_changed(unit, fields)``: a unit moved district (its cells' copy
  of the district is updated) or its school forms changed (its cells are rebuilt in every round
  it has a plan, since other indicators now apply).

A unit's cells for a round are rebuilt as a whole (40-odd rows): simple, and fast enough,
since it happens once per publish or action change.
"""

import contextlib
import contextvars

from django.db import transaction
from django.db.models import F

from stegvis.assessments import domain as assessments
from stegvis.assessments.models import Answer
from stegvis.planning.models import Action, ActionPlan

from .models import PlanCell, PlanCellVersion


def cell_state(*, level, not_relevant, top, action_statuses):
    """(state, priority) for one cell. ``action_statuses`` is a list of (status, priority)."""
    if not_relevant or (level is None and not action_statuses):
        return PlanCell.State.NA, None
    open_priorities = [p for s, p in action_statuses if s in Action.OPEN_STATUSES]
    if open_priorities:
        return PlanCell.State.PLANNED, min(open_priorities)
    if (level is not None and level >= top) or any(s == Action.Status.DONE for s, _p in action_statuses):
        return PlanCell.State.DONE, None
    if level is None:
        return PlanCell.State.NA, None
    return PlanCell.State.NONE, None


NOT_RELEVANT = "nr"  # how a cell's state reads when the indicator is not relevant for the unit
STATE_CODES = {
    PlanCell.State.NA: 0,
    PlanCell.State.NONE: 1,
    PlanCell.State.PLANNED: 2,
    PlanCell.State.DONE: 3,
    NOT_RELEVANT: 4,
}
_CODE_STATES = {v: k for k, v in STATE_CODES.items()}


def cell_code(*, level, not_relevant, state, priority):
    """One small integer for a cell: level + 10 x state code + 100 x priority (see ``decode``)."""
    return (level or 0) + 10 * STATE_CODES[NOT_RELEVANT if not_relevant else state] + 100 * (priority or 0)


def decode(code):
    """``(level, state, priority)`` for a cell code, the state "nr" when not relevant; None for None."""
    if code is None:
        return None
    return (code % 10 or None, _CODE_STATES[code // 10 % 10], code // 100 or None)


_deferred = contextvars.ContextVar("plancell_deferred", default=None)


@contextlib.contextmanager
def deferred():
    """Collect refreshes inside the block and run each (unit, round) once at its end.

    For bulk work (the demo generator, imports) that makes hundreds of changes in a row;
    the cells end up exactly as if every change had refreshed them.
    """
    if _deferred.get() is not None:  # already deferring: the outer block refreshes
        yield
        return
    pending = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for unit, rnd in pending.values():
        refresh_unit(unit=unit, round=rnd)


def refresh_unit(*, unit, round):
    """Rebuild the unit's cells for the round from its plan (or nothing when unpublished).

    Side effects: deletes and recreates the unit's PlanCell rows for the round and moves the
    round's ``PlanCellVersion`` on (at the end of the enclosing ``deferred()`` block, if there is one).
    """
    pending = _deferred.get()
    if pending is not None:
        pending[(unit.pk, round.pk)] = (unit, round)
        return 0
    plan = ActionPlan.objects.filter(unit=unit, round=round).select_related("assessment").first()
    top = round.framework.level_count
    cells = []
    if plan is not None:
        answers = {
            ind: (level, nr)
            for ind, level, nr in Answer.objects.filter(assessment=plan.assessment).values_list(
                "indicator_id", "level", "not_relevant"
            )
        }
        statuses = {}
        for ind, status, priority in Action.objects.filter(plan=plan, indicator__isnull=False).values_list(
            "indicator_id", "status", "priority"
        ):
            statuses.setdefault(ind, []).append((status, priority))
        for ind_id in assessments.applicable_indicators(framework=round.framework, unit=unit).values_list(
            "pk", flat=True
        ):
            level, nr = answers.get(ind_id, (None, False))
            state, priority = cell_state(
                level=level, not_relevant=nr, top=top, action_statuses=statuses.get(ind_id, [])
            )
            cells.append(
                PlanCell(
                    organizer_id=unit.organizer_id,
                    round=round,
                    unit=unit,
                    district_id=unit.district_id,
                    indicator_id=ind_id,
                    level=level,
                    not_relevant=nr,
                    state=state,
                    priority=priority,
                    code=cell_code(level=level, not_relevant=nr, state=state, priority=priority),
                )
            )
    with transaction.atomic():
        PlanCell.objects.filter(round=round, unit=unit).delete()
        PlanCell.objects.bulk_create(cells)
        _bump_version(organizer_id=unit.organizer_id, round=round)
    return len(cells)


def _bump_version(*, organizer_id, round):
    """Move the round's ``PlanCellVersion`` on (created at 1 by the first rebuild)."""
    bump = PlanCellVersion.objects.filter(round=round)
    if not bump.update(version=F("version") + 1):
        # ignore_conflicts: another rebuild of the round may create it at the same moment
        PlanCellVersion.objects.bulk_create(
            [PlanCellVersion(organizer_id=organizer_id, round=round)], ignore_conflicts=True
        )
        bump.update(version=F("version") + 1)


def on_plan_changed(sender, *, unit, round, **kwargs):
    refresh_unit(unit=unit, round=round)


def on_unit_changed(sender, *, unit, fields, **kwargs):
    """Side effects: PlanCell rows of the unit updated (district) or rebuilt (school forms)."""
    if "school_forms" in fields:
        # in round order: each rebuild locks its round's PlanCellVersion until the caller's
        # transaction ends, so two units changed at once take the locks in the same order
        for plan in ActionPlan.objects.filter(unit=unit).select_related("round__framework").order_by("round_id"):
            refresh_unit(unit=unit, round=plan.round)
    elif "district_id" in fields:
        PlanCell.objects.filter(organizer_id=unit.organizer_id, unit=unit).update(district_id=unit.district_id)


def connect():
    """Called once from ``OverviewConfig.ready``."""
    from stegvis.organisations.signals import unit_changed
    from stegvis.planning.signals import plan_changed

    plan_changed.connect(on_plan_changed, dispatch_uid="overview.readmodel.plan")
    unit_changed.connect(on_unit_changed, dispatch_uid="overview.readmodel.unit")
