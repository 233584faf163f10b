from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from stegvis.core.models import ScheduledJob
from stegvis.core.scheduler import parse_schedule


def _time(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}" if moment else "-"


def state(row, now):
    """What the job is doing, in a few words."""
    if row is None:
        return "never run"
    if row.locked_by and row.locked_until and row.locked_until >= now:
        return f"running on {row.locked_by} (lease until {_time(row.locked_until)})"
    if row.locked_by:
        return f"lease of {row.locked_by} ran out at {_time(row.locked_until)}: will run again"
    if row.failures:
        return f"failing ({row.failures} in a row)"
    return "ok" if row.last_finished else "never run"


class Command(BaseCommand):
    help = "Show the periodic jobs (STEGVIS_SCHEDULE) and how their last runs went (docs/scheduler.md)."

    def handle(self, *args, **options):
        jobs = parse_schedule(settings.STEGVIS_SCHEDULE)
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        now = timezone.now()
        for name in [*jobs, *sorted(set(rows) - set(jobs))]:
            job, row = jobs.get(name), rows.get(name)
            self.stdout.write(self.style.MIGRATE_HEADING(name))
            self.stdout.write(f"  task:      {job.task if job else '- (no longer in STEGVIS_SCHEDULE)'}")
            self.stdout.write(f"  schedule:  {job.describe() if job else '-'}")
            self.stdout.write(f"  state:     {state(row, now)}")
            if row is None:
                continue
            retry = f" (retry {row.retry})" if row.retry else ""
            self.stdout.write(f"  next due:  {_time(row.next_due) if row.next_due else 'now'}{retry}")
            self.stdout.write(f"  last run:  started {_time(row.last_started)}, finished {_time(row.last_finished)}")
            self.stdout.write(f"  runs:      {row.runs} in all, {row.failures} failed in a row")
            if row.last_error:
                lines = [line for line in row.last_error.strip().splitlines() if line.strip()]
                self.stdout.write(f"  last error ({_time(row.last_failed)}): {lines[-1].strip() if lines else ''}")
