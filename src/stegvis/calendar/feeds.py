"""iCal feeds (RFC 5545) built with ``icalendar``: one VCALENDAR with the Europe/Stockholm
VTIMEZONE, a stable UID per event, SEQUENCE raised when an event changes, and a refresh
interval for the clients that subscribe. docs/calendar.md."""

import datetime
import functools
import zoneinfo

import icalendar
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Revision
from .sources import events

TZID = "Europe/Stockholm"
TZ = zoneinfo.ZoneInfo(TZID)
REFRESH = datetime.timedelta(hours=6)  # how often a subscribed client fetches again
PAST = datetime.timedelta(days=183)  # a feed holds the last half year...
FUTURE = datetime.timedelta(days=2 * 366)  # ... and the next two years
PRODID = "-//Stegvis//Årshjul//SV"


def window(today=None):
    today = today or timezone.localdate()
    return today - PAST, today + FUTURE


def apply_sequences(*, organizer, rows):
    """Give every derived event (``sequence`` None) its SEQUENCE from the ``Revision`` table:
    0 when first seen, raised by one each time its content digest changes.

    Side effects: Revision rows created or updated (one query to read, a few to write).
    """
    derived = [e for e in rows if e.sequence is None]
    if not derived:
        return rows
    known = {r.uid: r for r in Revision.objects.filter(organizer=organizer, uid__in=[e.uid for e in derived])}
    new, changed = [], []
    for e in derived:
        rev = known.get(e.uid)
        if rev is None:
            new.append(Revision(organizer=organizer, uid=e.uid, digest=e.digest, sequence=0))
            e.sequence = 0
        elif rev.digest != e.digest:
            changed.append((rev, e))
            e.sequence = rev.sequence + 1
        else:
            e.sequence = rev.sequence
    if new:
        Revision.objects.bulk_create(new, ignore_conflicts=True)
    with transaction.atomic():
        for rev, e in changed:
            # conditional: two feeds read at once raise the sequence once
            Revision.objects.filter(pk=rev.pk, digest=rev.digest).update(
                digest=e.digest, sequence=F("sequence") + 1, updated_at=timezone.now()
            )
    return rows


@functools.lru_cache(maxsize=8)
def timezone_component(first_year, last_year):
    """The VTIMEZONE of Europe/Stockholm for the years the feed covers (computed once per
    window: the feed's window moves a day at a time)."""
    return icalendar.Timezone.from_tzinfo(
        TZ, tzid=TZID, first_date=datetime.date(first_year, 1, 1), last_date=datetime.date(last_year + 1, 1, 1)
    )


def build(*, organizer, reader, name, base_url, today=None, now=None):
    """The feed as bytes: every event for ``reader`` in the feed's window. ``base_url`` (scheme
    and host) makes the events' links absolute."""
    start, end = window(today)
    rows = events(organizer=organizer, reader=reader, start=start, end=end)
    apply_sequences(organizer=organizer, rows=rows)
    stamp = (now or timezone.now()).astimezone(datetime.UTC)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    cal.add_component(timezone_component(start.year, end.year))
    for e in rows:
        cal.add_component(_vevent(e, stamp=stamp, base_url=base_url))
    return cal.to_ical()


def _vevent(e, *, stamp, base_url):
    ev = icalendar.Event()
    ev.add("uid", e.uid)
    ev.add("dtstamp", stamp)
    ev.add("sequence", e.sequence or 0)
    ev.add("summary", e.title)
    if e.starts_at is not None:
        begins = datetime.datetime.combine(e.starts_on, e.starts_at, tzinfo=TZ)
        ev.add("dtstart", begins)
        if e.ends_at is not None:
            ends = datetime.datetime.combine(e.last_day, e.ends_at, tzinfo=TZ)
            ev.add("dtend", ends if ends > begins else begins + datetime.timedelta(hours=1))
        else:
            ev.add("dtend", begins + datetime.timedelta(hours=1))
    else:
        # whole days: DTEND is the day after the last day (RFC 5545 3.6.1)
        ev.add("dtstart", e.starts_on)
        ev.add("dtend", e.last_day + datetime.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
    description = e.description
    if e.district:
        description = f"{description}\n{e.district}".strip()
    if description:
        ev.add("description", description)
    if e.location:
        ev.add("location", e.location)
    if e.url and base_url:
        ev.add("url", base_url.rstrip("/") + e.url)
    ev.add("categories", [e.kind])
    return ev
