"""The Swedish catalogue is complete and current: every string in the code is in it, translated."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

SRC = Path(__file__).resolve().parent.parent / "src" / "stegvis"
PO = SRC / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def entries(po_text):
    """{(context or None, msgid): msgstr} for a .po text (plural entries: the first form)."""
    result, current, field, parts = {}, {}, None, []

    def close_field():
        if field:
            current[field] = "".join(p.strip()[1:-1] for p in parts)

    def close_entry():
        if current.get("msgid"):
            result[(current.get("msgctxt"), current["msgid"])] = current.get("msgstr", "")

    for line in [*po_text.splitlines(), ""]:
        keyword = line.split(" ", 1)[0]
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", "msgstr[1]"):
            close_field()
            if keyword in ("msgctxt", "msgid") and "msgstr" in current:
                close_entry()
                current = {}
            field = {"msgstr[0]": "msgstr", "msgstr[1]": None, "msgid_plural": None}.get(keyword, keyword)
            parts = [line.split(" ", 1)[1]]
        elif line.startswith('"') and field:
            parts.append(line)
        else:
            close_field()
            field = None
    close_entry()
    return result


def msgids(po_text):
    return set(entries(po_text))  # (context, msgid) pairs


def test_swedish_catalogue_has_no_untranslated_or_fuzzy_entries():
    if not shutil.which("msgfmt"):
        pytest.skip("gettext is not installed (apt-get install gettext)")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_swedish_catalogue_is_current(tmp_path, monkeypatch):
    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed (apt-get install gettext)")
    from django.core.management import call_command

    # Work on a copy: makemessages writes next to the sources it reads.
    copy = tmp_path / "stegvis"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("locale", "static", "data", "__pycache__"))
    target = copy / "locale"
    (target / "sv" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[target]):
        call_command("makemessages", locale=["sv"], verbosity=0, no_location=True)
    fresh = msgids((target / "sv" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    stored = msgids(PO.read_text(encoding="utf-8"))
    missing = sorted(fresh - stored)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    import gettext

    with open(PO.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    po = entries(PO.read_text(encoding="utf-8"))
    missing = [
        m
        for (ctx, m), t in po.items()
        if "\\" not in m and t != m and (compiled.pgettext(ctx, m) if ctx else compiled.gettext(m)) != t
    ]
    assert not missing, f"run `make messages` (compilemessages): {missing[:5]}"
