"""Background task of the privacy room (django-tasks). Thin: the work is in ``domain``."""

from django_tasks import task


@task()
def apply_retention():
    """The scheduler's nightly job (``STEGVIS_SCHEDULE``): every organiser's retention rules."""
    from .domain import apply_all_retention

    return apply_all_retention()
