"""Comparisons: a unit against its district and the organiser, a unit and the organiser over
rounds, districts side by side, and the spread between units for each indicator.

Maturity figures come from ``maturity`` (pre-aggregated, refreshed on read when stale); the
spread reads PlanCell with ``values_list``. ``line_chart`` draws the trend charts as SVG.
"""

from collections import Counter, defaultdict
from statistics import median, quantiles

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from stegvis.core import charts
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


def line_chart(*, title, labels, series, max_value=100, width=640, height=320):
    """An SVG line chart: one x position per label (rounds, oldest first), one line per
    ``charts.Series``; a value of None leaves a gap. Values are printed next to the points."""
    left, right, top, bottom = 44, 16, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(labels)

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
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 18}" font-size="12" text-anchor="middle" fill="#1b1f24">{escape(label)}</text>'
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
            parts.append(_marker(MARKERS.get(s.style, "circle"), x(i), y(v), stroke))
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
    """Area (key, Area) of the newest round's framework; older frameworks map by key."""
    return maturity.areas_of(rounds[-1].framework) if rounds else []


def trend(*, organizer, access, rounds):
    """The organiser's (or a district lead's districts') maturity over rounds, oldest first.

    Returns labels, table rows (round, total, per area, units, national) and chart series.
    """
    rounds = sorted(rounds, key=lambda r: (r.opens_on, r.pk))
    maturity.ensure_fresh(organizer=organizer, rounds=rounds)
    org = maturity.figures(organizer=organizer, rounds=rounds, scope=Scope.ORGANIZER)
    nat = maturity.national(rounds=rounds)
    districts = District.objects.filter(organizer=organizer)
    if not access.view_all:
        districts = districts.filter(pk__in=access.district_ids)
    district_list = list(districts.values_list("pk", "name")) if not access.view_all else []
    dist = (
        maturity.figures(
            organizer=organizer, rounds=rounds, scope=Scope.DISTRICT, scope_ids=[d for d, _n in district_list]
        )
        if district_list
        else {}
    )
    areas = _area_keys(rounds)
    rows = []
    for r in rounds:
        figures = org.get((r.pk, organizer.pk), {})
        rows.append(
            {
                "round": r,
                "total": _value(figures),
                "areas": [_value(figures, key) for key, _a in areas],
                "units": _count(figures),
                "national": _value(nat.get(r.pk)),
                "districts": [_value(dist.get((r.pk, d))) for d, _n in district_list],
            }
        )
    series = [charts.Series(organizer.name, [row["total"] for row in rows], "current")]
    for n, (_d, name) in enumerate(district_list):
        series.append(charts.Series(name, [row["districts"][n] for row in rows], "district"))
    if any(row["national"] is not None for row in rows):
        series.append(charts.Series(_("National average"), [row["national"] for row in rows], "organizer"))
    return {
        "rounds": rounds,
        "areas": areas,
        "rows": rows,
        "series": series,
        "districts": district_list,
        "has_national": any(row["national"] is not None for row in rows),
    }


def unit_comparison(*, unit, rounds, round):
    """A unit's area figures next to its district's and the organiser's for ``round``, and the
    unit's total and area figures over every round."""
    rounds = sorted(rounds, key=lambda r: (r.opens_on, r.pk))
    organizer = unit.organizer
    maturity.ensure_fresh(organizer=organizer, rounds=rounds)
    mine = maturity.figures(organizer=organizer, rounds=rounds, scope=Scope.UNIT, scope_ids=[unit.pk])
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
        for r in rounds
    ]
    return {
        "areas": areas,
        "area_rows": area_rows,
        "history": history,
        "top": top,
        "has_current": bool(current),
        "district_units": _count(district),
        "organizer_units": _count(org),
    }


def districts_side_by_side(*, organizer, access, round):
    """Every visible district's figures for the round (total and per area) and the organiser's."""
    maturity.ensure_fresh(organizer=organizer, rounds=[round])
    districts = District.objects.filter(organizer=organizer)
    if not access.view_all:
        districts = districts.filter(pk__in=access.district_ids)
    district_list = list(districts.values_list("pk", "name"))
    dist = maturity.figures(
        organizer=organizer, rounds=[round], scope=Scope.DISTRICT, scope_ids=[d for d, _n in district_list]
    )
    org = maturity.figures(organizer=organizer, rounds=[round], scope=Scope.ORGANIZER).get((round.pk, organizer.pk), {})
    areas = maturity.areas_of(round.framework)
    rows = []
    for pk, name in district_list:
        figures = dist.get((round.pk, pk), {})
        rows.append(
            {
                "name": name,
                "total": _value(figures),
                "areas": [_value(figures, k) for k, _a in areas],
                "units": _count(figures),
            }
        )
    return {
        "areas": areas,
        "rows": rows,
        "organizer": {
            "name": organizer.name,
            "total": _value(org),
            "areas": [_value(org, k) for k, _a in areas],
            "units": _count(org),
        },
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
