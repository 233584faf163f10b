"""System checks of the platform: the periodic schedule (``manage.py check`` and every command)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django_tasks.base import Task


@checks.register()
def check_schedule(app_configs=None, **kwargs):
    """STEGVIS_SCHEDULE and STEGVIS_SCHEDULER are well formed and every job's task can be imported."""
    from .scheduler import parse_options, parse_schedule

    try:
        parse_options(getattr(settings, "STEGVIS_SCHEDULER", {}))
        jobs = parse_schedule(getattr(settings, "STEGVIS_SCHEDULE", {}))
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="See docs/scheduler.md.", id="stegvis.E001")]
    errors = []
    for job in jobs.values():
        try:
            target = job.target()
        except ImportError as exc:
            errors.append(
                checks.Error(f"STEGVIS_SCHEDULE[{job.name!r}]: cannot import {job.task!r} ({exc}).", id="stegvis.E002")
            )
            continue
        if isinstance(target, Task):
            if target.takes_context:
                errors.append(
                    checks.Error(
                        f"STEGVIS_SCHEDULE[{job.name!r}]: {job.task!r} takes a task context; scheduled tasks may not.",
                        id="stegvis.E003",
                    )
                )
        elif not callable(target):
            errors.append(
                checks.Error(f"STEGVIS_SCHEDULE[{job.name!r}]: {job.task!r} is not callable.", id="stegvis.E003")
            )
    return errors
