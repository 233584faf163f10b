from django.core.management.base import BaseCommand

from stegvis.core.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an EMPTY database (the configured one, "
        "or --database-url); refuses a database that has tables. docs/production.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")

    def handle(self, *args, **options):
        restore(path=options["path"], database_url=options["database_url"])
        self.stdout.write(f"Restored {options['path']}.")
