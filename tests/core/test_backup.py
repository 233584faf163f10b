"""Backup and restore (core.backup, `manage.py backup` / `restore`): a round trip into an empty
database gives the same rows in every table, on the database the suite runs on (SQLite, or
PostgreSQL with pg_dump/pg_restore), and the same uploaded files (MEDIA_ROOT) byte for byte; a
restore refuses a database that is not empty, or an uploads folder that is not."""

import shutil
import sqlite3
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from stegvis.core import mail
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)  # the backup reads what is committed


def _pg_kwargs(db, name):
    keys = (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
    return {"dbname": name, **{k: db[v] for k, v in keys if db.get(v)}}


def _pg_url(db, name):
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture
def empty_database(tmp_path):
    """(database_url, read(sql) -> rows) of a new, empty database of the suite's kind; dropped after."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def read(sql):
            with sqlite3.connect(path) as conn:
                return conn.execute(sql).fetchall()

        yield f"sqlite:///{path}", read
        return
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed")
    import psycopg

    # named after the configured database (h_prod -> h_prod_restore_1a2b3c), never a live one
    name = f"{db['NAME'].removeprefix('test_')}_restore_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(**_pg_kwargs(db, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def read(sql):
        with psycopg.connect(**_pg_kwargs(db, name)) as conn:
            return conn.execute(sql).fetchall()

    try:
        yield _pg_url(db, name), read
    finally:
        with psycopg.connect(**_pg_kwargs(db, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _every_table(read_source, read_target):
    tables = [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]
    assert len(tables) > 30
    for table in tables:
        sql = f'SELECT * FROM "{table}"'
        yield table, sorted(read_source(sql), key=repr), sorted(read_target(sql), key=repr)


def _read_here(sql):
    if connection.vendor == "sqlite":  # as the target is read: plain sqlite3, no Django converters
        with sqlite3.connect(connection.settings_dict["NAME"]) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(**_pg_kwargs(connection.settings_dict, connection.settings_dict["NAME"])) as conn:
        return conn.execute(sql).fetchall()


def test_a_backup_restored_into_an_empty_database_has_the_same_rows_in_every_table(
    world, tmp_path, empty_database, settings
):
    settings.EMAIL_BACKEND = "stegvis.core.mail.RecordOnlyBackend"
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    mail.send(  # text with Swedish letters, a NULL organiser
        to_email="ada@example.se", to_user=world.bob, kind="password_changed", subject="Lösenordet är ändrat",
        template="accounts/mail/password_changed", context={"user": world.bob}, language="sv", why="test",
    )  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "uploads"
    uploaded = {
        "examples/2026/planering.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
        "meetings/7/protokoll-ä.docx": b"PK\x03\x04" + b"\x00" * 1000,
        "top.txt": "Åtgärder".encode(),
    }
    for name, content in uploaded.items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(content)
    url, read_target = empty_database
    path = tmp_path / "backups" / "stegvis.tar"
    restored_uploads = tmp_path / "restored" / "uploads"

    call_command("backup", str(path))
    call_command("restore", str(path), "--database-url", url, "--media-dir", str(restored_uploads))

    assert {
        p.relative_to(restored_uploads).as_posix(): p.read_bytes() for p in restored_uploads.rglob("*") if p.is_file()
    } == uploaded
    assert list(path.parent.iterdir()) == [path]  # no temporary files left beside it

    compared = 0
    for table, here, there in _every_table(_read_here, read_target):
        assert here == there, table
        compared += len(here)
    assert compared > 100
    if connection.vendor == "postgresql":  # the ids go on where they stopped
        sql = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
        assert read_target(sql) == _read_here(sql)


def test_a_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    path = tmp_path / "stegvis.dump"
    call_command("backup", str(path))
    before = _read_here('SELECT COUNT(*) FROM "organisations_unit"')
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))  # into the configured database, which has the data
    assert _read_here('SELECT COUNT(*) FROM "organisations_unit"') == before


def test_a_restore_refuses_an_uploads_folder_that_is_not_empty_and_changes_nothing(
    world, tmp_path, empty_database, settings
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (settings.MEDIA_ROOT / "a").mkdir(parents=True)
    (settings.MEDIA_ROOT / "a" / "one.pdf").write_bytes(b"%PDF-1.7 one")
    path = tmp_path / "stegvis.tar"
    call_command("backup", str(path))
    url, read_target = empty_database
    with pytest.raises(CommandError, match="uploads folder .* is not empty"):
        call_command("restore", str(path), "--database-url", url)  # the live MEDIA_ROOT
    assert read_target(_TABLES[connection.vendor]) == []  # the database was left empty
    assert [p.name for p in settings.MEDIA_ROOT.rglob("*")] == ["a", "one.pdf"]
    empty = tmp_path / "empty"
    empty.mkdir()  # an empty folder (a mount point, say) is filled
    call_command("restore", str(path), "--database-url", url, "--media-dir", str(empty))
    assert (empty / "a" / "one.pdf").read_bytes() == b"%PDF-1.7 one"


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def test_a_backup_of_the_database_alone_still_restores(world, tmp_path, empty_database):
    """Backups made before the uploads were kept: the database's own backup file."""
    from stegvis.core import backup

    url, read_target = empty_database
    plain = tmp_path / "old.dump"
    backup._backup_database(connection.settings_dict, plain)
    call_command("restore", str(plain), "--database-url", url, "--media-dir", str(tmp_path / "none"))
    assert read_target('SELECT COUNT(*) FROM "organisations_unit"') == _read_here(
        'SELECT COUNT(*) FROM "organisations_unit"'
    )
