"""State changes of rounds: small keyword-only functions, each listing its side effects."""

from django.db import transaction

from stegvis.core.models import record
from stegvis.organisations.models import Unit

from .models import FollowUpDate, Round, RoundUnit


def open_round(
    *,
    organizer,
    name,
    framework,
    opens_on,
    deadline=None,
    closes_on=None,
    survey_opens_on=None,
    survey_closes_on=None,
    expected_perspectives=(),
    by,
):
    """Open a new round (it is *upcoming* until ``opens_on``) with its other dates (docs/calendar.md).

    Side effects: a Round row, a RoundUnit row for every active unit of the organiser (the
    units the round's totals count), an audit event.
    """
    with transaction.atomic():
        rnd = Round.objects.create(
            organizer=organizer,
            name=name,
            framework=framework,
            opens_on=opens_on,
            deadline=deadline,
            closes_on=closes_on,
            survey_opens_on=survey_opens_on,
            survey_closes_on=survey_closes_on,
            expected_perspectives=list(expected_perspectives),
        )
        enrol_active_units(round=rnd)
    record(organizer=organizer, actor=by, verb="round.opened", obj=rnd, summary=name)
    return rnd


def enrol_active_units(*, round):
    """Make every active unit of the organiser one of the round's units (those already in stay).

    Side effects: RoundUnit rows. Returns the number of units added.
    """
    unit_ids = Unit.objects.filter(organizer_id=round.organizer_id, active=True).values_list("pk", flat=True)
    return _add(round_ids=[round.pk], organizer_id=round.organizer_id, unit_ids=list(unit_ids))


def units_outside(*, round):
    """The organiser's active units that are not among the round's units (created while it was
    closed, or with "join open rounds" off), by name."""
    inside = RoundUnit.objects.filter(round=round).values("unit_id")
    return Unit.objects.filter(organizer_id=round.organizer_id, active=True).exclude(pk__in=inside).order_by("name")


def add_units_to_round(*, round, unit_ids, by):
    """Add chosen active units of the organiser to an open round (a closed round stays frozen).

    Side effects: RoundUnit rows, one audit event naming how many. Raises ``ValueError`` for a
    closed round. Returns the number of units added; ids of other organisers' units are ignored.
    """
    if round.status != Round.Status.OPEN:
        raise ValueError("closed round")
    ids = list(
        Unit.objects.filter(organizer_id=round.organizer_id, active=True, pk__in=list(unit_ids)).values_list(
            "pk", flat=True
        )
    )
    added = _add(round_ids=[round.pk], organizer_id=round.organizer_id, unit_ids=ids)
    if added:
        record(
            organizer=round.organizer,
            actor=by,
            verb="round.units_added",
            obj=round,
            summary=f"{round.name}: {added}",
        )
    return added


def add_units_to_open_rounds(*, organizer, unit_ids):
    """New (or reactivated) units join every open round of the organiser, upcoming ones included;
    closed rounds keep the units they had. Side effects: RoundUnit rows. Returns rows added."""
    round_ids = list(Round.objects.filter(organizer=organizer, status=Round.Status.OPEN).values_list("pk", flat=True))
    if not round_ids:
        return 0
    active = Unit.objects.filter(organizer=organizer, pk__in=list(unit_ids), active=True).values_list("pk", flat=True)
    return _add(round_ids=round_ids, organizer_id=organizer.pk, unit_ids=list(active))


def remove_units_from_open_rounds(*, organizer, unit_ids):
    """Deactivated units leave the organiser's open rounds; closed rounds keep them.
    Side effects: deletes RoundUnit rows. Returns the number deleted."""
    deleted, _by_model = RoundUnit.objects.filter(
        organizer=organizer, round__status=Round.Status.OPEN, unit_id__in=list(unit_ids)
    ).delete()
    return deleted


