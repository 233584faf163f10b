import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.exports import domain
from stegvis.organisations.models import Organizer


class Command(BaseCommand):
    help = "Delete export jobs (and their files) older than a number of days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days=7, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        total = 0
        with scopes_disabled():
            for organizer in Organizer.objects.all():
                total += domain.delete_jobs(organizer=organizer, older_than=cutoff)
        self.stdout.write(f"Deleted {total} export job(s) older than {days} days.")
