"""The scheduler: the periodic jobs of ``settings.STEGVIS_SCHEDULE``, run by ``manage.py run_scheduler``.

Each job names its task by dotted path (a django-tasks ``Task`` or a plain function), so this
platform module never imports a room: the rooms' tasks are looked up when they run. Every job has a
lease row (``core.models.ScheduledJob``). A scheduler runs a job only after taking that row with one
conditional UPDATE ("due, and not leased or the lease has run out"); the database lets only one
UPDATE win, on SQLite and PostgreSQL alike, so two schedulers started by mistake never run one job
twice at the same time. While the job runs (in a thread of the scheduler) the scheduler renews the
lease on every tick; a scheduler that crashes stops renewing it, and once it has run out another
scheduler (or the restarted one) runs the job again. A failed run is logged, its traceback kept on
the row, and it is retried with a growing delay, never more often than ``max_retries`` times before
the next regular run. docs/scheduler.md explains it for operators.

All times are the scheduler's clock (``timezone.now()``), never the database's, so schedulers on
several machines need synchronised clocks (NTP), as any lease does.
"""

import concurrent.futures
import logging
import os
import secrets
import signal
import socket
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cronsim import CronSim, CronSimError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from .models import ScheduledJob

logger = logging.getLogger("stegvis.scheduler")

# settings.STEGVIS_SCHEDULER; every value in seconds except max_retries
DEFAULT_OPTIONS = {
    "tick": 5,  # how often the scheduler looks for due jobs and renews its leases
    "lease": 60,  # how long a lease lasts unless renewed: how soon a crashed run is taken over
    "retry_base": 60,  # the first retry after a failure; each further one waits twice as long
    "retry_max": 3600,  # the longest wait between retries
    "max_retries": 5,  # retries after a failure before waiting for the next regular run
}
JOB_KEYS = {"task", "every", "cron", "kwargs", "max_retries"}
ERROR_CHARS = 4000  # the end of a traceback kept on the lease row


@dataclass(frozen=True)
class Job:
    """One entry of STEGVIS_SCHEDULE: a task (dotted path) and when it is due."""

    name: str
    task: str
    every: int | None = None  # seconds between runs (from start to start)
    cron: str | None = None  # five cron fields, in settings.TIME_ZONE
    kwargs: dict = field(default_factory=dict)
    max_retries: int | None = None  # None: STEGVIS_SCHEDULER's

    def describe(self):
        return f"every {self.every} s" if self.every else f"cron {self.cron}"

    def first_due(self, now):
        """When a job never run before is first due: an interval job at once, a cron job at its next time."""
        return now if self.every else self.next_after(now)

    def next_after(self, now, *, started=None):
        """The next regular time after a run that started at ``started`` and ended at ``now``."""
        if self.every:
            return max(started + timedelta(seconds=self.every), now) if started else now
        return next(CronSim(self.cron, timezone.localtime(now)))

    def target(self):
        return import_string(self.task)

    def call(self):
        """Run the task here and now, with the job's keyword arguments; returns what it returns."""
        target = self.target()
        if isinstance(target, Task):
            return target.call(**self.kwargs)
        return target(**self.kwargs)


def parse_options(options):
    """STEGVIS_SCHEDULER merged over the defaults; ImproperlyConfigured on a bad value."""
    if not isinstance(options, dict):
        raise ImproperlyConfigured("STEGVIS_SCHEDULER must be a dict.")
    unknown = set(options) - set(DEFAULT_OPTIONS)
    if unknown:
        raise ImproperlyConfigured(f"STEGVIS_SCHEDULER: unknown keys {sorted(unknown)}.")
    merged = {**DEFAULT_OPTIONS, **options}
    for key, value in merged.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ImproperlyConfigured(f"STEGVIS_SCHEDULER[{key!r}] must be a number of seconds (or retries) >= 0.")
    if merged["tick"] <= 0 or merged["lease"] < 3 * merged["tick"]:
        raise ImproperlyConfigured(
            "STEGVIS_SCHEDULER: 'tick' must be > 0 and 'lease' at least three ticks, so a running job's lease "
            "is renewed in time."
        )
    return merged


