"""The year wheel (årshjul) as SVG drawn on the server: twelve months round a circle from the
start of the school year at the top, clockwise; each kind of event on its own ring, periods as
arcs and single days as dots, today as a line. The page lists the same events beside it (the
text alternative), so the picture needs no JavaScript and prints as it is."""

import datetime
import math

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .sources import KINDS

COLOURS = {
    # kind -> colour; the list beside the wheel names every event, so colour is never the only cue
    "round": "#0b5394",
    "deadline": "#b3261e",
    "survey": "#6b21a8",
    "follow_up": "#15803d",
    "own": "#b45309",
    "network": "#0f766e",
    "central_action": "#9d174d",
}
OTHER = "#4b5563"
SIZE = 560
C = SIZE / 2
MONTH_OUTER, MONTH_INNER = 268, 228
RING_RADII = [205, 180, 155, 130, 105]


def colour(kind):
    return COLOURS.get(kind, OTHER)


def _angle(day, start, days):
    return 2 * math.pi * (day - start).days / days - math.pi / 2


def _pt(r, a):
    return C + r * math.cos(a), C + r * math.sin(a)


def _sector(r1, r2, a1, a2):
    large = 1 if a2 - a1 > math.pi else 0
    (x1, y1), (x2, y2) = _pt(r2, a1), _pt(r2, a2)
    (x3, y3), (x4, y4) = _pt(r1, a2), _pt(r1, a1)
    return (
        f"M{x1:.1f},{y1:.1f} A{r2},{r2} 0 {large} 1 {x2:.1f},{y2:.1f} "
        f"L{x3:.1f},{y3:.1f} A{r1},{r1} 0 {large} 0 {x4:.1f},{y4:.1f} Z"
    )


def _arc(r, a1, a2):
    large = 1 if a2 - a1 > math.pi else 0
    (x1, y1), (x2, y2) = _pt(r, a1), _pt(r, a2)
    return f"M{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f}"


def months(start, end):
    """The first day of every month from ``start`` to ``end``."""
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def year_wheel(*, start, end, rows, today, title, desc_id):
    """The SVG (safe HTML). ``desc_id`` is the id of the list that describes the same events."""
    days = (end - start).days + 1
    parts = [
        f'<svg class="year-wheel" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="wheel-title" '
        f'aria-describedby="{escape(desc_id)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="wheel-title">{escape(title)}</title>',
    ]
    for n, first in enumerate(months(start, end)):
        last = min(
            (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1), end + datetime.timedelta(days=1)
        )
        a1, a2 = _angle(first, start, days), _angle(last, start, days)
        fill = "#e8eef5" if n % 2 == 0 else "#f6f8fa"
        parts.append(
            f'<path d="{_sector(MONTH_INNER, MONTH_OUTER, a1, a2)}" fill="{fill}" stroke="#9aa5b1" stroke-width="1"/>'
        )
        x, y = _pt((MONTH_INNER + MONTH_OUTER) / 2, (a1 + a2) / 2)
        label = date_format(first, "M")
        parts.append(
            f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="15" text-anchor="middle" fill="#1b1f24">{escape(label)}</text>'
        )
        # a faint spoke at each month's start
        xo, yo = _pt(MONTH_INNER, a1)
        xi, yi = _pt(RING_RADII[-1] - 15, a1)
        parts.append(
            f'<line x1="{xi:.1f}" y1="{yi:.1f}" x2="{xo:.1f}" y2="{yo:.1f}" stroke="#d0d7de" stroke-width="1"/>'
        )
    for r in RING_RADII:
        parts.append(f'<circle cx="{C}" cy="{C}" r="{r}" fill="none" stroke="#eef1f4" stroke-width="1"/>')
    for e in rows:
        kind = KINDS.get(e.kind)
        ring = min(kind.ring if kind else len(RING_RADII) - 1, len(RING_RADII) - 1)
        r = RING_RADII[ring]
        first, last = max(e.starts_on, start), min(e.last_day, end)
        tip = f"{e.starts_on.isoformat()}{' – ' + e.last_day.isoformat() if e.ends_on else ''} {e.title}"
        if last > first:
            a1, a2 = _angle(first, start, days), _angle(last + datetime.timedelta(days=1), start, days)
            parts.append(
                f'<path d="{_arc(r, a1, a2)}" fill="none" stroke="{colour(e.kind)}" stroke-width="12" '
                f'stroke-linecap="round"><title>{escape(tip)}</title></path>'
            )
        else:
            x, y = _pt(r, _angle(first, start, days) + math.pi / days)
            parts.append(_marker(e.kind, x, y, 7, f"<title>{escape(tip)}</title>"))
    if start <= today <= end:
        xo, yo = _pt(MONTH_OUTER + 6, _angle(today, start, days))
        parts.append(
            f'<line x1="{C}" y1="{C}" x2="{xo:.1f}" y2="{yo:.1f}" stroke="#1b1f24" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    parts.append(f'<circle cx="{C}" cy="{C}" r="{RING_RADII[-1] - 18}" fill="#fff"/>')
    parts.append(
        f'<text x="{C}" y="{C + 6}" font-size="18" font-weight="600" text-anchor="middle" fill="#1b1f24">{escape(title)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


SHAPES = {"deadline": "diamond", "follow_up": "square"}  # besides colour, a shape tells the kinds apart


def _marker(kind, x, y, r, inner=""):
    fill, shape = colour(kind), SHAPES.get(kind, "circle")
    if shape == "diamond":
        d = r * 1.3
        points = f"{x:.1f},{y - d:.1f} {x + d:.1f},{y:.1f} {x:.1f},{y + d:.1f} {x - d:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{fill}" stroke="#fff" stroke-width="1.5">{inner}</polygon>'
    if shape == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{fill}" '
            f'stroke="#fff" stroke-width="1.5">{inner}</rect>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="#fff" stroke-width="1.5">{inner}</circle>'


def swatch(kind):
    """A small mark in the kind's colour and shape for the legend and the list (decorative)."""
    return mark_safe(
        f'<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">'
        f"{_marker(kind, 6, 6, 4.5)}</svg>"
    )
