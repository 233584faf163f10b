"""Charts drawn on the server as SVG, so the page, the PDF and a browser without JavaScript
show the same picture. Every chart comes with a text alternative (a table) in its template."""

import math
import textwrap
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import numbers

SERIES_STYLE = {
    # css class -> (stroke, fill, dash). Two colours that differ for colour-blind readers too,
    # and a dashed line, so colour is never the only difference.
    "current": ("#0b5394", "rgba(11,83,148,0.22)", ""),
    "previous": ("#b45309", "none", "6 4"),
    "district": ("#6b21a8", "none", "2 3"),
    "organizer": ("#15803d", "none", "10 3 2 3"),
    # more lines where one chart holds more (the perspectives of a unit, docs/perspectives.md)
    "fifth": ("#be123c", "none", "1 3"),
    "sixth": ("#0f766e", "none", "12 4"),
}


@dataclass
class Series:
    label: str
    values: list  # one number (or None) per axis
    style: str = "current"


def label_lines(label, *, width_px, font_size):
    """A label broken into lines that fit ``width_px`` (at about 0.6 em per character), so long
    area or round names are neither cut off at the chart's edge nor run into each other."""
    chars = max(6, int(width_px / (font_size * 0.6)))
    return textwrap.wrap(str(label), chars, break_long_words=False, break_on_hyphens=False) or [""]


def text_block(*, x, y, lines, font_size, anchor="middle", valign="top", fill="#1b1f24"):
    """An SVG <text> of one or more lines; ``valign`` places the block below (top), around
    (middle) or above (bottom) ``y``."""
    step = font_size * 1.15
    if valign == "middle":
        first = y - step * (len(lines) - 1) / 2
    elif valign == "bottom":
        first = y - step * (len(lines) - 1)
    else:
        first = y
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + n * step:.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f'<text font-size="{font_size}" text-anchor="{anchor}" fill="{fill}">{spans}</text>'


def radar(*, title, axes, series, max_value, size=480, label_width=110, ring_labels=None, value_format=None):
    """An SVG radar chart. ``axes`` are short labels; values of None are drawn at the centre.
    ``ring_labels`` names the rings 1..max_value (a framework's level labels; default the numbers);
    ``value_format`` writes a value where one is printed (the bars drawn for fewer than three axes)."""
    n = len(axes)
    if n < 3:  # a radar needs three axes; fewer are drawn as bars
        return bars(
            title=title,
            axes=axes,
            series=series,
            max_value=max_value,
            digits=numbers.LEVEL_DIGITS,
            value_format=value_format,
        )
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
        centred = abs(lx - cx) < 5
        anchor = "middle" if centred else ("start" if lx > cx else "end")
        # the room a label has: to the chart's edge beside it, or a slot above and below
        room = width / 2 if centred else (width - lx if lx > cx else lx) - 4
        lines = label_lines(label, width_px=room, font_size=font)
        valign = "middle" if not centred else ("bottom" if ly < cy else "top")
        parts.append(text_block(x=lx, y=ly + 4, lines=lines, font_size=font, anchor=anchor, valign=valign))
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


def bars(*, title, axes, series, max_value, width=520, digits=numbers.INDEX_DIGITS, value_format=None):
    """Horizontal bars, one group per axis and one bar per series; values written with
    ``digits`` decimals, as the tables beside the chart write them (``numbers.figure``), or by
    ``value_format(value)`` when given (a mean level on a framework's own label scale)."""
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
            if value_format is not None and s.values[i] is not None:
                shown = escape(value_format(s.values[i]))
            else:
                shown = numbers.figure(s.values[i], digits)
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
