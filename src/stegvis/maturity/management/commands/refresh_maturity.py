import time

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from stegvis.maturity import figures as maturity


class Command(BaseCommand):
    help = (
        "Recompute the digital maturity figures of every organiser and round, then the national ones. "
        "With --every N, keep running and recompute what changed every N seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="loop: check for changes every SECONDS")

    def handle(self, every=None, **options):
        with scopes_disabled():
            if not every:
                count = maturity.refresh_all()
                self.stdout.write(self.style.SUCCESS(f"{count} maturity figures stored"))
                return
            self.stdout.write(f"Keeping maturity figures current, checking every {every} s (Ctrl-C stops).")
            while True:
                started = time.monotonic()
                changed = maturity.refresh_changed()
                if changed:
                    self.stdout.write(f"{changed} round(s) recomputed in {time.monotonic() - started:.1f} s")
                time.sleep(max(1, every - (time.monotonic() - started)))
