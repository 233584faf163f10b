"""The digital maturity index: 0-100 per area and in total, for a unit, a district, the
organiser and the nation, per round. The formula is written down in docs/maturity.md:

  indicator score  (level - 1) / (top - 1) * 100, over answered, relevant indicators
  area             mean of the area's indicator scores (areas without an answer are left out)
  total            mean of the area figures
  district, organiser, national
                   mean of their units' figures (per area, and total), over units that have one;
                   national only from organisers that share, shown only above a minimum

Figures are pre-aggregated in ``MaturityFigure``. ``ensure_fresh`` is the read path's cheap
check: it recomputes an organiser's figures for a round when the PlanCell rows or the units'
districts changed since they were computed, so a read is current the moment after a publish.
"""

import zlib
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from stegvis.cycles.models import Round, RoundUnit
from stegvis.frameworks.models import Area, Indicator
from stegvis.organisations.models import Organizer
from stegvis.overview.models import PlanCell, PlanCellVersion

from .models import MaturityFigure, MaturitySnapshot

TOTAL = ""
Scope = MaturityFigure.Scope


# -- the formula ----------------------------------------------------------------------------


def indicator_score(*, level, top):
    """0 at level 1, 100 at the top level."""
    if top <= 1:
        return 100.0
    return (level - 1) / (top - 1) * 100


def unit_scores(*, cells, top, area_of):
    """{area_key: figure, "": total} for one unit from ``(indicator_id, level, not_relevant)`` rows.

    Unanswered and not-relevant indicators are left out; so is an area with no answered indicator.
    Returns {} when nothing is answered.
    """
    per_area = defaultdict(list)
    for indicator_id, level, not_relevant in cells:
        if level is None or not_relevant or indicator_id not in area_of:
            continue
        per_area[area_of[indicator_id]].append(indicator_score(level=level, top=top))
    figures = {area: fmean(scores) for area, scores in per_area.items()}
    if figures:
        figures[TOTAL] = fmean(figures.values())
    return figures


def mean_of_units(unit_figures):
    """{key: (mean, unit count)} over a list of unit figure dicts, key by key."""
    values = defaultdict(list)
    for figures in unit_figures:
        for key, value in figures.items():
            values[key].append(value)
    return {key: (fmean(vs), len(vs)) for key, vs in values.items()}


def school_year(date):
    """ "2026/27" for a date from July 2026 to June 2027: how national figures are grouped."""
    start = date.year if date.month >= 7 else date.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


# -- computing and storing -----------------------------------------------------------------


def members_by_round(organizer, rounds):
    """{round_id: {unit_id: district_id}} of each round's units (``cycles.RoundUnit``): the units
    its figures count, so a closed round's figures keep the units it had."""
    result = {r.pk: {} for r in rounds}
    for round_id, unit_id, district_id in RoundUnit.objects.filter(
        organizer=organizer, round__in=list(rounds)
    ).values_list("round_id", "unit_id", "unit__district_id"):
        result.setdefault(round_id, {})[unit_id] = district_id
    return result


def _source(*, version, units):
    """The fingerprint of what a round's figures are computed from: the version of its PlanCell
    rows (``overview.PlanCellVersion``, moved by every rebuild of them) and its units' districts."""
    digest = zlib.crc32(repr(sorted(units.items())).encode())
    return f"v{version}|{digest}"


def cell_versions(organizer, rounds):
    """{round_id: version} of the rounds' PlanCell rows (0 where no rebuild has touched them)."""
    found = dict(
        PlanCellVersion.objects.filter(organizer=organizer, round__in=list(rounds)).values_list("round_id", "version")
    )
    return {r.pk: found.get(r.pk, 0) for r in rounds}


