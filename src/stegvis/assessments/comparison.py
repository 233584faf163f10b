"""The comparison of a unit's perspectives in a round: per indicator, each published
perspective's level side by side, the spread and the comments, sorted by the largest difference.

A perspective is the principal's assessment or one assessor group's (``AssessorGroup``); only
the latest published version of each counts, drafts never. Everything is read in a fixed number
of queries, whatever the number of perspectives (docs/perspectives.md).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stegvis.core import charts
from stegvis.core.i18n import bilingual

from .domain import applicable_indicators
from .models import Answer, Assessment, DiscussionNote, Perspective

GAP = 2  # perspectives that differ by this many steps or more are marked
ORDER = {p: n for n, p in enumerate(Perspective.values)}  # principal first, then the others
STYLES = ["current", "previous", "district", "organizer", "fifth", "sixth"]
RADAR_INDICATORS = 12  # up to this many indicators the radar has one axis each, else one per area


@dataclass
class Column:
    key: str  # "principal" or "g<group id>" (Assessment.perspective_key)
    label: str
    perspective: str
    assessment_id: int
    version: int
    published_at: object = None
    style: str = "current"  # the line's style in the radar chart (core.charts.SERIES_STYLE)

    @property
    def is_principal(self):
        return self.key == Perspective.PRINCIPAL


@dataclass
class Cell:
    level: int | None = None
    not_relevant: bool = False
    comment: str = ""


@dataclass
class Row:
    indicator: object
    cells: list  # one Cell per column
    notes: list = field(default_factory=list)
    comments: list = field(default_factory=list)  # (column label, comment) where there is one

    @property
    def levels(self):
        return [c.level for c in self.cells if c.level is not None]

    @property
    def spread(self):
        """Highest minus lowest level among the perspectives that chose one (None below two)."""
        levels = self.levels
        return max(levels) - min(levels) if len(levels) >= 2 else None

    @property
    def marked(self):
        return (self.spread or 0) >= GAP

    @property
    def principal_level(self):
        return self.cells[0].level if self.cells else None


@dataclass
class Comparison:
    unit: object
    round: object
    columns: list
    rows: list

    @property
    def marked_count(self):
        return sum(1 for r in self.rows if r.marked)

    @property
    def has_principal(self):
        return bool(self.columns) and self.columns[0].is_principal


def _label(perspective, group_name):
    if group_name:
        return group_name
    return str(dict(Perspective.choices).get(perspective, perspective))


def latest_published(*, unit, round):
    """{key: (assessment id, perspective, label, version, published_at)}: the latest published
    version of each perspective of the unit in the round (one query)."""
    latest = {}
    rows = (
        Assessment.objects.filter(unit=unit, round=round, status=Assessment.Status.PUBLISHED)
        .order_by("version")
        .values_list("pk", "perspective", "group_id", "group__name", "version", "published_at")
    )
    for pk, perspective, group_id, group_name, version, published_at in rows:
        key = f"g{group_id}" if group_id else perspective
        latest[key] = (pk, perspective, _label(perspective, group_name), version, published_at)
    return latest


def published_keys(*, unit, round):
    """The perspective keys with a published version for the unit in the round (one query)."""
    return set(latest_published(unit=unit, round=round))


def _columns(latest):
    columns = [
        Column(key=key, label=label, perspective=persp, assessment_id=pk, version=version, published_at=at)
        for key, (pk, persp, label, version, at) in latest.items()
    ]
    columns.sort(key=lambda c: (ORDER.get(c.perspective, 99), c.label.lower(), c.key))
    for n, column in enumerate(columns):
        column.style = STYLES[n % len(STYLES)]
    return columns


def compare(*, unit, round, notes=True):
    """The comparison of the unit's published perspectives in the round, rows sorted by the
    largest spread first (then in the framework's order). Four queries (three without notes)."""
    columns = _columns(latest_published(unit=unit, round=round))
    by_assessment = {c.assessment_id: n for n, c in enumerate(columns)}
    answers = {}
    if columns:
        for a_id, ind_id, level, not_relevant, comment in Answer.objects.filter(
            assessment_id__in=list(by_assessment)
        ).values_list("assessment_id", "indicator_id", "level", "not_relevant", "comment"):
            answers[(by_assessment[a_id], ind_id)] = Cell(
                level=None if not_relevant else level, not_relevant=not_relevant, comment=comment
            )
    indicators = list(applicable_indicators(framework=round.framework, unit=unit))
    rows = [
        Row(indicator=ind, cells=[answers.get((n, ind.pk), Cell()) for n in range(len(columns))]) for ind in indicators
    ]
    for row in rows:
        row.comments = [(c.label, cell.comment) for c, cell in zip(columns, row.cells, strict=True) if cell.comment]
    if notes:
        by_indicator = {}
        for note in DiscussionNote.objects.filter(unit=unit, round=round).select_related("author"):
            by_indicator.setdefault(note.indicator_id, []).append(note)
        for row in rows:
            row.notes = by_indicator.get(row.indicator.pk, [])
    order = {ind.pk: n for n, ind in enumerate(indicators)}
    rows.sort(key=lambda r: (-(r.spread if r.spread is not None else -1), order[r.indicator.pk]))
    return Comparison(unit=unit, round=round, columns=columns, rows=rows)


def only(comparison, keys):
    """The comparison with only the columns of ``keys`` and no notes: what a perspective sees of
    the unit before it has published its own assessment (its own published columns, if any)."""
    keep = [n for n, c in enumerate(comparison.columns) if c.key in keys]
    columns = [comparison.columns[n] for n in keep]
    rows = []
    for r in comparison.rows:
        cells = [r.cells[n] for n in keep]
        comments = [(c.label, cell.comment) for c, cell in zip(columns, cells, strict=True) if cell.comment]
        rows.append(Row(indicator=r.indicator, cells=cells, comments=comments))
    return Comparison(unit=comparison.unit, round=comparison.round, columns=columns, rows=rows)


def lower_views(comparison):
    """{indicator_id: [(label, level), ...]}: where another perspective sees the unit lower
    than the principal's published level (the action plan shows them beside its suggestions)."""
    if not comparison.has_principal:
        return {}
    result = {}
    for row in comparison.rows:
        mine = row.principal_level
        if mine is None:
            continue
        for column, cell in zip(comparison.columns[1:], row.cells[1:], strict=True):
            if cell.level is not None and cell.level < mine:
                result.setdefault(row.indicator.pk, []).append((column.label, cell.level))
    return result


def radar(comparison, *, lang, framework):
    """The radar chart with one line per perspective: indicators as axes (in the framework's
    order) up to ``RADAR_INDICATORS``, else each area's mean level; the comparison table is its
    text alternative."""
    if not comparison.columns:
        return None
    rows = sorted(comparison.rows, key=lambda r: (r.indicator.area.order, r.indicator.order))
    if len(rows) <= RADAR_INDICATORS:
        axes = [r.indicator.code for r in rows]
        values = [[r.cells[n].level for r in rows] for n in range(len(comparison.columns))]
        title = _("Level per indicator and perspective, %(unit)s")
    else:
        areas = []
        for r in rows:
            if not areas or areas[-1][0].pk != r.indicator.area_id:
                areas.append((r.indicator.area, []))
            areas[-1][1].append(r)
        axes = [bilingual(area, "name", lang) for area, _rows in areas]
        values = [
            [_mean([r.cells[n].level for r in area_rows]) for _a, area_rows in areas]
            for n in range(len(comparison.columns))
        ]
        title = _("Mean level per area and perspective, %(unit)s")
    series = [charts.Series(column.label, values[n], column.style) for n, column in enumerate(comparison.columns)]
    return charts.radar(
        title=title % {"unit": comparison.unit.name},
        axes=axes,
        series=series,
        max_value=framework.level_count,
        size=560 if len(axes) > 6 else 480,
        ring_labels=[label for _n, label, _name, _css in framework.levels(lang)],
    )


def _mean(levels):
    chosen = [lv for lv in levels if lv is not None]
    return round(sum(chosen) / len(chosen), 2) if chosen else None
