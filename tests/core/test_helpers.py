"""core's shared helpers: the interface language, bilingual texts, CSV cells."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from stegvis.core.csvutil import safe_cell
from stegvis.core.i18n import bilingual, pick, ui_language
from stegvis.frameworks.models import Area, localized_text


@pytest.mark.parametrize(("code", "expected"), [("en", "en"), ("en-gb", "en"), ("sv", "sv"), ("de", "sv"), ("", "sv")])
def test_ui_language_is_english_for_english_codes_else_swedish(code, expected):
    assert ui_language(code) == expected


def test_ui_language_without_a_code_is_the_active_language():
    with translation.override("en"):
        assert ui_language() == "en"
    with translation.override("sv"):
        assert ui_language() == "sv"


def test_pick_falls_back_to_swedish_when_the_english_is_empty():
    assert pick("Ledning", "Leadership", "en") == "Leadership"
    assert pick("Ledning", "", "en") == "Ledning"
    assert pick("Ledning", None, "en") == "Ledning"
    assert pick("Ledning", "Leadership", "sv") == "Ledning"


def test_bilingual_reads_the_field_pair_and_the_tr_filter_is_the_same():
    area = Area(name_sv="Ledning", name_en="Leadership")
    untranslated = Area(name_sv="Infrastruktur", name_en="")
    template = Template('{% load stegvis %}{{ a|tr:"name" }}/{{ b|tr:"name" }}')
    with translation.override("en"):
        assert bilingual(area, "name") == "Leadership"
        assert bilingual(untranslated, "name") == "Infrastruktur"
        assert template.render(Context({"a": area, "b": untranslated})) == "Leadership/Infrastruktur"
    with translation.override("sv"):
        assert template.render(Context({"a": area, "b": untranslated})) == "Ledning/Infrastruktur"
    assert bilingual(area, "name", "sv") == "Ledning"
    assert bilingual(area, "missing", "en") == ""


def test_localized_text_prefers_the_preschool_wording_in_the_language_asked_for(framework):
    level = framework.areas.first().indicators.first().levels.first()
    level.preschool_sv, level.preschool_en = "I förskolan", ""
    assert localized_text(level, "text", preschool=True, lang="en") == "I förskolan"
    assert localized_text(level, "text", preschool=False, lang="en") == level.text_en
    level.preschool_en = "In preschool"
    assert localized_text(level, "text", preschool=True, lang="en") == "In preschool"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+46", "'+46"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("Ekskolan", "Ekskolan"),
        (12, "12"),
    ],
)
def test_safe_cell_keeps_formulas_from_running(value, expected):
    assert safe_cell(value) == expected


SRC = Path(__file__).resolve().parents[2] / "src" / "stegvis"
# Hand-written copies of the helpers above, as they were found in the rooms.
COPIES = {
    "the language choice (use core.i18n.ui_language)": re.compile(r"""startswith\(["']en["']\)"""),
    "the bilingual fallback (use core.i18n.bilingual or pick)": re.compile(
        r"""f["']\{?\w*\}?_\{lang\}|_en["'], ["']["']\)|lang == ["']en["'] and|\.name_en\|default"""
    ),
    "the CSV formula guard (use core.csvutil.safe_cell)": re.compile(r"""value\[:1\] in \("""),
}
OWN = {SRC / "core" / "i18n.py", SRC / "core" / "csvutil.py"}


def test_the_rooms_use_the_helpers_instead_of_copies():
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".html") or path in OWN or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(SRC)}: {what}" for what, pattern in COPIES.items() if pattern.search(text)]
    assert found == []
