"""Publication status: the one place that decides whether a unit has published in a round.

A unit's status in a round is that of its principal's assessment (other perspectives never
count): *published* when a version is published (a newer version may be in draft), *draft*
when only a draft exists, *not started* otherwise. Only the round's units count
(``cycles.RoundUnit``: the active units when it opened, plus units added while it was open),
so a closed round's totals never change when units are imported or deactivated later.

Every page, report and export that shows who has published reads it from here:
``unit_statuses`` per unit, ``publication_counts`` per round.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stegvis.cycles.queries import members

from .models import Assessment, Perspective

PUBLISHED, DRAFT, NOT_STARTED = "published", "draft", "not_started"
STATUSES = [(PUBLISHED, _("Published")), (DRAFT, _("Draft")), (NOT_STARTED, _("Not started"))]
LABELS = dict(STATUSES)


def decide(*, published, draft):
    """The status from whether a published version and a draft exist."""
    if published:
        return PUBLISHED
    return DRAFT if draft else NOT_STARTED


@dataclass
class UnitStatus:
    """A unit's principal assessment in a round."""

    status: str = NOT_STARTED
    published_at: object = None  # the latest published version's date
    has_draft: bool = False  # a draft exists (a new version, when published)
    last: object = None  # the last time an assessment was saved or published

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def new_draft(self):
        """Published, and a new version is in draft."""
        return self.status == PUBLISHED and self.has_draft


@dataclass
class Counts:
    """How many of a round's units have published, have a draft, have not started."""

    units: int = 0
    published: int = 0
    draft: int = 0

    @property
    def not_started(self):
        return self.units - self.published - self.draft

    @property
    def share(self):
        """Published, in whole per cent of the round's units."""
        return round(100 * self.published / self.units) if self.units else 0

    @property
    def complete(self):
        """Enough units published for the round's figures to stand for the round (not partial)."""
        return bool(self.units) and self.published >= settings.STEGVIS_COMPLETE_SHARE * self.units


def _rows(*, organizer, rounds, unit_ids):
    qs = Assessment.objects.filter(organizer=organizer, round__in=list(rounds), perspective=Perspective.PRINCIPAL)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.order_by().values_list("round_id", "unit_id", "status", "published_at", "updated_at")


def unit_statuses(*, organizer, round, unit_ids=None):
    """{unit_id: UnitStatus} for every unit of the round (only those in ``unit_ids`` when given:
    a list or a queryset of ids, e.g. the units a user may see)."""
    result = {}
    in_round = members(organizer=organizer, rounds=[round])[round.pk]
    if unit_ids is not None:
        in_round &= set(unit_ids)
    for _round_id, unit_id, status, published_at, updated_at in _rows(
        organizer=organizer, rounds=[round], unit_ids=unit_ids
    ):
        if unit_id not in in_round:
            continue
        info = result.setdefault(unit_id, UnitStatus())
        if status == Assessment.Status.PUBLISHED and published_at:
            info.published_at = max(filter(None, [info.published_at, published_at]))
        elif status == Assessment.Status.DRAFT:
            info.has_draft = True
        info.last = max(filter(None, [info.last, updated_at, published_at]))
    for unit_id in in_round:
        info = result.setdefault(unit_id, UnitStatus())
        info.status = decide(published=info.published_at is not None, draft=info.has_draft)
    return result


def publication_counts(*, organizer, rounds, unit_ids=None):
    """{round_id: Counts} over each round's units (only those in ``unit_ids`` when given)."""
    rounds = list(rounds)
    in_round = members(organizer=organizer, rounds=rounds)
    if unit_ids is not None:
        wanted = set(unit_ids)
        in_round = {r: ids & wanted for r, ids in in_round.items()}
    published, drafts = set(), set()
    for round_id, unit_id, status, published_at, _updated in _rows(
        organizer=organizer, rounds=rounds, unit_ids=unit_ids
    ):
        if unit_id not in in_round.get(round_id, ()):
            continue
        if status == Assessment.Status.PUBLISHED and published_at:
            published.add((round_id, unit_id))
        elif status == Assessment.Status.DRAFT:
            drafts.add((round_id, unit_id))
    result = {}
    for r in rounds:
        ids = in_round.get(r.pk, set())
        pub = {u for u in ids if (r.pk, u) in published}
        result[r.pk] = Counts(
            units=len(ids), published=len(pub), draft=len({u for u in ids if (r.pk, u) in drafts} - pub)
        )
    return result
