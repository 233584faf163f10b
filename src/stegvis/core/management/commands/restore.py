from django.core.management.base import BaseCommand

from stegvis.core.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an EMPTY database (the configured one, "
        "or --database-url) and its uploaded files into an EMPTY or new folder (MEDIA_ROOT, or "
        "--media-dir); refuses a database that has tables or a folder that has files. docs/production.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument("--media-dir", help="restore the uploads into this folder instead of MEDIA_ROOT")

    def handle(self, *args, **options):
        restore(path=options["path"], database_url=options["database_url"], media_dir=options["media_dir"])
        self.stdout.write(f"Restored {options['path']}.")
