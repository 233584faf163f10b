"""The organiser's view of a round's perspectives: which units have which perspectives
published, and where the principals and the others differ most (per indicator across units,
and per unit), for the units and indicators in view (the grid's filters).

Read with two ``values_list`` queries whatever the number of units or perspectives: the
round's assessments (to find each perspective's latest published version) and the levels of
the round's published answers. Only published assessments count; a draft shows as "in draft"
without its levels (docs/perspectives.md).
"""

from dataclasses import dataclass, field

from stegvis.assessments.comparison import GAP, ORDER
from stegvis.assessments.models import Answer, Assessment, Perspective

LABELS = dict(Perspective.choices)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    district: str
    published: list = field(default_factory=list)  # labels of published perspectives
    drafts: list = field(default_factory=list)  # labels of perspectives only in draft
    missing: list = field(default_factory=list)  # expected perspectives with nothing published
    compared: int = 0  # indicators with the principal's level and another's
    gaps: int = 0  # of those, how many differ by GAP or more
    largest: int | None = None
    mean: float | None = None  # mean largest difference to the principal


@dataclass
class IndicatorRow:
    indicator_id: int
    code: str
    title: str
    units: int = 0  # units where the principal and another perspective both chose a level
    gaps: int = 0  # units where they differ by GAP or more
    others_lower: int = 0  # units where another perspective sees the unit lower
    mean: float | None = None


def _label(perspective, name):
    return name or str(LABELS.get(perspective, perspective))


def perspective_gaps(sel):
    """For a ``grid.Selection``: ``{"units": [UnitRow], "indicators": [IndicatorRow], "expected":
    [labels]}``; units by most gaps first, indicators by the largest mean difference."""
    rnd = sel.round
    in_view = set(sel.unit_ids)
    latest, drafts = {}, {}
    for pk, unit_id, perspective, group_id, name, status in (
        Assessment.objects.filter(organizer=sel.organizer, round=rnd, **sel.in_view)
        .order_by("version")
        .values_list("pk", "unit_id", "perspective", "group_id", "group__name", "status")
    ):
        if unit_id not in in_view:
            continue
        key = (unit_id, f"g{group_id}" if group_id else perspective)
        if status == Assessment.Status.PUBLISHED:
            latest[key] = (pk, perspective, _label(perspective, name))
        else:
            drafts[key] = (perspective, _label(perspective, name))
    of_assessment = {pk: (unit_id, key) for (unit_id, key), (pk, _p, _l) in latest.items()}
    levels = {}  # unit_id -> {indicator_id: {key: level}}
    wanted = {pk for pk, _c, _t, _a in sel.indicators}
    for a_id, ind_id, level in (
        Answer.objects.filter(
            organizer=sel.organizer,
            assessment__round=rnd,
            assessment__status=Assessment.Status.PUBLISHED,
            level__isnull=False,
            **({"assessment__unit_id__in": sel.unit_ids} if sel.in_view else {}),
        )
        .order_by()
        .values_list("assessment_id", "indicator_id", "level")
    ):
        where = of_assessment.get(a_id)
        if where is None or ind_id not in wanted:
            continue  # an older version, a unit out of view, an indicator filtered away
        levels.setdefault(where[0], {}).setdefault(ind_id, {})[where[1]] = level
    expected = [p for p in (rnd.expected_perspectives or []) if p in LABELS and p != Perspective.PRINCIPAL]
    indicators = {pk: IndicatorRow(indicator_id=pk, code=code, title=title) for pk, code, title, _a in sel.indicators}
    sums = {pk: 0 for pk in indicators}
    units = []
    for unit_id, name, district_id in sel.unit_rows:
        row = UnitRow(unit_id=unit_id, name=name, district=sel.district_names.get(district_id, ""))
        keys = sorted(
            ((k, v) for (u, k), v in latest.items() if u == unit_id), key=lambda kv: (ORDER.get(kv[1][1], 99), kv[1][2])
        )
        row.published = [label for _k, (_pk, _p, label) in keys]
        published_perspectives = {p for _k, (_pk, p, _l) in keys}
        row.drafts = [label for (u, k), (_p, label) in drafts.items() if u == unit_id and (u, k) not in latest]
        row.missing = [str(LABELS[p]) for p in expected if p not in published_perspectives]
        diffs = []
        for ind_id, by_key in levels.get(unit_id, {}).items():
            mine = by_key.get(Perspective.PRINCIPAL)
            others = [lv for k, lv in by_key.items() if k != Perspective.PRINCIPAL]
            if mine is None or not others:
                continue
            largest = max(abs(lv - mine) for lv in others)
            diffs.append(largest)
            ind = indicators[ind_id]
            ind.units += 1
            sums[ind_id] += largest
            if largest >= GAP:
                ind.gaps += 1
            if min(others) < mine:
                ind.others_lower += 1
        row.compared = len(diffs)
        row.gaps = sum(1 for d in diffs if d >= GAP)
        row.largest = max(diffs) if diffs else None
        row.mean = sum(diffs) / len(diffs) if diffs else None
        units.append(row)
    for pk, ind in indicators.items():
        ind.mean = sums[pk] / ind.units if ind.units else None
    units.sort(key=lambda r: (-r.gaps, -(r.mean or 0), r.name))
    ranked = sorted(indicators.values(), key=lambda r: (-(r.mean or -1), -r.gaps))
    return {
        "units": units,
        "indicators": [r for r in ranked if r.units],
        "expected": [str(LABELS[p]) for p in expected],
        "with_others": sum(1 for r in units if len(r.published) > 1),
    }
