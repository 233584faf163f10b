"""Settings from environment variables: readable values are read, others stop the start."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from stegvis.envsettings import env_bool, env_int, env_list, env_proxy_ssl_header, env_str

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("word", ["1", "true", "True", "YES", "on", " on "])
def test_a_switch_accepts_the_usual_words_for_on(monkeypatch, word):
    monkeypatch.setenv("STEGVIS_X", word)
    assert env_bool("STEGVIS_X", False) is True


@pytest.mark.parametrize("word", ["0", "false", "No", "OFF"])
def test_a_switch_accepts_the_usual_words_for_off(monkeypatch, word):
    monkeypatch.setenv("STEGVIS_X", word)
    assert env_bool("STEGVIS_X", True) is False


@pytest.mark.parametrize("value", [None, "", "  "])
def test_unset_or_empty_takes_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("STEGVIS_X", raising=False)
    else:
        monkeypatch.setenv("STEGVIS_X", value)
    assert env_bool("STEGVIS_X", True) is True
    assert env_int("STEGVIS_X", 7) == 7
    assert env_list("STEGVIS_X", ["a"]) == ["a"]
    assert env_str("STEGVIS_X", "d") == "d"
    assert env_proxy_ssl_header("STEGVIS_X") is None


def test_a_switch_refuses_anything_else_naming_the_variable_and_the_words(monkeypatch):
    monkeypatch.setenv("STEGVIS_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"STEGVIS_X='maybe'.*1/true/yes/on.*0/false/no/off"):
        env_bool("STEGVIS_X", False)


def test_a_number_must_be_whole_and_not_below_its_minimum(monkeypatch):
    monkeypatch.setenv("STEGVIS_X", "60")
    assert env_int("STEGVIS_X", 0, min=0) == 60
    monkeypatch.setenv("STEGVIS_X", "sixty")
    with pytest.raises(ImproperlyConfigured, match="STEGVIS_X='sixty'.*whole number"):
        env_int("STEGVIS_X", 0)
    monkeypatch.setenv("STEGVIS_X", "-1")
    with pytest.raises(ImproperlyConfigured, match="STEGVIS_X='-1'.*at least 0"):
        env_int("STEGVIS_X", 0, min=0)


def test_a_list_drops_blanks_and_empty_items(monkeypatch):
    monkeypatch.setenv("STEGVIS_X", " a.se, ,b.se,")
    assert env_list("STEGVIS_X") == ["a.se", "b.se"]


def test_a_choice_is_one_of_the_listed(monkeypatch):
    monkeypatch.setenv("STEGVIS_X", "info")
    assert env_str("STEGVIS_X", "WARNING", choices=("INFO", "WARNING")) == "INFO"
    monkeypatch.setenv("STEGVIS_X", "loud")
    with pytest.raises(ImproperlyConfigured, match="STEGVIS_X='loud'.*INFO, WARNING"):
        env_str("STEGVIS_X", "WARNING", choices=("INFO", "WARNING"))


def test_the_proxy_header_becomes_what_django_reads(monkeypatch):
    monkeypatch.setenv("STEGVIS_X", "X-Forwarded-Proto")
    assert env_proxy_ssl_header("STEGVIS_X") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("STEGVIS_X", "X-Scheme=HTTPS")
    assert env_proxy_ssl_header("STEGVIS_X") == ("HTTP_X_SCHEME", "HTTPS")
    monkeypatch.setenv("STEGVIS_X", "X Forwarded: https")
    with pytest.raises(ImproperlyConfigured, match="STEGVIS_X="):
        env_proxy_ssl_header("STEGVIS_X")


def _run(code_or_args, env, tmp_path):
    """Run Python (a manage.py command when given a list) with the real settings and only ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("STEGVIS_", "DJANGO_", "DATABASE_URL"))}
    base.update({"DJANGO_SETTINGS_MODULE": "stegvis.settings", "PYTHONPATH": str(ROOT / "src")})
    base.update({"STEGVIS_DATA_DIR": str(tmp_path), **env})
    args = ["manage.py", *code_or_args] if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


READ_DEBUG = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_the_settings_read_true_as_on_and_refuse_a_typo(tmp_path):
    """``STEGVIS_DEBUG=true`` used to be silently off; ``STEGVIS_DEBUG=ture`` now stops the start."""
    assert _run(READ_DEBUG, {"STEGVIS_DEBUG": "true"}, tmp_path).stdout.strip() == "True"
    typo = _run(READ_DEBUG, {"STEGVIS_DEBUG": "ture"}, tmp_path)
    assert typo.returncode != 0
    assert "STEGVIS_DEBUG='ture' is not understood" in typo.stderr


def production_block():
    """The variables of the production block in README.md ("Running it for real")."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- production settings -->\s*```sh\n(.*?)```", readme, re.S).group(1)
    variables = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, value = line.partition("=")
            variables[name] = value
    return variables


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = production_block()
    assert {"STEGVIS_SSL_REDIRECT", "STEGVIS_HSTS_SECONDS", "STEGVIS_SECURE_COOKIES"} <= env.keys()
    env["STEGVIS_SECRET_KEY"] = secrets.token_urlsafe(50)  # the block says "..."
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"  # no database server needed for checks
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_without_them(tmp_path):
    """The test above would pass vacuously if check --deploy never warned."""
    result = _run(["check", "--deploy"], {"STEGVIS_SECRET_KEY": secrets.token_urlsafe(50)}, tmp_path)
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W008" in result.stderr + result.stdout  # no redirect to HTTPS


def test_sqlite_keeps_a_write_ahead_log_and_syncs_every_commit(tmp_path):
    """One sync per commit (an autosave waited for several with the rollback journal), and a
    commit is on disk when it returns: synchronous FULL (2)."""
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])"
    )
    env = {"STEGVIS_SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = _run(code, env, tmp_path)
    assert result.stdout.split() == ["wal", "2"], result.stdout + result.stderr