def refresh_maturity(*, organizer, round, units=None, source=None):
    """Recompute and store the organiser's figures (units, districts, organiser) for a round.

    Reads PlanCell with ``values_list``. Side effects: replaces the organiser's MaturityFigure
    rows for the round and its MaturitySnapshot. Returns the number of figures stored.
    """
    framework = round.framework
    top = framework.level_count
    area_of = dict(Indicator.objects.filter(framework=framework).values_list("pk", "area__key"))
    if units is None:
        units = members_by_round(organizer, [round])[round.pk]
    if source is None:
        source = _source(version=cell_versions(organizer, [round])[round.pk], units=units)
    cells = defaultdict(list)
    for unit_id, indicator_id, level, not_relevant in PlanCell.objects.filter(
        organizer=organizer, round=round, level__isnull=False, not_relevant=False
    ).values_list("unit_id", "indicator_id", "level", "not_relevant"):
        if unit_id in units:
            cells[unit_id].append((indicator_id, level, not_relevant))
    per_unit = {u: unit_scores(cells=rows, top=top, area_of=area_of) for u, rows in cells.items()}
    per_unit = {u: f for u, f in per_unit.items() if f}
    by_district = defaultdict(list)
    for unit_id, figures in per_unit.items():
        if units[unit_id] is not None:
            by_district[units[unit_id]].append(figures)

    now = timezone.now()
    period = school_year(round.opens_on)
    common = {"organizer": organizer, "round": round, "framework": framework, "period": period, "computed_at": now}
    rows = []
    for unit_id, figures in per_unit.items():
        rows += [
            MaturityFigure(scope=Scope.UNIT, scope_id=unit_id, area_key=k, value=v, unit_count=1, **common)
            for k, v in figures.items()
        ]
    for district_id, figure_list in by_district.items():
        rows += [
            MaturityFigure(scope=Scope.DISTRICT, scope_id=district_id, area_key=k, value=v, unit_count=n, **common)
            for k, (v, n) in mean_of_units(figure_list).items()
        ]
    rows += [
        MaturityFigure(scope=Scope.ORGANIZER, scope_id=organizer.pk, area_key=k, value=v, unit_count=n, **common)
        for k, (v, n) in mean_of_units(per_unit.values()).items()
    ]
    with transaction.atomic():
        # The snapshot row is the lock: two requests refreshing at once write one set of figures.
        snapshot = _snapshot_locked(organizer=organizer, round=round, now=now)
        MaturityFigure.objects.filter(organizer=organizer, round=round).delete()
        MaturityFigure.objects.bulk_create(rows)
        MaturitySnapshot.objects.filter(pk=snapshot.pk).update(source=source, computed_at=now)
    return len(rows)


def _snapshot_locked(*, organizer, round, now):
    """The round's snapshot row, created if need be, locked until the transaction ends."""
    try:
        with transaction.atomic():  # a savepoint: another request may create it at the same moment
            MaturitySnapshot.objects.get_or_create(
                organizer=organizer, round=round, defaults={"source": "", "computed_at": now}
            )
    except IntegrityError:
        pass
    return MaturitySnapshot.objects.select_for_update().get(organizer=organizer, round=round)


def ensure_fresh(*, organizer, rounds, members=None):
    """Recompute the figures of every round whose read model changed since it was computed.

    The check costs three small queries whatever the number of rounds or units (the rounds'
    PlanCell versions, the rounds' units with their districts, the snapshots), two when the
    caller passes ``members`` (``members_by_round`` of the same rounds); the recomputation only
    runs after a publish, an action change, a unit move or a change of the round's units.
    Returns the rounds recomputed.
    """
    rounds = list(rounds)
    if not rounds:
        return []
    versions = cell_versions(organizer, rounds)
    units = members if members is not None else members_by_round(organizer, rounds)
    snapshots = dict(
        MaturitySnapshot.objects.filter(organizer=organizer, round__in=rounds).values_list("round_id", "source")
    )
    stale = []
    for rnd in rounds:
        source = _source(version=versions[rnd.pk], units=units.get(rnd.pk, {}))
        if snapshots.get(rnd.pk) != source:
            refresh_maturity(organizer=organizer, round=rnd, units=units.get(rnd.pk, {}), source=source)
            stale.append(rnd)
    return stale


