"""The Swedish catalogue is complete and current: every string in the code is in it, translated."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

SRC = Path(__file__).resolve().parent.parent / "src" / "stegvis"
PO = SRC / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def entries(po_text):
    """{msgid: msgstr} for the singular entries of a .po text (plural entries: first form)."""
    result, key, parts, field = {}, None, [], None

    def flush():
        if field == "msgstr" and key:
            result[key] = "".join(p.strip()[1:-1] for p in parts)

    for line in po_text.splitlines() + [""]:
        if line.startswith("msgid "):
            flush()
            field, parts = "msgid", [line[6:]]
        elif line.startswith("msgid_plural "):
            key = "".join(p.strip()[1:-1] for p in parts)
            field, parts = "plural", []
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            if field == "msgid":
                key = "".join(p.strip()[1:-1] for p in parts)
            field, parts = "msgstr", [line.split(" ", 1)[1]]
        elif line.startswith('"') and field:
            parts.append(line)
        else:
            flush()
            field = None
    return result


def msgids(po_text):
    return set(entries(po_text))


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
    missing = [m for m, t in po.items() if "%(" not in m and "\\" not in m and t != m and compiled.gettext(m) != t]
    assert not missing, f"run `make messages` (compilemessages): {missing[:5]}"
