"""Exports that run in the background: queue a job, write its file with progress.

``enqueue_export`` is called by the view; the task (``tasks.run_export_job``) calls
``run_export`` in the worker (``manage.py db_worker``), or inline with the immediate backend
used by the tests. The worker asks ``Access`` afresh, so a role taken away while the job waited
is respected, and it stores the read scope the file was made with (``params["scope"]``): the
download asks ``Access.can_download_export`` again, so a file is only ever served to who may
still read all of it.
"""

import logging
import os

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled

from stegvis.cycles.models import Round
from stegvis.exports import domain as jobs
from stegvis.exports.models import ExportJob
from stegvis.organisations.access import Access

from . import reports
from .exporters import EXPORTERS, file_slug
from .sheets import render_csv, render_xlsx
from .tasks import run_export_job

logger = logging.getLogger(__name__)

# kind -> (label, formats)
KINDS = {
    "overview": (gettext_lazy("Overview grid (levels and action plans)"), ("xlsx", "csv")),
    "answers": (gettext_lazy("All answers, one row per answer"), ("xlsx", "csv")),
    "actions": (gettext_lazy("All actions"), ("xlsx", "csv")),
    "board": (gettext_lazy("Board report"), ("pdf",)),
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def enqueue_export(*, organizer, user, kind, fmt, round=None, lang="sv"):
    """Queue an export for the user and return its ExportJob.

    Side effects: an ExportJob row (queued, with the user's read scope) and a task in the queue;
    with the immediate backend the task runs at once and the job is done (or failed) on return.
    """
    if kind not in KINDS or fmt not in KINDS[kind][1]:
        raise ValueError(f"Unknown export {kind}.{fmt}")
    # The read scope of the moment; the worker replaces it with the one the file is made with.
    scope = Access.for_user(user=user, organizer=organizer).read_scope()
    params = {"format": fmt, "round_id": round.pk if round is not None else None, "lang": lang, "scope": scope}
    job = jobs.create_job(organizer=organizer, user=user, kind=kind, params=params, ext=fmt)
    result = run_export_job.enqueue(job_id=str(job.pk))
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def run_export(*, job_id):
    """Write the job's file, reporting progress as rows are written.

    Side effects: the file in the private export folder; the job's status, progress,
    rows and finished time. A job that is not queued (already run) is left alone.
    """
    with scopes_disabled():
        job = ExportJob.objects.select_related("organizer", "user").filter(pk=job_id).first()
    if job is None or job.status != ExportJob.Status.QUEUED:
        return
    organizer, params = job.organizer, job.params
    with scope(organizer=organizer), translation.override(params.get("lang") or "sv"):
        try:
            access = Access.for_user(user=job.user, organizer=organizer)
            if not access.can_export_kind(job.kind):
                jobs.mark_failed(job=job, error=_("You may no longer make this export."))
                return
            rnd = (
                Round.objects.filter(organizer=organizer, pk=params.get("round_id")).first()
                if params.get("round_id")
                else None
            )
            path = jobs.job_path(job)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".part")
            fmt = params["format"]
            if job.kind == "board":
                if rnd is None:
                    raise ValueError("The board report needs a round.")
                jobs.mark_running(job=job, rows_total=1, scope=access.read_scope())
                tmp.write_bytes(
                    reports.board_report_pdf(organizer=organizer, access=access, round=rnd, lang=params.get("lang"))
                )
                download = f"board-report-{organizer.slug}-{file_slug(rnd.name)}-{timezone.localdate():%Y-%m-%d}.pdf"
            else:
                exporter = EXPORTERS[job.kind](organizer=organizer, access=access, round=rnd, lang=params.get("lang"))
                jobs.mark_running(job=job, rows_total=exporter.count(), scope=access.read_scope())

                def progress(done):
                    jobs.report_progress(job=job, rows_done=done)

                if fmt == "xlsx":
                    render_xlsx(exporter, str(tmp), progress=progress)
                else:
                    with open(tmp, "w", encoding="utf-8", newline="") as out:
                        render_csv(exporter, out, progress=progress)
                download = exporter.filename(fmt)
            os.replace(tmp, path)
            jobs.mark_done(job=job, download_name=download)
        except Exception:
            logger.exception("Export job %s (%s) failed", job.pk, job.kind)
            jobs.mark_failed(
                job=job, error=_("The export failed. Try again, or ask your administrator to look at the log.")
            )
            tmp_path = jobs.job_path(job).with_name(jobs.job_path(job).name + ".part")
            tmp_path.unlink(missing_ok=True)
