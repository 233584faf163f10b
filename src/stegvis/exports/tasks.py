"""Background tasks of the insights room (django-tasks). Thin: the work is in ``jobs``."""

from django_tasks import task


@task()
def run_export_job(job_id):
    """Write the file of one ExportJob (``jobs.run_export``)."""
    from .jobs import run_export

    run_export(job_id=job_id)
