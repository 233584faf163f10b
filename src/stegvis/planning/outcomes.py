"""What works, as read from the ``ActivityOutcome`` read model (docs/what-works.md).

The goals room computes the figures (``goals.whatworks``, a scheduled job) and writes them
through ``domain.replace_activity_outcomes``; this module decides which of them may be shown,
for the action plan's suggestions and the organiser's report alike:

- **the organiser's own figures**: a group (the units that completed an activity, or those at
  the same starting level that did not) is shown only when it rests on at least ``min_units``
  units (5, the surveys' ``K_DEFAULT``, never lower);
- **the national figures**: only to an organiser that shares its own figures
  (``Organizer.share_national``), over the organisers that share theirs, and a group only when
  the *other* sharing organisers alone have at least ``min_units`` units in it and are at least
  ``STEGVIS_NATIONAL_MIN_ORGANIZERS`` (5) organisers. So no organiser can take its own units out
  of a national figure and read another organiser's, and none reads another's at all unless
  both share.

One query for any number of activities. The figures say how often units rose, not why: the
pages say plainly that it is an association, not proof.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.core import numbers
from stegvis.surveys import anonymity

from .models import ActivityOutcome

ALL_FORMS = 0  # ActivityOutcome.school_form of the row over all units


def min_units(organizer):
    """The smallest group of units a figure may rest on (the surveys' k: 5, never lower)."""
    return anonymity.effective_k(None)


def min_organizers():
    """How many other sharing organisers a national figure must rest on."""
    return settings.STEGVIS_NATIONAL_MIN_ORGANIZERS


@dataclass(frozen=True)
class Group:
    """One side of a comparison: ``units`` units, of which ``rose`` rose by the next round."""

    units: int
    rose: int
    shown: bool

    @property
    def share(self):
        """Per cent of the units that rose (None for no units)."""
        return 100 * self.rose / self.units if self.units else None

    @property
    def share_text(self):
        """ "67 %" (whole per cent, halves up; an integer needs no localising), "–" for no units."""
        return f"{int(numbers.rounded(self.share, numbers.INDEX_DIGITS))} %" if self.units else numbers.MISSING


@dataclass(frozen=True)
class Figure:
    """What came of one activity in one scope: those that did it against those that did not."""

    did: Group
    others: Group
    organizers: int = 0  # national figures: the organisers the units come from

    @property
    def shown(self):
        """Anything to say: the units that did it are enough (the comparison needs them)."""
        return self.did.shown


@dataclass
class Outcomes:
    """``own`` and ``national``: {activity_id: Figure} (a Figure whether shown or not);
    ``national_allowed``: the organiser shares, so national figures may be shown to it."""

    own: dict
    national: dict
    national_allowed: bool
    k: int
    min_organizers: int


def read(*, organizer, activity_ids=None, school_form=ALL_FORMS):
    """The figures of ``activity_ids`` (None: all) for ``organizer``, with what may be shown. One query."""
    k, least_organizers = min_units(organizer), min_organizers()
    allowed = bool(organizer.share_national)
    where = Q(organizer=organizer) | Q(organizer__isnull=True) if allowed else Q(organizer=organizer)
    qs = ActivityOutcome.unscoped.filter(where, school_form=school_form)
    if activity_ids is not None:
        qs = qs.filter(activity_id__in=list(activity_ids))
    own_rows, national_rows = {}, {}
    for org_id, act, did, did_rose, others, others_rose, did_orgs, others_orgs in qs.values_list(
        "organizer_id", "activity_id", "did", "did_rose", "others", "others_rose", "did_organizers", "others_organizers"
    ):
        (national_rows if org_id is None else own_rows)[act] = (
            did,
            did_rose,
            others,
            others_rose,
            did_orgs,
            others_orgs,
        )
    own = {
        act: Figure(
            did=Group(did, did_rose, did >= k),
            others=Group(others, others_rose, others >= k),
        )
        for act, (did, did_rose, others, others_rose, _do, _oo) in own_rows.items()
    }
    national = {}
    for act, (did, did_rose, others, others_rose, did_orgs, others_orgs) in national_rows.items():
        mine = own_rows.get(act, (0, 0, 0, 0, 0, 0))

        def enough(units, organizers, my_units):
            other_units = units - my_units
            other_organizers = organizers - (1 if my_units else 0)
            return other_units >= k and other_organizers >= least_organizers

        national[act] = Figure(
            did=Group(did, did_rose, enough(did, did_orgs, mine[0])),
            others=Group(others, others_rose, enough(others, others_orgs, mine[2])),
            organizers=max(did_orgs, others_orgs),
        )
    return Outcomes(own=own, national=national, national_allowed=allowed, k=k, min_organizers=least_organizers)


def sentence(figure, *, where):
    """The figure in one sentence, as the action plan shows it ("I Mittköping: 12 av 18 enheter
    som gjorde detta steg minst ett steg till nästa omgång, mot 5 av 40 som inte gjorde det."),
    or None when it may not be shown. ``where``: the organiser's name, or "the country"."""
    if figure is None or not figure.shown:
        return None
    did = ngettext(
        "%(rose)s of %(units)s unit that did this rose at least one step by the next round",
        "%(rose)s of %(units)s units that did this rose at least one step by the next round",
        figure.did.units,
    ) % {"rose": figure.did.rose, "units": figure.did.units}
    if figure.others.shown:
        return _("%(where)s: %(did)s, against %(rose)s of %(units)s that did not.") % {
            "where": where,
            "did": did,
            "rose": figure.others.rose,
            "units": figure.others.units,
        }
    return _("%(where)s: %(did)s.") % {"where": where, "did": did}


def plan_lines(*, organizer, activity_ids):
    """{activity_id: [sentence, ...]} for the action plan's suggestions: the organiser's own
    figure, then the national one where it may be shown. One query."""
    found = read(organizer=organizer, activity_ids=activity_ids)
    lines = {}
    for act in activity_ids:
        texts = [sentence(found.own.get(act), where=_("In %(organizer)s") % {"organizer": organizer.name})]
        if found.national_allowed:
            texts.append(sentence(found.national.get(act), where=_("In the country")))
        texts = [t for t in texts if t]
        if texts:
            lines[act] = texts
    return lines
