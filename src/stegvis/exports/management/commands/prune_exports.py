from django.core.management.base import BaseCommand

from stegvis.exports import domain


class Command(BaseCommand):
    help = (
        f"Delete export jobs (and their files) older than a number of days (default {domain.KEEP_DAYS}). "
        "The scheduler (manage.py run_scheduler) does this every night."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=domain.KEEP_DAYS)

    def handle(self, *args, days=domain.KEEP_DAYS, **options):
        total = domain.prune_jobs(days=days)
        self.stdout.write(f"Deleted {total} export job(s) older than {days} days.")
