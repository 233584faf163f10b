from django.core.management.base import BaseCommand

from stegvis.core.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to a file: pg_dump's custom format on PostgreSQL, the online "
        "backup API on SQLite (safe while the site runs). docs/production.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write, e.g. var/backups/stegvis-2026-12-01.dump")
        parser.add_argument("--database-url", help="another database than the configured one")

    def handle(self, *args, **options):
        path = backup(path=options["path"], database_url=options["database_url"])
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
