from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from stegvis.demo.demo import DEMO_NAME, DemoError, build_demo, delete_demo, demo_framework, write_logins


class Command(BaseCommand):
    help = f"Create the demo organiser “{DEMO_NAME}” with people, three school years and action plans."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete the demo organiser (and its own users) first")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")

    def handle(self, *args, reset=False, seed=2026, **options):
        try:
            with scopes_disabled(), transaction.atomic():
                if reset:
                    demo_framework()  # fail before deleting anything
                    delete_demo(stdout=self.stdout)
                build_demo(seed=seed, stdout=self.stdout)
                write_logins(self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
