"""State changes of rounds: small keyword-only functions, each listing its side effects."""

from stegvis.core.models import record

from .models import Round


def open_round(*, organizer, name, framework, opens_on, deadline=None, by):
    """Open a new round. Side effects: a Round row, an audit event."""
    rnd = Round.objects.create(
        organizer=organizer, name=name, framework=framework, opens_on=opens_on, deadline=deadline
    )
    record(organizer=organizer, actor=by, verb="round.opened", obj=rnd, summary=name)
    return rnd


def set_round_status(*, round, status, by):
    """Close or reopen a round. Side effects: updates the round, an audit event."""
    if round.status == status:
        return round
    round.status = status
    round.save(update_fields=["status"])
    record(organizer=round.organizer, actor=by, verb=f"round.{status}", obj=round, summary=round.name)
    return round


ROUND_FIELDS = ("name", "framework", "opens_on", "deadline")


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
