"""Background tasks of the surveys room (django-tasks). The scheduler runs
``refresh_survey_figures`` every 30 seconds (``STEGVIS_SCHEDULE``, docs/scheduler.md), so the
result pages are at most a minute behind the responses."""

from django_scopes import scopes_disabled
from django_tasks import task


@task()
def refresh_survey_figures():
    """Recompute the figures of the surveys whose responses changed (``aggregate.refresh_changed``).
    Returns the number of surveys recomputed."""
    from . import aggregate

    with scopes_disabled():
        return aggregate.refresh_changed()
