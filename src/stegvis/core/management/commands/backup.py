from django.core.management.base import BaseCommand

from stegvis.core.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database and the uploaded files (MEDIA_ROOT) to one tar file: the database "
        "as pg_dump's custom format on PostgreSQL, by the online backup API on SQLite (safe while the "
        "site runs). docs/production.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write, e.g. var/backups/stegvis-2026-12-01.tar")
        parser.add_argument("--database-url", help="another database than the configured one")
        parser.add_argument("--media-dir", help="another uploads folder than MEDIA_ROOT (STEGVIS_MEDIA_DIR)")

    def handle(self, *args, **options):
        path = backup(path=options["path"], database_url=options["database_url"], media_dir=options["media_dir"])
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
