"""Charts drawn on the server as SVG, so the page, the PDF and a browser without JavaScript
show the same picture. Every chart comes with a text alternative (a table) in its template."""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

SERIES_STYLE = {
    # css class -> (stroke, fill, dash). Two colours that differ for colour-blind readers too,
    # and a dashed line, so colour is never the only difference.
    "current": ("#0b5394", "rgba(11,83,148,0.22)", ""),
    "previous": ("#b45309", "none", "6 4"),
    "district": ("#6b21a8", "none", "2 3"),
    "organizer": ("#15803d", "none", "10 3 2 3"),
}


@dataclass
class Series:
    label: str
    values: list  # one number (or None) per axis
    style: str = "current"


def radar(*, title, axes, series, max_value, size=480, label_width=110, ring_labels=None, value_format=None):
    """An SVG radar chart. ``axes`` are short labels; values of None are drawn at the centre.
    ``ring_labels`` names the rings 1..max_value (a framework's level labels; default the numbers);
    ``value_format`` writes a value where one is printed (the bars drawn for fewer than three axes)."""
    n = len(axes)
    if n < 3:  # a radar needs three axes; fewer are drawn as bars
        return bars(title=title, axes=axes, series=series, max_value=max_value, value_format=value_format)
    pad = label_width
    radius = size / 2 - pad / 2
    width = size + pad
    cx, cy = width / 2, size / 2

    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value or 0) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {size:.0f}" role="img" '
        f'aria-label="{escape(title)}" class="radar">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(1, int(max_value) + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#c9d1d9" stroke-width="1"/>')
        x, y = point(0, level)
        ring = ring_labels[level - 1] if ring_labels and level <= len(ring_labels) else level
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12:.1f}" font-size="11" fill="#4a5560">{escape(ring)}</text>')
    font = 13 if n <= 12 else 10
    for i, label in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c9d1d9" stroke-width="1"/>')
        lx, ly = point(i, max_value * 1.12)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="{font}" text-anchor="{anchor}" fill="#1b1f24">{escape(label)}</text>'
        )
    for s in series:
        stroke, fill, dash = SERIES_STYLE.get(s.style, SERIES_STYLE["current"])
        pts = [point(i, v) for i, v in enumerate(s.values)]
        poly = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polygon points="{poly}" fill="{fill}" stroke="{stroke}" stroke-width="2.5"{dash_attr}>'
            f"<title>{escape(s.label)}</title></polygon>"
        )
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{stroke}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bars(*, title, axes, series, max_value, width=520, value_format=None):
    """Horizontal bars, one group per axis and one bar per series; ``value_format(value)`` writes
    the number beside a bar (default: as it is)."""
    row, bar, label_w = 22, 16, 150
    height = len(axes) * (row * len(series) + 12) + 10
    plot = width - label_w - 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="bars">',
        f"<title>{escape(title)}</title>",
    ]
    y = 6
    for i, label in enumerate(axes):
        parts.append(f'<text x="0" y="{y + bar - 3}" font-size="13" fill="#1b1f24">{escape(label)}</text>')
        for s in series:
            stroke, fill, dash = SERIES_STYLE.get(s.style, SERIES_STYLE["current"])
            value = s.values[i] or 0
            shown = escape(value_format(value)) if value_format is not None and s.values[i] is not None else value
            w = plot * value / max_value
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{fill if fill != "none" else "#fff"}" '
                f'stroke="{stroke}" stroke-width="2"{dash_attr}><title>{escape(s.label)}: {shown}</title></rect>'
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 3}" font-size="12" fill="#1b1f24">{shown}</text>'
            )
            y += row
        y += 12
    parts.append("</svg>")
    return mark_safe("".join(parts))