def _add(*, round_ids, organizer_id, unit_ids):
    if not round_ids or not unit_ids:
        return 0
    existing = set(
        RoundUnit.objects.filter(organizer_id=organizer_id, round_id__in=round_ids, unit_id__in=unit_ids).values_list(
            "round_id", "unit_id"
        )
    )
    rows = [
        RoundUnit(organizer_id=organizer_id, round_id=r, unit_id=u)
        for r in round_ids
        for u in unit_ids
        if (r, u) not in existing
    ]
    RoundUnit.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def on_units_added(sender, *, organizer, unit_ids, join_open_rounds=True, **kwargs):
    """``organisations.signals.units_added``: new active units join the open rounds when asked."""
    if join_open_rounds:
        add_units_to_open_rounds(organizer=organizer, unit_ids=unit_ids)


def on_unit_changed(sender, *, unit, fields, **kwargs):
    """``organisations.signals.unit_changed``: a unit (de)activated joins or leaves the open rounds."""
    if "active" not in fields:
        return
    if unit.active:
        add_units_to_open_rounds(organizer=unit.organizer, unit_ids=[unit.pk])
    else:
        remove_units_from_open_rounds(organizer=unit.organizer, unit_ids=[unit.pk])


def connect():
    """Called once from ``CyclesConfig.ready``."""
    from stegvis.organisations.signals import unit_changed, units_added

    units_added.connect(on_units_added, dispatch_uid="cycles.domain.units_added")
    unit_changed.connect(on_unit_changed, dispatch_uid="cycles.domain.unit_changed")


def set_round_status(*, round, status, by):
    """Close or reopen a round. A closed round is frozen: it keeps its units (RoundUnit rows)
    and no unit created meanwhile joins it. Side effects: updates the round, an audit event."""
    if round.status == status:
        return round
    round.status = status
    round.save(update_fields=["status"])
    record(organizer=round.organizer, actor=by, verb=f"round.{status}", obj=round, summary=round.name)
    return round


DATE_FIELDS = ("closes_on", "survey_opens_on", "survey_closes_on")
ROUND_FIELDS = ("name", "framework", "opens_on", "deadline", *DATE_FIELDS, "expected_perspectives")


def change_round(*, round, by, **values):
    """Change a round's name, framework or dates (the fields of ``ROUND_FIELDS`` given).

    Side effects: updates the round, an audit event naming the fields that changed.
    """
    changed = [f for f in ROUND_FIELDS if f in values and getattr(round, f) != values[f]]
    if not changed:
        return round
    for field in changed:
        setattr(round, field, values[field])
    round.save(update_fields=changed)
    record(organizer=round.organizer, actor=by, verb="round.changed", obj=round, summary=", ".join(changed))
    return round


# -- follow-up dates (docs/calendar.md) ------------------------------------------------------


def add_follow_up(*, round, date, title="", by):
    """Add a follow-up date to a round (the form checks that it lies inside the round).

    Side effects: a FollowUpDate row (sequence 0), an audit event.
    """
    follow_up = FollowUpDate.objects.create(organizer_id=round.organizer_id, round=round, date=date, title=title)
    record(organizer=round.organizer, actor=by, verb="round.follow_up_added", obj=round, summary=date.isoformat())
    return follow_up


def change_follow_up(*, follow_up, date, title, by):
    """Move or rename a follow-up date. When the date or the title changes, ``sequence`` is
    raised by one, so calendar clients replace the event they have (docs/calendar.md).

    Side effects: updates the FollowUpDate row, an audit event. Nothing when nothing changed.
    """
    if follow_up.date == date and follow_up.title == title:
        return follow_up
    before = follow_up.date.isoformat()
    follow_up.date, follow_up.title = date, title
    follow_up.sequence += 1
    follow_up.save(update_fields=["date", "title", "sequence"])
    record(
        organizer=follow_up.round.organizer,
        actor=by,
        verb="round.follow_up_changed",
        obj=follow_up.round,
        summary=f"{before} -> {date.isoformat()}",
    )
    return follow_up


def remove_follow_up(*, follow_up, by):
    """Remove a follow-up date. Side effects: deletes the row, an audit event."""
    rnd = follow_up.round
    summary = follow_up.date.isoformat()
    follow_up.delete()
    record(organizer=rnd.organizer, actor=by, verb="round.follow_up_removed", obj=rnd, summary=summary)
