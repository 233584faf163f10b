from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from stegvis.frameworks.loader import DEFAULT_FRAMEWORK, FrameworkError, check_file, load_framework
from stegvis.organisations.models import Organizer


class Command(BaseCommand):
    help = "Validate and load a framework file (YAML). Loads nothing when the file has an error."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_FRAMEWORK), help="framework file (default: the Stegvis framework)"
        )
        parser.add_argument("--organizer", help="slug of the organiser that owns it (default: shared by all)")
        parser.add_argument("--check", action="store_true", help="only validate; load nothing")

    def handle(self, path, organizer=None, check=False, **options):
        try:
            with scopes_disabled():
                owner = None
                if organizer:
                    owner = Organizer.objects.filter(slug=organizer).first()
                    if owner is None:
                        raise CommandError(f"unknown organiser '{organizer}'")
                if check:
                    check_file(path, organizer=owner)
                    self.stdout.write(self.style.SUCCESS(f"{path}: valid"))
                    return
                fw, created = load_framework(path, organizer=owner)
        except FrameworkError as exc:
            raise CommandError(f"{len(exc.problems)} problem(s), nothing loaded:\n{exc}") from exc
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {fw.key} {fw.version}: {fw.indicators.count()} indicators"))
        else:
            self.stdout.write(f"{fw.key} {fw.version} is already loaded; nothing changed")