def parse_schedule(schedule):
    """{name: Job} from STEGVIS_SCHEDULE; ImproperlyConfigured with the job's name on a bad entry."""
    if not isinstance(schedule, dict):
        raise ImproperlyConfigured('STEGVIS_SCHEDULE must be a dict: {"job-name": {"task": "dotted.path", ...}}.')
    jobs = {}
    for name, spec in schedule.items():
        where = f"STEGVIS_SCHEDULE[{name!r}]"
        if not isinstance(name, str) or not name or len(name) > 100:
            raise ImproperlyConfigured(f"{where}: a job's name is a string of 1 to 100 characters.")
        if not isinstance(spec, dict):
            raise ImproperlyConfigured(f"{where} must be a dict.")
        unknown = set(spec) - JOB_KEYS
        if unknown:
            raise ImproperlyConfigured(f"{where}: unknown keys {sorted(unknown)} (known: {sorted(JOB_KEYS)}).")
        if not isinstance(spec.get("task"), str) or "." not in spec["task"]:
            raise ImproperlyConfigured(f"{where}: 'task' must be the dotted path of a task or function.")
        if ("every" in spec) == ("cron" in spec):
            raise ImproperlyConfigured(f"{where}: give either 'every' (seconds) or 'cron' (five fields), not both.")
        every, cron = spec.get("every"), spec.get("cron")
        if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every <= 0):
            raise ImproperlyConfigured(f"{where}: 'every' must be a whole number of seconds > 0.")
        if cron is not None:
            if not isinstance(cron, str) or len(cron.split()) != 5:
                raise ImproperlyConfigured(f"{where}: 'cron' must have five fields: minute hour day month weekday.")
            try:
                next(CronSim(cron, datetime.now(UTC)))
            except (CronSimError, StopIteration) as exc:
                raise ImproperlyConfigured(f"{where}: 'cron' {cron!r} is not valid ({exc or 'never due'}).") from exc
        kwargs = spec.get("kwargs", {})
        if not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
            raise ImproperlyConfigured(f"{where}: 'kwargs' must be a dict of keyword arguments.")
        max_retries = spec.get("max_retries")
        if max_retries is not None and (
            isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
        ):
            raise ImproperlyConfigured(f"{where}: 'max_retries' must be a whole number >= 0.")
        jobs[name] = Job(name=name, task=spec["task"], every=every, cron=cron, kwargs=kwargs, max_retries=max_retries)
    return jobs


