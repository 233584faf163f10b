"""The level colours: one sequential palette per number of levels, readable text in every cell,
the same in the stylesheet, the PDFs' styles and the Excel styles."""

from itertools import pairwise

import pytest
from coloraide import Color

from stegvis.core import levels
from stegvis.exports import sheets

COUNTS = range(levels.MIN_LEVELS, levels.MAX_LEVELS + 1)


def luminance(hex_colour):
    return Color(hex_colour).luminance()


@pytest.mark.parametrize("count", COUNTS)
def test_every_level_has_a_colour_with_aa_contrast_for_its_text(count):
    palette = levels.palette(count)
    assert len(palette) == count
    for colour in palette:
        ratio = Color(colour.background).contrast(Color(colour.text), method="wcag21")
        assert ratio >= 4.5, (count, colour)
        assert colour.text in (levels.INK, levels.WHITE)


@pytest.mark.parametrize("count", COUNTS)
def test_levels_darken_step_by_step_and_the_top_is_the_strongest(count):
    palette = levels.palette(count)
    shades = [luminance(c.background) for c in palette]
    assert shades == sorted(shades, reverse=True) and len(set(shades)) == count
    assert palette[-1].background == levels.palette(levels.MAX_LEVELS)[-1].background  # the same top in every count
    for lower, higher in pairwise(palette):
        assert Color(lower.background).delta_e(higher.background, method="ok") >= 0.07, (count, lower, higher)


def test_three_levels_put_the_top_level_in_the_strong_colour_not_a_light_one():
    top = levels.palette(3)[-1]
    assert luminance(top.background) < 0.15 and top.text == levels.WHITE


def test_level_classes_are_clamped_to_the_palette():
    assert levels.css_class(5, 5) == "lv5-5"
    assert levels.css_class(5, 9) == "lv5-5" and levels.css_class(9, 1) == "lv7-1"
    with pytest.raises(ValueError):
        levels.palette(8)


def test_the_stylesheet_has_the_computed_level_colours():
    text = levels.STYLESHEET.read_text(encoding="utf-8")
    assert levels.stylesheet_block() in text, "run `python -m stegvis.core.levels` to rewrite the block"


@pytest.mark.parametrize("count", COUNTS)
def test_excel_styles_use_the_same_colours(count):
    for n, colour in enumerate(levels.palette(count), start=1):
        style = sheets.STYLES[sheets.level_style(n, count)]
        assert (style["bg_color"], style["font_color"]) == (colour.background, colour.text)
