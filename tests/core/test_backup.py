"""Backup and restore (core.backup, `manage.py backup` / `restore`): a round trip into an empty
database gives the same rows in every table, on the database the suite runs on (SQLite, or
PostgreSQL with pg_dump/pg_restore); a restore refuses a database that is not empty."""

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
    url, read_target = empty_database
    path = tmp_path / "backups" / "stegvis.dump"

    call_command("backup", str(path))
    call_command("restore", str(path), "--database-url", url)

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
