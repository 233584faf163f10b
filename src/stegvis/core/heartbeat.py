"""Heartbeats of the background processes, read by ``/health/``.

The scheduler runs ``beat`` every minute (``STEGVIS_SCHEDULE["heartbeat"]``): it records the
scheduler's beat and enqueues ``core.tasks.worker_heartbeat``, whose run by ``db_worker`` records
the worker's. So a fresh "worker" row means a worker is taking tasks off the queue, and a fresh
"scheduler" row that the scheduler is running its jobs. ``health`` reads both rows in one query,
which is also the database check.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Heartbeat

KINDS = ("scheduler", "worker")


def record(*, name):
    """Record that the process ``name`` is alive now. Side effects: writes its Heartbeat row."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def beat():
    """The scheduler's job: record its own beat and ask the worker for one (a task on the queue)."""
    from .tasks import worker_heartbeat

    record(name="scheduler")
    worker_heartbeat.enqueue()


def health(*, now=None):
    """{"database": "ok", "scheduler": "ok"|"stale"|"missing", "worker": ...} and whether all are ok.

    One query. A process whose beat is older than STEGVIS_HEALTH_STALE_MINUTES is "stale"; one
    that never beat is "missing" (on a new install, until the scheduler's first minute).
    """
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.STEGVIS_HEALTH_STALE_MINUTES)
    beats = dict(Heartbeat.objects.filter(name__in=KINDS).values_list("name", "beat_at"))
    report = {"database": "ok"}
    for kind in KINDS:
        at = beats.get(kind)
        report[kind] = "missing" if at is None else "ok" if at >= limit else "stale"
    return report, all(value == "ok" for value in report.values())
