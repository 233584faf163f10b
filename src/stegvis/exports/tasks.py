"""Background tasks of the exports room (django-tasks). Thin: the work is in ``jobs`` and ``domain``.

``prune_exports`` is run nightly by the scheduler (``STEGVIS_SCHEDULE`` in settings, docs/scheduler.md)."""

from django_tasks import task

from .domain import KEEP_DAYS, prune_jobs


@task()
def run_export_job(job_id):
    """Write the file of one ExportJob (``jobs.run_export``)."""
    from .jobs import run_export

    run_export(job_id=job_id)


@task()
def prune_exports(days=None):
    """Delete every organiser's export jobs older than ``days`` (default ``domain.KEEP_DAYS``) and
    their files (``domain.prune_jobs``). Returns the number of jobs deleted."""
    return prune_jobs(days=KEEP_DAYS if days is None else days)
