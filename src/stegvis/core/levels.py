"""The colours of levels: one sequential palette per number of levels (2 to 7).

A framework has from ``MIN_LEVELS`` to ``MAX_LEVELS`` levels. Level ``n`` of a framework with
``count`` levels is drawn with ``palette(count)[n - 1]``: a background running from light
yellow (the lowest level) to dark green (the top level, always the strongest), evenly spaced in
lightness in the OKLCH colour space, and the text colour (ink or white) that reads on it with
at least WCAG AA contrast (4.5:1). A background whose lightness would leave both text colours
below AA is moved to the nearer lightness where one of them reaches it.

The same colours are used by the HTML grid and legends (``stegvis.css``, classes from
``css_class``), the PDFs (the ``level_css`` template tag) and the Excel sheets
(``exports.sheets``). The CSS block in ``stegvis.css`` is written by
``python -m stegvis.core.levels`` (a test checks it matches).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coloraide import Color

MIN_LEVELS, MAX_LEVELS = 2, 7
INK, WHITE = "#1b1f24", "#ffffff"
AA = 4.5
# light yellow -> green -> dark green; the middle stop halfway in lightness, so steps are even
STOPS = ("oklch(0.955 0.075 95)", "oklch(0.6875 0.15 142)", "oklch(0.42 0.1 155)")


@dataclass(frozen=True)
class LevelColour:
    background: str  # "#rrggbb"
    text: str  # INK or WHITE
    contrast: float  # WCAG 2.1 contrast ratio of text on background


def _contrast(colour, text):
    return colour.contrast(Color(text), method="wcag21")


def _readable(colour):
    ink, white = _contrast(colour, INK), _contrast(colour, WHITE)
    return (INK, ink) if ink >= white else (WHITE, white)


def _nudged(colour):
    """The colour with its lightness moved the least distance to where ink or white text reaches AA."""
    up, down = colour.clone(), colour.clone()
    while _contrast(up.clone().fit("srgb"), INK) < AA and up["lightness"] < 1:
        up["lightness"] += 0.0025
    while _contrast(down.clone().fit("srgb"), WHITE) < AA and down["lightness"] > 0:
        down["lightness"] -= 0.0025
    return up if up["lightness"] - colour["lightness"] <= colour["lightness"] - down["lightness"] else down


@cache
def palette(count):
    """``[LevelColour]`` for levels 1..count (``MIN_LEVELS`` <= count <= ``MAX_LEVELS``)."""
    if not MIN_LEVELS <= count <= MAX_LEVELS:
        raise ValueError(f"a framework has {MIN_LEVELS} to {MAX_LEVELS} levels, not {count}")
    result = []
    for colour in Color.steps(list(STOPS), steps=count, space="oklch"):
        colour = colour.fit("srgb")
        if _readable(colour)[1] < AA:
            colour = _nudged(colour).fit("srgb")
        text, contrast = _readable(colour)
        result.append(LevelColour(colour.convert("srgb").to_string(hex=True), text, round(contrast, 2)))
    return result


def colour(count, number):
    """The ``LevelColour`` of level ``number`` (1..count); out-of-range numbers are clamped."""
    count = min(max(count, MIN_LEVELS), MAX_LEVELS)
    return palette(count)[min(max(number, 1), count) - 1]


def css_class(count, number):
    """The CSS class of level ``number`` of ``count``: ``lv5-3`` (stegvis.css, the PDFs)."""
    count = min(max(count, MIN_LEVELS), MAX_LEVELS)
    return f"lv{count}-{min(max(number, 1), count)}"


def css():
    """The CSS rules for every level class: background and text colour (links inherit it)."""
    lines = []
    for count in range(MIN_LEVELS, MAX_LEVELS + 1):
        rules = " ".join(
            f".{css_class(count, n)} {{ background: {c.background}; color: {c.text}; }}"
            for n, c in enumerate(palette(count), start=1)
        )
        lines.append(rules)
    return "\n".join(lines) + "\n"


CSS_BEGIN = "/* level colours: written by `python -m stegvis.core.levels`, do not edit */\n"
CSS_END = "/* end of level colours */\n"
STYLESHEET = Path(__file__).resolve().parent / "static" / "stegvis" / "stegvis.css"


def stylesheet_block():
    return CSS_BEGIN + css() + CSS_END


def write_stylesheet(path=STYLESHEET):
    """Replace the level colour block in ``stegvis.css`` (appended when missing)."""
    text = path.read_text(encoding="utf-8")
    if CSS_BEGIN in text:
        head, rest = text.split(CSS_BEGIN, 1)
        _old, tail = rest.split(CSS_END, 1)
        text = head + stylesheet_block() + tail
    else:
        text = text.rstrip("\n") + "\n" + stylesheet_block()
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    write_stylesheet()
