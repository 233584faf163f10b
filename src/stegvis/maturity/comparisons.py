"""Comparisons: a unit against its district and the organiser, a unit and the organiser over
rounds, districts side by side, and the spread between units for each indicator.

Maturity figures come from ``maturity`` (pre-aggregated, refreshed on read when stale); the
spread reads PlanCell with ``values_list``. ``line_chart`` draws the trend charts as SVG.
"""

import builtins
from collections import Counter, defaultdict
from statistics import median, quantiles

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from stegvis.core import charts
from stegvis.cycles.lineage import lineages, same_lineage
from stegvis.cycles.queries import started
from stegvis.organisations.models import District
from stegvis.overview.models import PlanCell

from . import figures as maturity

Scope = maturity.Scope
TOTAL = maturity.TOTAL

# style -> marker shape, so a line differs from the others by dash and marker, not colour only.
MARKERS = {"current": "circle", "organizer": "square", "district": "diamond", "previous": "triangle"}


def _marker(shape, x, y, colour):
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(*, title, labels, series, max_value=100, width=640, height=320, partial=()):
    """An SVG line chart: one x position per label (rounds, oldest first), one line per
    ``charts.Series``; a value of None leaves a gap. Values are printed next to the points.
    Positions in ``partial`` (figures that rest on only part of the round's units) get hollow
    markers and "partial" under their label, so the chart says what the table says."""
    left, right, top = 44, 16, 16
    n = len(labels)
    partial = set(partial)
    partial_text = escape(_("partial"))
    # round names wrap under their point rather than running into the next one
    label_rows = [
        charts.label_lines(label, width_px=(width - left - right) / max(n, 1) - 6, font_size=12) for label in labels
    ]
    lines = max((len(rows) for rows in label_rows), default=1)
    bottom = 50 + 14 * lines
    height += 14 * lines
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i):
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v):
        return top + plot_h * (1 - v / max_value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="line-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for step in range(5):
        v = max_value * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="#c9d1d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end" fill="#4a5560">{v:.0f}</text>'
        )
    for i, rows in enumerate(label_rows):
        parts.append(charts.text_block(x=x(i), y=height - bottom + 18, lines=rows, font_size=12))
        if i in partial:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 20 + 14 * len(rows)}" font-size="11" text-anchor="middle" '
                f'font-style="italic" fill="#4a5560">({partial_text})</text>'
            )
    for s in series:
        stroke, _fill, dash = charts.SERIES_STYLE.get(s.style, charts.SERIES_STYLE["current"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment = []
        points = [(i, v) for i, v in enumerate(s.values)]
        for i, v in [*points, (None, None)]:
            if v is None:
                if len(segment) > 1:
                    pts = " ".join(f"{x(j):.1f},{y(w):.1f}" for j, w in segment)
                    parts.append(
                        f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="2.5"{dash_attr}>'
                        f"<title>{escape(s.label)}</title></polyline>"
                    )
                segment = []
                continue
            segment.append((i, v))
        for i, v in points:
            if v is None:
                continue
            marker = _marker(MARKERS.get(s.style, "circle"), x(i), y(v), stroke)
            if i in partial:  # hollow: the same shape, white inside
                marker = marker.replace(f'fill="{stroke}"', f'fill="#ffffff" stroke="{stroke}" stroke-width="2"')
            parts.append(marker)
            parts.append(f'<text x="{x(i) + 7:.1f}" y="{y(v) - 6:.1f}" font-size="11" fill="#1b1f24">{v:.0f}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _value(figures, key=TOTAL):
    found = figures.get(key) if figures else None
    return found[0] if found else None


def _count(figures):
    found = figures.get(TOTAL) if figures else None
    return found[1] if found else 0


def _area_keys(rounds):
    """Area (key, Area) of the newest round's framework; older versions of it map by key."""
    return maturity.areas_of(rounds[-1].framework) if rounds else []


def trend_rounds(rounds, round=None):
    """The rounds a trend may draw, oldest first: those that have opened, on the framework
    lineage of ``round`` (default: the newest that has opened). Rounds on another framework are
    never on the same line."""
    opened = started(rounds)
    if not opened:
        return []
    reference = round if round is not None and not round.is_upcoming else max(opened, key=lambda r: (r.opens_on, r.pk))
    return sorted(same_lineage(opened, reference), key=lambda r: (r.opens_on, r.pk))


def other_lineages(rounds, shown):
    """[(framework, newest round)] of the lineages other than the one of ``shown`` rounds, so a
    page can link to them."""
    opened = sorted(started(rounds), key=lambda r: (r.opens_on, r.pk), reverse=True)
    kept = {r.pk for r in same_lineage([*opened, shown[-1]], shown[-1])} if shown else set()
    return [(group[0].framework, group[0]) for _lin, group in lineages(opened) if not kept & {r.pk for r in group}]


def _coverage(n, of):
    """What a figure rests on: its units, the round's units and whether that is only part."""
    return {"units": n, "of": of, "partial": maturity.is_partial(n, of)}


def _change(current, previous):
    """The change over the units with a figure in both rounds, as (rounded change, units) or None."""
    found = maturity.like_with_like(current, previous) if current and previous else None
    if found is None:
        return None
    _diff, units, now, before = found
    value = builtins.round(now) - builtins.round(before)
    return {"value": value, "text": f"{value:+d}" if value else "±0", "units": units, "now": now, "before": before}


def change_between(*, organizer, current, previous, district_id=None):
    """The change of the maturity index from ``previous`` to ``current`` (same lineage) over the
    units with a figure in both rounds (those of ``district_id`` only, when given): a dict with
    the rounded change, its text ("+3", "±0"), the units and both means; None when no unit is in both."""
    maturity.ensure_fresh(organizer=organizer, rounds=[current, previous])
    totals = maturity.unit_totals(organizer=organizer, rounds=[current, previous])
    now, before = totals.get(current.pk, {}), totals.get(previous.pk, {})
    if district_id is not None:
        members = maturity.members_by_round(organizer, [current, previous])
        now = {u: v for u, v in now.items() if members[current.pk].get(u) == district_id}
        before = {u: v for u, v in before.items() if members[previous.pk].get(u) == district_id}
    return _change(now, before)


def trend(*, organizer, access, rounds):
    """The organiser's (or a district lead's districts') maturity over the rounds of ONE
    framework lineage (``trend_rounds``; others are left out), oldest first.

    Each row: the round, the total and area figures, what the total rests on (units with a
    figure of the round's units, and whether that makes it partial), the national average when
    it may be shown, the district figures, and the change since the row before over the units
    with a figure in both rounds (like with like). Returns the rows and the chart series.
    """
    rounds = trend_rounds(rounds)
    members = maturity.members_by_round(organizer, rounds)  # read once: the freshness check uses it too
    maturity.ensure_fresh(organizer=organizer, rounds=rounds, members=members)
    org = maturity.figures(organizer=organizer, rounds=rounds, scope=Scope.ORGANIZER)
    nat = maturity.national(rounds=rounds, organizer=organizer)
    districts = access.visible_districts(District.objects.filter(organizer=organizer))
    district_list = list(districts.values_list("pk", "name")) if not access.can_read_all_units else []
    dist = (
        maturity.figures(
            organizer=organizer, rounds=rounds, scope=Scope.DISTRICT, scope_ids=[d for d, _n in district_list]
        )
        if district_list
        else {}
    )
    totals = maturity.unit_totals(organizer=organizer, rounds=rounds)
    areas = _area_keys(rounds)
    rows = []
    for n, r in enumerate(rounds):
        figures = org.get((r.pk, organizer.pk), {})
        in_round = members.get(r.pk, {})
        before = rounds[n - 1] if n else None
        row = {
            "round": r,
            "total": _value(figures),
            "areas": [_value(figures, key) for key, _a in areas],
            **_coverage(_count(figures), len(in_round)),
            "national": _value(nat.values.get(r.pk)),
            "national_units": _count(nat.values.get(r.pk)),
            "districts": [],
            "change": _change(totals.get(r.pk), totals.get(before.pk)) if before else None,
        }
        for d, _name in district_list:
            d_figures = dist.get((r.pk, d))
            of = sum(1 for district_id in in_round.values() if district_id == d)
            mine = {u: v for u, v in totals.get(r.pk, {}).items() if in_round.get(u) == d}
            earlier = (
                {u: v for u, v in totals.get(before.pk, {}).items() if members[before.pk].get(u) == d} if before else {}
            )
            row["districts"].append(
                {
                    "value": _value(d_figures),
                    **_coverage(_count(d_figures), of),
                    "change": _change(mine, earlier) if before else None,
                }
            )
        rows.append(row)
    series = [charts.Series(organizer.name, [row["total"] for row in rows], "current")]
    for n, (_d, name) in enumerate(district_list):
        series.append(charts.Series(name, [row["districts"][n]["value"] for row in rows], "district"))
    has_national = any(row["national"] is not None for row in rows)
    if has_national:
        series.append(charts.Series(_("National average"), [row["national"] for row in rows], "organizer"))
    return {
        "rounds": rounds,
        "areas": areas,
        "rows": rows,
        "series": series,
        "districts": district_list,
        "has_national": has_national,
        "national_note": national_note(nat, rounds),
        "partial": [n for n, row in enumerate(rows) if row["partial"]],
        "has_partial": any(row["partial"] for row in rows),
        "complete_share": builtins.round(100 * settings.STEGVIS_COMPLETE_SHARE),
    }


def national_note(nat, rounds):
    """Why the national average is absent (for every round or some), or "" when it is shown for all."""
    if rounds and len(nat.values) == len(rounds):
        return ""
    min_organizers, min_units = maturity.minimum()
    if any(r.framework.organizer_id is not None for r in rounds) and not nat.others:
        return _("There is no national average for the organiser's own framework.")
    others = [nat.others[r.pk] for r in rounds if r.pk in nat.others and r.pk not in nat.values]
    most = max(others, default=(0, 0))
    if most == (0, 0):
        return _(
            "The national average is shown only when at least %(min_organizers)s other organisers with at "
            "least %(min_units)s units between them share their figures on the same framework in the same "
            "school year, so that no organiser can work out another's figures; no other organiser shares "
            "figures for these rounds yet."
        ) % {"min_organizers": min_organizers, "min_units": min_units}
    return _(
        "The national average is shown only when at least %(min_organizers)s other organisers with at "
        "least %(min_units)s units between them share their figures on the same framework in the same "
        "school year, so that no organiser can work out another's figures; where it is missing there "
        "are %(organizers)s other organisers with %(units)s units."
    ) % {"min_organizers": min_organizers, "min_units": min_units, "organizers": most[0], "units": most[1]}


def unit_comparison(*, unit, rounds, round):
    """A unit's area figures next to its district's and the organiser's for ``round`` (with what
    each rests on), and the unit's total and area figures over the rounds of the same framework
    lineage that have opened."""
    history_rounds = trend_rounds(rounds, round)
    if round.pk not in {r.pk for r in history_rounds}:
        history_rounds = sorted([*history_rounds, round], key=lambda r: (r.opens_on, r.pk))
    organizer = unit.organizer
    maturity.ensure_fresh(organizer=organizer, rounds=history_rounds)
    mine = maturity.figures(organizer=organizer, rounds=history_rounds, scope=Scope.UNIT, scope_ids=[unit.pk])
    district = (
        (
            maturity.figures(
                organizer=organizer, rounds=[round], scope=Scope.DISTRICT, scope_ids=[unit.district_id]
            ).get((round.pk, unit.district_id), {})
        )
        if unit.district_id
        else {}
    )
    org = maturity.figures(organizer=organizer, rounds=[round], scope=Scope.ORGANIZER).get((round.pk, organizer.pk), {})
    counts = maturity.round_unit_counts(organizer=organizer, rounds=[round])[round.pk]
    areas = maturity.areas_of(round.framework)
    current = mine.get((round.pk, unit.pk), {})
    top = round.framework.level_count
    area_rows = [
        {"area": a, "unit": _value(current, key), "district": _value(district, key), "organizer": _value(org, key)}
        for key, a in areas
    ] + [{"area": None, "unit": _value(current), "district": _value(district), "organizer": _value(org)}]
    history = [
        {
            "round": r,
            "total": _value(mine.get((r.pk, unit.pk))),
            "areas": [_value(mine.get((r.pk, unit.pk)), key) for key, _a in areas],
        }
        for r in history_rounds
    ]
    return {
        "areas": areas,
        "area_rows": area_rows,
        "history": history,
        "top": top,
        "has_current": bool(current),
        "district": _coverage(_count(district), counts.get(unit.district_id, 0)),
        "organizer": _coverage(_count(org), counts.get(maturity.TOTAL_UNITS, 0)),
        "district_units": _count(district),
        "organizer_units": _count(org),
        "complete_share": builtins.round(100 * settings.STEGVIS_COMPLETE_SHARE),
    }


def districts_side_by_side(*, organizer, access, round):
    """Every visible district's figures for the round (total and per area) and the organiser's,
    each with what it rests on (units with a figure of the district's units in the round)."""
    maturity.ensure_fresh(organizer=organizer, rounds=[round])
    districts = access.visible_districts(District.objects.filter(organizer=organizer))
    district_list = list(districts.values_list("pk", "name"))
    dist = maturity.figures(
        organizer=organizer, rounds=[round], scope=Scope.DISTRICT, scope_ids=[d for d, _n in district_list]
    )
    org = maturity.figures(organizer=organizer, rounds=[round], scope=Scope.ORGANIZER).get((round.pk, organizer.pk), {})
    counts = maturity.round_unit_counts(organizer=organizer, rounds=[round])[round.pk]
    areas = maturity.areas_of(round.framework)
    rows = []
    for pk, name in district_list:
        figures = dist.get((round.pk, pk), {})
        rows.append(
            {
                "name": name,
                "total": _value(figures),
                "areas": [_value(figures, k) for k, _a in areas],
                **_coverage(_count(figures), counts.get(pk, 0)),
            }
        )
    organizer_row = {
        "name": organizer.name,
        "total": _value(org),
        "areas": [_value(org, k) for k, _a in areas],
        **_coverage(_count(org), counts.get(maturity.TOTAL_UNITS, 0)),
    }
    return {
        "areas": areas,
        "rows": rows,
        "organizer": organizer_row,
        "has_partial": any(r["partial"] for r in [*rows, organizer_row]),
        "complete_share": builtins.round(100 * settings.STEGVIS_COMPLETE_SHARE),
    }


def spread(sel):
    """For each indicator in view: how many units are at each level, not relevant, not assessed,
    and min, lower quartile, median, upper quartile and max of the levels."""
    unit_count = len(sel.unit_ids)
    ind_ids = [i[0] for i in sel.indicators]
    levels = defaultdict(list)
    not_relevant = Counter()
    in_view = set(sel.unit_ids)
    for unit_id, ind_id, level, nr in PlanCell.objects.filter(
        organizer=sel.organizer, round=sel.round, indicator_id__in=ind_ids, **sel.in_view
    ).values_list("unit_id", "indicator_id", "level", "not_relevant"):
        if unit_id not in in_view:
            continue
        if nr:
            not_relevant[ind_id] += 1
        elif level is not None:
            levels[ind_id].append(level)
    framework = sel.framework
    heads = framework.levels() if framework is not None else []
    classes = [css for _n, _label, _name, css in heads]
    scaled = framework is not None and framework.level_scale() is not None

    def label(level):  # a level (a whole number) by the framework's label
        return framework.level_label(level) if framework is not None else str(level)

    def between(value):  # a quartile or median: on the label scale when it is one
        return floatformat(framework.mean_label(value) if scaled else value, -1)

    rows = []
    for ind_id, code, title, _area in sel.indicators:
        values = sorted(levels[ind_id])
        counts = Counter(values)
        stats = None
        if values:
            q1, _q2, q3 = quantiles(values, n=4, method="inclusive") if len(values) > 1 else (values[0],) * 3
            stats = {
                "min": values[0],
                "q1": q1,
                "median": median(values),
                "q3": q3,
                "max": values[-1],
                "mean": sum(values) / len(values),
            }
            # as the page prints them, in the framework's labels (5..1 for 360 degree safe)
            stats["shown"] = {
                "min": label(values[0]),
                "q1": between(q1),
                "median": between(median(values)),
                "q3": between(q3),
                "max": label(values[-1]),
            }
        rows.append(
            {
                "code": code,
                "title": title,
                "n": len(values),
                "stats": stats,
                "counts": [counts.get(n, 0) for n in range(1, sel.top + 1)],
                "cells": [(counts.get(n, 0), css) for n, css in zip(range(1, sel.top + 1), classes, strict=False)],
                "not_relevant": not_relevant[ind_id],
                "not_assessed": max(unit_count - len(values) - not_relevant[ind_id], 0),
            }
        )
    return {
        "rows": rows,
        "levels": list(range(1, sel.top + 1)),
        "labels": [lab for _n, lab, _name, _css in heads],
        "units": unit_count,
    }
