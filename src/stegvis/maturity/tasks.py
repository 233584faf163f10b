"""Background tasks of the maturity room (django-tasks). The scheduler runs ``refresh_maturity``
every 30 seconds (``STEGVIS_SCHEDULE`` in settings, docs/scheduler.md)."""

from django_scopes import scopes_disabled
from django_tasks import task


@task()
def refresh_maturity():
    """Recompute the figures of every organiser's rounds that changed since they were computed, and
    the national figures when any did (``figures.refresh_changed``). Returns the rounds recomputed."""
    from . import figures

    with scopes_disabled():
        return figures.refresh_changed()