def refresh_national():
    """Recompute the national figures: per shipped framework, school year and area, the mean
    over the unit figures of the organisers that share theirs (``Organizer.share_national``).

    Each row keeps what it rests on: ``unit_count``, ``organizer_count`` and ``contributors``
    ({organiser id: units}), so that a reader can tell whether the *other* organisers alone
    meet the minimum (``national``). Side effects: replaces all national MaturityFigure rows.
    """
    per_organizer = (
        MaturityFigure.unscoped.filter(
            scope=Scope.UNIT, organizer__share_national=True, framework__organizer__isnull=True
        )
        .values("framework_id", "period", "area_key", "organizer_id")
        .annotate(total=Sum("value"), units=Count("id"))
        .values_list("framework_id", "period", "area_key", "organizer_id", "total", "units")
    )
    groups = defaultdict(lambda: [0.0, 0, {}])
    for fw, period, area_key, organizer_id, total, units in per_organizer:
        group = groups[(fw, period, area_key)]
        group[0] += total
        group[1] += units
        group[2][str(organizer_id)] = units
    now = timezone.now()
    rows = [
        MaturityFigure(
            organizer=None,
            round=None,
            framework_id=fw,
            period=period,
            scope=Scope.NATIONAL,
            scope_id=None,
            area_key=area_key,
            value=total / units,
            unit_count=units,
            organizer_count=len(contributors),
            contributors=contributors,
            computed_at=now,
        )
        for (fw, period, area_key), (total, units, contributors) in groups.items()
        if units
    ]
    with transaction.atomic():
        MaturityFigure.unscoped.filter(scope=Scope.NATIONAL).delete()
        MaturityFigure.unscoped.bulk_create(rows)
    return len(rows)


def refresh_changed():
    """One pass of the freshness loop: recompute every organiser's stale rounds and, when any
    changed (or there are none yet), the national figures. Returns the number of rounds recomputed.

    The scheduler runs this every 30 seconds (``maturity.tasks.refresh_maturity``, the
    "refresh-maturity" job of ``STEGVIS_SCHEDULE``), which keeps organiser and national figures
    current within a minute of a publish even when nobody opens a page.
    """
    changed = 0
    for organizer in Organizer.objects.all():
        rounds = Round.objects.filter(organizer=organizer).select_related("framework")
        changed += len(ensure_fresh(organizer=organizer, rounds=rounds))
    if changed or not MaturityFigure.unscoped.filter(scope=Scope.NATIONAL).exists():
        refresh_national()
    return changed


def refresh_all():
    """Every organiser's figures for every round, then the national ones (the management command)."""
    count = 0
    for organizer in Organizer.objects.all():
        for rnd in Round.objects.filter(organizer=organizer).select_related("framework"):
            count += refresh_maturity(organizer=organizer, round=rnd)
    return count + refresh_national()


# -- reading --------------------------------------------------------------------------------


def figures(*, organizer, rounds, scope, scope_ids=None):
    """{(round_id, scope_id): {area_key: (value, unit_count)}} for fresh figures (call ensure_fresh first)."""
    qs = MaturityFigure.objects.filter(organizer=organizer, round__in=rounds, scope=scope)
    if scope_ids is not None:
        qs = qs.filter(scope_id__in=scope_ids)
    result = defaultdict(dict)
    for round_id, scope_id, area_key, value, count in qs.values_list(
        "round_id", "scope_id", "area_key", "value", "unit_count"
    ):
        result[(round_id, scope_id)][area_key] = (value, count)
    return result


@dataclass
class National:
    """The national figures an organiser may see, per round, and what they rest on.

    ``values``: {round_id: {area_key: (value, unit_count)}} for the rounds where the other
    sharing organisers alone meet the minimum; ``others``: {round_id: (organisers, units)}
    besides the reader, for every round with national figures, shown or not.
    """

    values: dict
    others: dict

    @property
    def shown(self):
        return bool(self.values)

    @property
    def withheld(self):
        """Rounds whose national figure exists but rests on too few other organisers or units."""
        return [r for r in self.others if r not in self.values]