def default_owner():
    """This scheduler's name on the lease rows: host, process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "?"


def _free(now):
    return Q(locked_until__isnull=True) | Q(locked_until__lt=now)


def _due(now):
    return Q(next_due__isnull=True) | Q(next_due__lte=now)


class Scheduler:
    """Runs the due jobs of a schedule, each in a thread of its own, under a lease.

    ``tick()`` is one round (record finished runs, renew the leases of running ones, start the
    due ones); ``run(stop=...)`` ticks until ``stop`` is set and then waits for the running jobs.
    Several schedulers, in one process or many, may tick against one database: each due job is
    started by exactly one of them.
    """

    def __init__(self, *, schedule=None, options=None, owner=None):
        self.jobs = parse_schedule(settings.STEGVIS_SCHEDULE if schedule is None else schedule)
        self.options = parse_options(getattr(settings, "STEGVIS_SCHEDULER", {}) if options is None else options)
        self.owner = owner or default_owner()
        self._running = {}  # job name -> Future of the run in this scheduler
        self.outcomes = {}  # job name -> None (done) or the traceback, of this scheduler's last run of it
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(1, len(self.jobs)), thread_name_prefix="stegvis-job"
        )

    # -- the loop ---------------------------------------------------------------------------

    def tick(self):
        """One round. Returns the names of the jobs this scheduler started.

        Side effects: lease rows created for new jobs, renewed for running ones, taken for the
        started ones; the started jobs run in threads and record their end on their row.
        """
        now = timezone.now()
        self._reap()
        self._renew(now)
        rows = self._rows(now)
        started = []
        for name, job in self.jobs.items():
            row = rows.get(name)
            if name in self._running or row is None:
                continue
            due = row.next_due is None or row.next_due <= now
            free = row.locked_until is None or row.locked_until < now
            if due and free and self._claim(job=job, row=row, now=now):
                self._running[name] = self._pool.submit(self._run, job, now)
                started.append(name)
        return started

    def run(self, *, stop, once=False, halt=None):
        """Tick every ``tick`` seconds until ``stop`` (a threading.Event) is set (after one tick
        with ``once``), then wait for this scheduler's running jobs, still renewing their leases;
        when ``halt`` is set meanwhile, give them up (``abandon``) instead of waiting.
        A tick that fails (the database away) is logged and the next one tries again; with ``once``
        it is raised. Returns the names of the jobs started (by the one tick with ``once``)."""
        started = []
        while not stop.is_set():
            try:
                started += self.tick()
            except Exception:
                if once:
                    raise
                logger.exception("Scheduler tick failed; trying again in %s s", self.options["tick"])
                connections.close_all()
            if once:
                break
            stop.wait(self.options["tick"])
        self.wait(halt=halt)
        return started

    def wait(self, timeout=None, *, halt=None):
        """Wait until this scheduler's running jobs have finished (renewing their leases meanwhile),
        ``timeout`` seconds have passed or ``halt`` is set (then the runs are abandoned).
        Returns True when none is running any more."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            self._reap()
            if not self._running:
                return True
            if halt is not None and halt.is_set():
                self.abandon()
                return False
            if deadline is not None and time.monotonic() >= deadline:
                return False
            concurrent.futures.wait(list(self._running.values()), timeout=min(self.options["tick"], 0.5))
            try:
                self._renew(timezone.now())
            except Exception:
                logger.exception("Could not renew the leases of %s", sorted(self._running))
                connections.close_all()

    def abandon(self):
        """Give up the runs still going here, because the process exits at once: release their
        leases and record them as failed, so that the jobs are due again at the next start rather
        than when the lease runs out. Side effects: the jobs' lease rows."""
        names = [name for name, future in self._running.items() if not future.done()]
        if not names:
            return
        logger.warning("Stopping at once: giving up the running jobs %s", ", ".join(sorted(names)))
        ScheduledJob.objects.filter(name__in=names, locked_by=self.owner).update(
            locked_by="",
            locked_until=None,
            failures=F("failures") + 1,
            last_failed=timezone.now(),
            last_error=f"Stopped at once while running on {self.owner} (a second Ctrl-C or SIGTERM).",
        )

    def close(self):
        """Wait for the running jobs, then stop the threads."""
        self.wait()
        self._pool.shutdown()

    @property
    def running(self):
        """Names of the jobs running in this scheduler now."""
        self._reap()
        return set(self._running)

    # -- the lease --------------------------------------------------------------------------

    def _rows(self, now):
        """The lease rows of the schedule, creating those of new jobs."""
        rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=self.jobs)}
        missing = [name for name in self.jobs if name not in rows]
        if missing:
            ScheduledJob.objects.bulk_create(
                [ScheduledJob(name=name, next_due=self.jobs[name].first_due(now)) for name in missing],
                ignore_conflicts=True,  # another scheduler may create them at the same moment
            )
            rows.update({row.name: row for row in ScheduledJob.objects.filter(name__in=missing)})
        return rows

    def _claim(self, *, job, row, now):
        """Take the lease of a due job with one conditional UPDATE; True when this scheduler got it.

        The UPDATE matches only while the row is still due, free (or its lease run out) and as it
        was read, so of two schedulers racing for it exactly one changes it: PostgreSQL re-checks
        the condition on the row once the other's UPDATE has committed, SQLite lets one writer at a time.
        A run out lease left by another run is recorded as a failure of that run.
        """
        updates = {
            "locked_by": self.owner,
            "locked_until": now + timedelta(seconds=self.options["lease"]),
            "last_started": now,
            "runs": F("runs") + 1,
        }
        if row.locked_by:
            updates.update(
                failures=F("failures") + 1,
                last_failed=now,
                last_error=(
                    f"The run started {_when(row.last_started)} by {row.locked_by} did not finish: "
                    f"its lease ran out at {_when(row.locked_until)} (the scheduler stopped or crashed)."
                ),
            )
        claimed = (
            ScheduledJob.objects.filter(_due(now), _free(now))
            .filter(pk=row.pk, locked_by=row.locked_by, locked_until=row.locked_until, next_due=row.next_due)
            .update(**updates)
        )
        if claimed and row.locked_by:
            logger.warning(
                "Job %s: the run by %s did not finish before its lease ran out; running it again",
                job.name,
                row.locked_by,
            )
        return bool(claimed)

    def _renew(self, now):
        """Extend the leases of the jobs running here; log a lease another scheduler has taken."""
        until = now + timedelta(seconds=self.options["lease"])
        for name, future in list(self._running.items()):
            if future.done():
                continue
            if ScheduledJob.objects.filter(name=name, locked_by=self.owner).update(locked_until=until):
                continue
            holder = ScheduledJob.objects.filter(name=name).values_list("locked_by", flat=True).first()
            if holder and not future.done():
                logger.error(
                    "Job %s: this scheduler (%s) lost its lease to %s while the job still runs here",
                    name,
                    self.owner,
                    holder,
                )

    def _reap(self):
        for name, future in list(self._running.items()):
            if future.done():
                del self._running[name]
                if future.exception() is not None:
                    logger.error("Job %s: could not record its end", name, exc_info=future.exception())

    # -- a run, in its thread ---------------------------------------------------------------

    def _run(self, job, started):
        logger.info("Job %s started (%s)", job.name, job.task)
        try:
            try:
                result = job.call()
            except Exception:
                logger.exception("Job %s failed", job.name)
                self.outcomes[job.name] = traceback.format_exc()
                self._finish(job=job, started=started, error=self.outcomes[job.name])
            else:
                logger.info("Job %s finished: %r", job.name, result)
                self.outcomes[job.name] = None
                self._finish(job=job, started=started)
        finally:
            connections.close_all()  # the thread's own connections

    def _finish(self, *, job, started, error=None):
        """Release the lease and set the next due time (the regular one, or a retry after a failure)."""
        now = timezone.now()
        row = ScheduledJob.objects.filter(name=job.name, locked_by=self.owner).first()
        if row is None:
            logger.error("Job %s ended, but its lease had been taken over; its end is not recorded", job.name)
            return
        regular = job.next_after(now, started=started)
        updates = {"next_due": regular, "retry": 0, "failures": 0}
        if error is not None:
            max_retries = self.options["max_retries"] if job.max_retries is None else job.max_retries
            if row.retry < max_retries:
                wait = min(self.options["retry_base"] * 2**row.retry, self.options["retry_max"])
                retry_at = now + timedelta(seconds=wait)
                if retry_at < regular:
                    updates.update(next_due=retry_at, retry=row.retry + 1)
            updates.update(failures=F("failures") + 1, last_failed=now, last_error=error[-ERROR_CHARS:])
        ScheduledJob.objects.filter(pk=row.pk, locked_by=self.owner).update(
            locked_by="", locked_until=None, last_finished=now, **updates
        )


def install_stop_handlers(stop, halt, *, on_stop=None):
    """SIGINT and SIGTERM set ``stop`` (finish the running jobs, then exit); a second one sets
    ``halt`` (give the running jobs up and exit); a third exits there and then, leaving the leases
    to run out. Returns a function that restores the old handlers."""

    def handle(signum, frame):
        if halt.is_set():
            os._exit(1)
        if stop.is_set():
            halt.set()
            return
        stop.set()
        if on_stop:
            on_stop(signum)

    old = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore():
        for sig, handler in old.items():
            signal.signal(sig, handler)

    return restore
