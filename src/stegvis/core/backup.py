"""Backup and restore of the whole database and the uploaded files: ``manage.py backup`` and
``manage.py restore``.

A backup is one tar file: ``stegvis-backup.json`` (what it holds), ``database`` (the database's
own backup, below) and ``uploads/`` (everything under ``MEDIA_ROOT``, ``STEGVIS_MEDIA_DIR``).
PostgreSQL: ``pg_dump --format=custom`` (compressed, restorable table by table, independent of
the owner's name) and ``pg_restore`` in one transaction, so a failed restore leaves the target
empty. SQLite: the online backup API of the ``sqlite3`` module, which copies a consistent
snapshot while the site keeps running. A restore goes only into an empty database (no tables),
so it can never be mixed into live data, and the uploads only into an empty folder, for the
same reason. A backup of the database alone (the format before uploads were kept) restores as
before. ``docs/production.md`` has the procedure.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

MANIFEST = "stegvis-backup.json"
DATABASE = "database"
UPLOADS = "uploads"


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


def _backup_database(db, path):
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


def _files(folder):
    """The files under ``folder`` (relative paths, sorted); none when it does not exist."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def backup(*, path, database_url=None, media_dir=None):
    """Write a backup of the database and of the uploaded files (``media_dir``, by default
    ``MEDIA_ROOT``) to ``path``, one tar file. The database first, then the files: a file
    uploaded meanwhile is in the backup without its row (harmless), never the other way round
    unless a file is deleted in those seconds. Side effects: creates the file (and its
    directory), written beside it under a temporary name and renamed when complete."""
    db = describe(database_url)
    path = Path(path)
    media = Path(media_dir or settings.MEDIA_ROOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        dump = Path(work) / DATABASE
        _backup_database(db, dump)
        files = _files(media)
        manifest = {
            "format": 1,
            "database": "postgresql" if is_postgres(db) else "sqlite",
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "uploads": len(files),
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=1))
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as tar:  # not compressed: the dump and most uploads already are
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=DATABASE)
            if media.is_dir():
                tar.add(media, arcname=UPLOADS, recursive=False)
            for relative in files:
                tar.add(media / relative, arcname=f"{UPLOADS}/{relative.as_posix()}", recursive=False)
        os.replace(partial, path)
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


def _restore_database(db, path):
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


def _is_archive(path):
    """A backup with uploads (a tar file with the manifest), or one of the database alone."""
    if not tarfile.is_tarfile(path):
        return False
    with tarfile.open(path) as tar:
        return MANIFEST in tar.getnames()


def restore(*, path, database_url=None, media_dir=None):
    """Restore the backup at ``path`` into the (empty) database and its uploaded files into the
    (empty or missing) ``media_dir`` (by default ``MEDIA_ROOT``). Side effects: fills that
    database and that folder; raises BackupError, changing nothing, when the database already
    has tables or the folder already has files."""
    db = describe(database_url)
    path = Path(path)
    media = Path(media_dir or settings.MEDIA_ROOT)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if table_names(db):
        raise BackupError(
            f"The database {db['NAME']} is not empty: restore only into an empty database "
            "(PostgreSQL: createdb a new one; SQLite: a new file name)."
        )
    if not _is_archive(path):  # a backup of the database alone
        _restore_database(db, path)
        return
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(
            f"The uploads folder {media} is not empty: restore the uploads only into an empty or new "
            "folder (--media-dir, or STEGVIS_MEDIA_DIR)."
        )
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as work:
        with tarfile.open(path) as tar:
            names = set(tar.getnames())
            if DATABASE not in names:
                raise BackupError(f"{path} holds no database.")
            # the "data" filter refuses absolute paths, links out of the folder and device files
            tar.extractall(work, members=[m for m in tar.getmembers() if m.name == DATABASE], filter="data")
            uploads = [m for m in tar.getmembers() if m.name == UPLOADS or m.name.startswith(f"{UPLOADS}/")]
            tar.extractall(work, members=uploads, filter="data")
        _restore_database(db, Path(work) / DATABASE)
        restored = Path(work) / UPLOADS
        restored.mkdir(exist_ok=True)
        if media.is_dir():  # empty (checked above), perhaps a mount point: fill it
            for child in restored.iterdir():
                os.replace(child, media / child.name)
        else:
            os.replace(restored, media)