def minimum():
    """(organisers, units): what the other sharing organisers must reach for a national figure."""
    return settings.STEGVIS_NATIONAL_MIN_ORGANIZERS, settings.STEGVIS_NATIONAL_MIN_UNITS


def national(*, rounds, organizer):
    """The national figures of each round's framework and school year that ``organizer`` may see
    (as last refreshed): only where the sharing organisers *other than* ``organizer`` are at
    least ``STEGVIS_NATIONAL_MIN_ORGANIZERS`` with ``STEGVIS_NATIONAL_MIN_UNITS`` units between
    them, so nobody can take their own figures out and read another organiser's. The figure
    itself includes the reader's units when it shares."""
    keys = defaultdict(list)
    for r in rounds:
        keys[(r.framework_id, school_year(r.opens_on))].append(r.pk)
    if not keys:
        return National(values={}, others={})
    min_organizers, min_units = minimum()
    mine = str(organizer.pk)
    values, others = defaultdict(dict), {}
    qs = MaturityFigure.unscoped.filter(
        scope=Scope.NATIONAL, framework_id__in={fw for fw, _p in keys}, period__in={p for _fw, p in keys}
    )
    for fw, period, area_key, value, count, organizers, contributors in qs.values_list(
        "framework_id", "period", "area_key", "value", "unit_count", "organizer_count", "contributors"
    ):
        own = (contributors or {}).get(mine, 0)
        other_organizers, other_units = organizers - (1 if own else 0), count - own
        for round_id in keys.get((fw, period), ()):
            if area_key == TOTAL:
                others[round_id] = (other_organizers, other_units)
            if other_organizers >= min_organizers and other_units >= min_units:
                values[round_id][area_key] = (value, count)
    # an area is shown only with its round's total
    values = {r: v for r, v in values.items() if TOTAL in v}
    return National(values=values, others=others)


def unit_totals(*, organizer, rounds, unit_ids=None):
    """{round_id: {unit_id: total figure}} of the units with a figure (call ensure_fresh first)."""
    qs = MaturityFigure.objects.filter(organizer=organizer, round__in=list(rounds), scope=Scope.UNIT, area_key=TOTAL)
    if unit_ids is not None:
        qs = qs.filter(scope_id__in=list(unit_ids))
    result = defaultdict(dict)
    for round_id, unit_id, value in qs.values_list("round_id", "scope_id", "value"):
        result[round_id][unit_id] = value
    return result


def like_with_like(current, previous):
    """The change between two rounds over the units with a figure in both: (change, units,
    current mean, previous mean) from two {unit_id: figure} dicts; None when no unit is in both."""
    both = current.keys() & previous.keys()
    if not both:
        return None
    now, before = fmean(current[u] for u in both), fmean(previous[u] for u in both)
    return now - before, len(both), now, before


def is_partial(units, of):
    """A figure resting on ``units`` of a round's ``of`` units stands for only part of the round
    (fewer than ``STEGVIS_COMPLETE_SHARE`` of them)."""
    return bool(of) and units < settings.STEGVIS_COMPLETE_SHARE * of


def round_unit_counts(*, organizer, rounds):
    """{round_id: {None: units of the round, district_id: units of the district in it}}."""
    result = {}
    for round_id, units in members_by_round(organizer, rounds).items():
        counts = defaultdict(int)
        for district_id in units.values():
            counts[district_id] += 1
        counts[TOTAL_UNITS] = len(units)
        result[round_id] = dict(counts)
    return result


TOTAL_UNITS = "all"  # the key of round_unit_counts for the round's units as a whole


def areas_of(framework):
    """[(key, Area)] in order."""
    return [(a.key, a) for a in Area.objects.filter(framework=framework).order_by("order")]


def as_level(value, top):
    """The mean level (1..top) that a maturity figure stands for: the inverse of the formula."""
    if value is None:
        return None
    return 1 + value / 100 * (top - 1)
