"""Changing an ExportJob's state, and where its file lives. Keyword-only, side effects listed.

Files live in a private folder outside the static and media roots: ``STEGVIS_EXPORT_DIR``
when set, else ``<STEGVIS_DATA_DIR>/exports``. They are only ever served by the download view,
which checks the organiser, the owner and that the user may still read what the file holds.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.organisations.models import Organizer

from .models import ExportJob

KEEP_DAYS = 7  # export jobs and their files are kept this many days (prune_jobs)


def export_dir():
    return Path(getattr(settings, "STEGVIS_EXPORT_DIR", None) or Path(settings.DATA_DIR) / "exports")


def job_path(job):
    """Absolute path of the job's file (which may not exist yet)."""
    return export_dir() / job.file_name


def create_job(*, organizer, user, kind, params, ext):
    """A queued job. Side effects: an ExportJob row."""
    job = ExportJob(organizer=organizer, user=user, kind=kind, params=params, status=ExportJob.Status.QUEUED)
    job.file_name = f"{organizer.pk}/{job.pk}.{ext}"
    job.save()
    return job


def mark_running(*, job, rows_total, scope):
    """Side effects: sets status running, started_at and rows_total on the row, and stores in its
    params the read scope the file is made with (``Access.read_scope()``), which the download
    checks again (``Access.can_download_export``)."""
    job.status, job.started_at, job.rows_total = ExportJob.Status.RUNNING, timezone.now(), rows_total
    job.params = {**job.params, "scope": scope}
    ExportJob.objects.filter(pk=job.pk).update(
        status=job.status, started_at=job.started_at, rows_total=rows_total, params=job.params
    )


def report_progress(*, job, rows_done):
    """Side effects: updates rows_done and progress (kept below 100 until the file is there)."""
    total = max(job.rows_total, 1)
    job.rows_done = rows_done
    job.progress = min(99, int(100 * rows_done / total))
    ExportJob.objects.filter(pk=job.pk).update(rows_done=rows_done, progress=job.progress)


def mark_done(*, job, download_name):
    """Side effects: status done, progress 100, the name the download is offered under."""
    job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, timezone.now()
    job.download_name = download_name
    job.rows_done = max(job.rows_done, job.rows_total)
    ExportJob.objects.filter(pk=job.pk).update(
        status=job.status,
        progress=100,
        finished_at=job.finished_at,
        download_name=download_name,
        rows_done=job.rows_done,
    )


def mark_failed(*, job, error):
    """Side effects: status failed with a message for the user; removes a half-written file."""
    job.status, job.finished_at, job.error = ExportJob.Status.FAILED, timezone.now(), error[:2000]
    ExportJob.objects.filter(pk=job.pk).update(status=job.status, finished_at=job.finished_at, error=job.error)
    job_path(job).unlink(missing_ok=True)


def delete_jobs(*, organizer, older_than):
    """Delete the jobs created before ``older_than`` (a datetime), finished or stuck, and their files.

    Side effects: deletes ExportJob rows and files. Returns the number of jobs deleted.
    """
    jobs = ExportJob.objects.filter(organizer=organizer, created_at__lt=older_than)
    count = 0
    for job in jobs:
        job_path(job).unlink(missing_ok=True)
        job.delete()
        count += 1
    return count


def delete_user_jobs(*, organizer, user):
    """Delete the export jobs one person started in the organiser, and their files (when the
    person is erased, docs/privacy.md).

    Side effects: deletes ExportJob rows and files. Returns the number of jobs deleted."""
    jobs = list(ExportJob.objects.filter(organizer=organizer, user=user))
    for job in jobs:
        job_path(job).unlink(missing_ok=True)
        job.delete()
    return len(jobs)


def prune_jobs(*, days=KEEP_DAYS):
    """Delete the export jobs of every organiser created more than ``days`` days ago, and their
    files (``delete_jobs`` per organiser). Run nightly by the scheduler and by ``manage.py prune_exports``.

    Side effects: deletes ExportJob rows and files. Returns the number of jobs deleted.
    """
    cutoff = timezone.now() - datetime.timedelta(days=days)
    with scopes_disabled():
        return sum(delete_jobs(organizer=organizer, older_than=cutoff) for organizer in Organizer.objects.all())
