"""Where the year wheel's events come from: a small registry of sources.

A source is a function ``source(*, organizer, reader, start, end)`` that yields
``CalendarEvent`` rows between ``start`` and ``end`` (dates, inclusive) that concern the
``reader``. It filters by the reader in its own queries, so a feed never loads what it will not
show. Titles are built in the active language (the caller sets it).

Register one with ``register(kinds=[Kind(...)], source=fn)``, e.g. from a room's ``AppConfig``
or, since calendar stands above them, right here in ``register_builtin``: network meetings,
competence-development sessions and the organiser's plan's central actions add a source and
their kinds the same way. docs/calendar.md.
"""

import dataclasses
import datetime
import hashlib

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.cycles.models import FollowUpDate, Round, RoundUnit
from stegvis.networks.models import Meeting
from stegvis.organisations.models import Unit

from .models import Event


@dataclasses.dataclass(frozen=True)
class Kind:
    """A kind of event: its code (filters, CSS class ``kind-<code>``), its label and the ring
    of the year wheel it is drawn on (0 the outermost)."""

    code: str
    label: object
    ring: int = 0


@dataclasses.dataclass
class CalendarEvent:
    """One event of the wheel or a feed. ``ends_on`` is the last day (inclusive) of an event
    over several days; ``starts_at``/``ends_at`` are local times (Europe/Stockholm) or None for
    a whole-day event. ``sequence`` None: the feed derives it from ``content`` (``Revision``)."""

    uid: str
    kind: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None
    district: str = ""  # the district's name, or "" for the whole organiser
    description: str = ""
    location: str = ""
    url: str = ""  # a path inside the site, or ""
    sequence: int | None = None
    content: str = ""  # language-independent content; a change raises the sequence
    own_event_id: int | None = None  # a calendar.Event (the organiser's own): editable

    @property
    def last_day(self):
        return self.ends_on or self.starts_on

    @property
    def kind_label(self):
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def digest(self):
        return hashlib.sha256(self.content.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Reader:
    """Whom the events are for: everything (``all``), or the units and districts a person
    works with. Built from ``request.access`` by ``reader_for``; a district filter narrows it."""

    all: bool = False
    units: frozenset = frozenset()
    districts: frozenset = frozenset()
    only_district: int | None = None  # the page's district filter
    user_id: int | None = None  # the person reading (their networks' meetings), None for a feed of all
    organiser_plan: bool = False  # may read the organiser's plan (its central actions); ``all`` implies it

    def narrowed_to(self, *, organizer, district_id):
        """The same reader limited to one district (its units, its events, organiser-wide events)."""
        units = Unit.objects.filter(organizer=organizer, district_id=district_id)
        if not self.all:
            units = units.filter(pk__in=list(self.units))
        return Reader(
            all=False,
            units=frozenset(units.values_list("pk", flat=True)),
            districts=frozenset({district_id}) if self.all or district_id in self.districts else frozenset(),
            only_district=district_id,
            user_id=self.user_id,
            organiser_plan=self.organiser_plan,
        )


def reader_for(access, organizer):
    """The reader of ``access`` (an ``organisations.access.Access``): admins and viewers read
    every event; district leads their districts' units; principals and contributors their units.
    Who may read the organiser's plan also reads its central actions."""
    plan = access.can_read_organiser_plan
    if access.can_read_all_units:
        return Reader(all=True, user_id=access.user.pk, organiser_plan=plan)
    pairs = list(access.visible_units(Unit.objects.filter(organizer=organizer)).values_list("pk", "district_id"))
    districts = {d for _pk, d in pairs if d is not None}
    districts |= set(access.visible_districts(organizer.districts.all()).values_list("pk", flat=True))
    return Reader(
        units=frozenset(pk for pk, _d in pairs),
        districts=frozenset(districts),
        user_id=access.user.pk,
        organiser_plan=plan,
    )


# -- the registry ----------------------------------------------------------------------------

KINDS = {}  # code -> Kind, in the order registered
SOURCES = []


def register(*, kinds, source):
    """Add a source and the kinds of events it yields (idempotent per kind code)."""
    for kind in kinds:
        KINDS.setdefault(kind.code, kind)
    if source not in SOURCES:
        SOURCES.append(source)


def events(*, organizer, reader, start, end, kinds=None):
    """Every registered source's events between ``start`` and ``end`` for ``reader``, in date
    order; ``kinds`` (codes) filters."""
    rows = []
    for source in SOURCES:
        rows.extend(source(organizer=organizer, reader=reader, start=start, end=end))
    if kinds:
        rows = [e for e in rows if e.kind in kinds]
    rows = [e for e in rows if e.starts_on <= end and e.last_day >= start]
    rows.sort(key=lambda e: (e.starts_on, e.starts_at or datetime.time.min, e.kind, e.title))
    return rows


# -- the built-in sources: rounds, follow-up dates, own events -------------------------------


def _rounds_for(*, organizer, reader, start, end):
    rounds = Round.objects.filter(organizer=organizer, opens_on__lte=end).filter(
        Q(closes_on__gte=start) | Q(closes_on__isnull=True, opens_on__gte=start - datetime.timedelta(days=366))
    )
    if not reader.all:
        taking_part = RoundUnit.objects.filter(organizer=organizer, unit_id__in=list(reader.units))
        rounds = rounds.filter(pk__in=taking_part.values("round_id"))
    return rounds


def round_events(*, organizer, reader, start, end):
    """A round's opening, its deadline for publishing, its survey window and its last day,
    for the rounds in which one of the reader's units takes part."""
    url = reverse("org_home", args=[organizer.slug])
    for rnd in _rounds_for(organizer=organizer, reader=reader, start=start, end=end):
        yield _round_event(rnd, "opens", "round", _("%(round)s opens") % {"round": rnd.name}, rnd.opens_on, url=url)
        if rnd.deadline:
            yield _round_event(
                rnd,
                "deadline",
                "deadline",
                _("Last day to publish: %(round)s") % {"round": rnd.name},
                rnd.deadline,
                url=url,
                description=_("The units' self-assessments should be published by this day."),
            )
        if rnd.survey_opens_on and rnd.survey_closes_on:
            yield _round_event(
                rnd,
                "survey",
                "survey",
                _("Survey window: %(round)s") % {"round": rnd.name},
                rnd.survey_opens_on,
                until=rnd.survey_closes_on,
                url=url,
            )
        if rnd.closes_on:
            yield _round_event(
                rnd, "closes", "round", _("%(round)s closes") % {"round": rnd.name}, rnd.closes_on, url=url
            )


def _round_event(rnd, part, kind, title, day, *, url, until=None, description=""):
    """One of a round's dates. The UID names the round's id and the part, so it survives a
    rename; the content (name and dates) decides the SEQUENCE (``feeds.apply_sequences``)."""
    return CalendarEvent(
        uid=f"round-{rnd.pk}-{part}@stegvis",
        kind=kind,
        title=title,
        starts_on=day,
        ends_on=until,
        description=description,
        url=url,
        content=f"{part}|{rnd.name}|{day}|{until}",
    )


def follow_up_events(*, organizer, reader, start, end):
    """The rounds' follow-up dates (their own ``sequence``: raised by ``cycles.domain``)."""
    rounds = _rounds_for(organizer=organizer, reader=reader, start=start, end=end)
    rows = FollowUpDate.objects.filter(
        organizer=organizer, round__in=rounds, date__gte=start, date__lte=end
    ).select_related("round")
    for fu in rows:
        title = fu.title or _("Follow-up")
        yield CalendarEvent(
            uid=f"followup-{fu.pk}@stegvis",
            kind="follow_up",
            title=f"{title} ({fu.round.name})",
            starts_on=fu.date,
            description=_("The units follow up their action plans."),
            url=reverse("org_home", args=[organizer.slug]),
            sequence=fu.sequence,
        )


def own_events(*, organizer, reader, start, end):
    """The organiser's own events: organiser-wide ones for everybody, a district's for who
    works there (and everything for admins and viewers)."""
    rows = Event.objects.filter(organizer=organizer, starts_on__lte=end).filter(
        Q(ends_on__gte=start) | Q(starts_on__gte=start)
    )
    if reader.only_district is not None:
        rows = rows.filter(Q(district__isnull=True) | Q(district_id=reader.only_district))
    if not reader.all:
        rows = rows.filter(Q(district__isnull=True) | Q(district_id__in=list(reader.districts)))
    for event in rows.select_related("district"):
        yield CalendarEvent(
            uid=f"event-{event.pk}@stegvis",
            kind="own",
            title=event.title,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            district=event.district.name if event.district else "",
            description=event.description,
            location=event.location,
            sequence=event.sequence,
            own_event_id=event.pk,
        )


def network_meeting_events(*, organizer, reader, start, end):
    """Network meetings (docs/networks.md): those of the reader's own networks; every network's
    for a reader of everything (admins and viewers, the organiser's feed). A district filter
    leaves them out: networks belong to the whole organiser."""
    if reader.only_district is not None:
        return
    rows = Meeting.objects.filter(organizer=organizer, date__gte=start, date__lte=end).select_related("network")
    if not reader.all:
        if reader.user_id is None:
            return
        rows = rows.filter(network__members__user_id=reader.user_id)
    for meeting in rows:
        yield CalendarEvent(
            uid=f"network-meeting-{meeting.pk}@stegvis",
            kind="network",
            title=f"{meeting.network.name}: {meeting.theme}",
            starts_on=meeting.date,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            location=meeting.place or meeting.video_link,
            description=meeting.video_link if meeting.place else "",
            url=reverse("network_meeting", args=[organizer.slug, meeting.pk]),
            sequence=meeting.sequence,
        )


def register_builtin():
    """The sources this room knows; called from ``CalendarConfig.ready``."""
    register(
        kinds=[
            Kind("round", gettext_lazy("Round opens or closes"), ring=0),
            Kind("deadline", gettext_lazy("Deadline for publishing"), ring=0),
            Kind("survey", gettext_lazy("Survey window"), ring=1),
        ],
        source=round_events,
    )
    register(kinds=[Kind("follow_up", gettext_lazy("Follow-up date"), ring=2)], source=follow_up_events)
    register(kinds=[Kind("own", gettext_lazy("The organiser's own event"), ring=3)], source=own_events)
    register(kinds=[Kind("network", gettext_lazy("Network meeting"), ring=4)], source=network_meeting_events)
    # competence development's tracks and sessions (development_events.py)
    from .development_events import session_events

    register(kinds=[Kind("development", gettext_lazy("Competence-development session"), ring=3)], source=session_events)
    # the organiser's plan's central actions (plan_events.py)
    from .plan_events import central_action_events

    register(
        kinds=[Kind("central_action", gettext_lazy("Central action of the organiser's plan"), ring=2)],
        source=central_action_events,
    )
