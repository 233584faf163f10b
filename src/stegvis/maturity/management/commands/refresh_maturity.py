from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from stegvis.maturity import figures as maturity


class Command(BaseCommand):
    help = (
        "Recompute the digital maturity figures of every organiser and round, then the national ones. "
        "The scheduler (manage.py run_scheduler) keeps them current; this is the one-off full recompute."
    )

    def add_arguments(self, parser):
        # the old loop; kept only to say where it went
        parser.add_argument("--every", type=int, metavar="SECONDS", help="gone: run manage.py run_scheduler")

    def handle(self, every=None, **options):
        if every:
            raise CommandError(
                "refresh_maturity --every is gone: run `manage.py run_scheduler`, which refreshes the "
                "figures every 30 seconds (the 'refresh-maturity' job of STEGVIS_SCHEDULE)."
            )
        with scopes_disabled():
            count = maturity.refresh_all()
        self.stdout.write(self.style.SUCCESS(f"{count} maturity figures stored"))
