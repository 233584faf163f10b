"""State changes of the calendar: own events and feeds. Keyword-only, each listing its side effects."""

from django.db import transaction

from stegvis.core.models import record
from stegvis.organisations import domain as organisations

from .models import Event, Feed

PURPOSE = "calendar"  # the token door's purpose of every feed (docs/tenancy.md)
EVENT_FIELDS = ("title", "district", "starts_on", "ends_on", "starts_at", "ends_at", "location", "description")


def add_event(*, organizer, by, **values):
    """Add an own event to the organiser's year wheel (``EVENT_FIELDS``).

    Side effects: an Event row (sequence 0), an audit event.
    """
    event = Event.objects.create(organizer=organizer, created_by=by, **_only_fields(values))
    record(organizer=organizer, actor=by, verb="calendar.event_added", obj=event, summary=event.title)
    return event


def change_event(*, event, by, **values):
    """Change an own event. When anything changes, ``sequence`` is raised by one so calendar
    clients replace their copy (the UID stays).

    Side effects: updates the Event row, an audit event naming the fields. Nothing when nothing changed.
    """
    values = _only_fields(values)
    changed = [f for f in EVENT_FIELDS if f in values and getattr(event, f) != values[f]]
    if not changed:
        return event
    for field in changed:
        setattr(event, field, values[field])
    event.sequence += 1
    event.save(update_fields=[*changed, "sequence", "updated_at"])
    record(organizer=event.organizer, actor=by, verb="calendar.event_changed", obj=event, summary=", ".join(changed))
    return event


def remove_event(*, event, by):
    """Remove an own event (feeds simply no longer list it). Side effects: deletes the row, an audit event."""
    record(organizer=event.organizer, actor=by, verb="calendar.event_removed", obj=event, summary=event.title)
    event.delete()


def _only_fields(values):
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields {sorted(unknown)}")
    return values


def live_feed(*, organizer, user):
    """The user's live personal feed (``user`` None: the organiser's feed), or None."""
    return (
        Feed.objects.filter(organizer=organizer, user=user, token__revoked_at__isnull=True)
        .select_related("token")
        .first()
    )


def create_feed(*, organizer, user, by):
    """A new feed for ``user`` in ``organizer`` (``user`` None: the organiser's whole wheel);
    the live one before it, if any, is revoked. Returns ``(feed, token)``: the token for the
    address ``/t/<token>/calendar.ics``, shown only this once.

    Side effects: revokes the old feed's token, an AccessToken row (purpose "calendar"), a Feed row, audit events (through ``organisations.domain``).
    """
    with transaction.atomic():
        old = live_feed(organizer=organizer, user=user)
        if old is not None:
            organisations.revoke_token(access_token=old.token, by=by)
        # the feed finds itself by its token (Feed.token), so the token needs no target
        access_token, token = organisations.issue_token(organizer=organizer, purpose=PURPOSE, by=by)
        feed = Feed.objects.create(organizer=organizer, user=user, token=access_token)
    return feed, token


def revoke_feed(*, feed, by):
    """Close a feed: its address answers 404 from now on.

    Side effects: revokes the feed's token (an audit event).
    """
    organisations.revoke_token(access_token=feed.token, by=by)
    return feed
