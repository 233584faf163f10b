"""Backup and restore of the whole database: ``manage.py backup`` and ``manage.py restore``.

PostgreSQL: ``pg_dump --format=custom`` (compressed, restorable table by table, independent of
the owner's name) and ``pg_restore`` in one transaction, so a failed restore leaves the target
empty. SQLite: the online backup API of the ``sqlite3`` module, which copies a consistent
snapshot while the site keeps running. A restore goes only into an empty database (no tables),
so it can never be mixed into live data; ``docs/production.md`` has the procedure.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.core.management.base import CommandError
from django.db import connection


class BackupError(CommandError):
    pass


def describe(database_url=None):
    """The settings dict of ``database_url``, or of the configured database."""
    return dj_database_url.parse(database_url) if database_url else connection.settings_dict


def is_postgres(db):
    return "postgresql" in db["ENGINE"]


def _pg_tool(name):
    program = shutil.which(name)
    if not program:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return program


def _pg_args(db):
    """Connection options for pg_dump/pg_restore, and the environment carrying the password."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def backup(*, path, database_url=None):
    """Write a backup of the database to ``path``. Side effects: creates the file (and its directory)."""
    db = describe(database_url)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_postgres(db):
        args, env = _pg_args(db)
        _run([_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(path), "--dbname", db["NAME"]], env)  # fmt: skip
    else:
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    return path


def table_names(db):
    """The tables of the database ``db`` (a settings dict), read with its own connection."""
    if is_postgres(db):
        import psycopg

        args = {k: v for k, v in (("host", db.get("HOST")), ("port", db.get("PORT")), ("user", db.get("USER")),
                                  ("password", db.get("PASSWORD"))) if v}  # fmt: skip
        with psycopg.connect(dbname=db["NAME"], **args) as conn:
            rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        return [name for (name,) in rows]
    if not Path(db["NAME"]).exists():
        return []
    with sqlite3.connect(db["NAME"]) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return [name for (name,) in rows]


def restore(*, path, database_url=None):
    """Restore the backup at ``path`` into the (empty) database. Side effects: fills that database;
    raises BackupError, changing nothing, when the database already has tables."""
    db = describe(database_url)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if table_names(db):
        raise BackupError(
            f"The database {db['NAME']} is not empty: restore only into an empty database "
            "(PostgreSQL: createdb a new one; SQLite: a new file name)."
        )
    if is_postgres(db):
        args, env = _pg_args(db)
        _run([_pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--dbname", db["NAME"], str(path)], env)  # fmt: skip
    else:
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(path)
        target = sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
