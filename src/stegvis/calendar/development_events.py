"""Competence development's sessions (tracks) in the year wheel and the feeds (docs/calendar.md,
docs/development.md). Registered by ``sources.register_builtin``: calendar stands above the
development room, so the source lives here and reads development's tracks."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from stegvis.development.models import Track


def session_events(*, organizer, reader, start, end):
    """The tracks and sessions of initiatives between ``start`` and ``end``: those of an
    initiative for the whole organiser for everybody, the others for who works in one of its
    target units or districts (everything for admins and viewers). One query."""
    from .sources import CalendarEvent

    rows = Track.objects.filter(organizer=organizer, starts_at__date__gte=start, starts_at__date__lte=end)
    if reader.only_district is not None or not reader.all:
        everyone = Q(initiative__target_units__isnull=True, initiative__target_districts__isnull=True)
        if reader.only_district is not None:
            units, districts = list(reader.units), [reader.only_district]
        else:
            units, districts = list(reader.units), list(reader.districts)
        rows = rows.filter(
            everyone | Q(initiative__target_units__in=units) | Q(initiative__target_districts__in=districts)
        ).distinct()
    for track in rows.select_related("initiative").order_by("starts_at", "pk"):
        starts = timezone.localtime(track.starts_at)
        ends = timezone.localtime(track.ends_at) if track.ends_at else None
        yield CalendarEvent(
            uid=f"track-{track.pk}@stegvis",
            kind="development",
            title=f"{track.title} ({track.initiative.title})",
            starts_on=starts.date(),
            starts_at=starts.time(),
            ends_at=ends.time() if ends and ends.date() == starts.date() else None,
            description=track.description,
            location=track.place or track.video_link,
            url=reverse("initiative", args=[organizer.slug, track.initiative_id]),
            content=f"{track.title}|{track.initiative.title}|{track.starts_at}|{track.ends_at}|{track.place}|{track.video_link}",
        )
