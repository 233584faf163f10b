"""Exports and reports: start an export, follow its progress, download the file; the unit's
PDF report (served directly, it is small) and the board report (a page, and a PDF job).

A job is addressed by its UUID in the path and is only found inside the request's organiser and
for the user who started it (or an organiser admin); anything else is 404. Its page, progress
and file ask ``Access.can_download_export`` every time: a user whose role has changed since
(a viewer made a contributor, a district lead moved to another district) gets a page saying so
(403), not the file.
"""

from django import forms
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from stegvis.assessments.perspectives import rounds_withheld
from stegvis.core import forms as core_forms
from stegvis.core.i18n import ui_language
from stegvis.cycles.models import Round
from stegvis.cycles.queries import choose_round, default_round
from stegvis.organisations.models import Unit

from . import domain as jobs_domain
from . import reports
from .exporters import file_slug
from .jobs import CONTENT_TYPES, KINDS, enqueue_export
from .models import ExportJob

FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF"}
ROUND_REQUIRED = {"overview", "board"}


class ExportForm(core_forms.Form):
    export = forms.ChoiceField(label=gettext_lazy("What to export"))
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(),
        required=False,
        label=gettext_lazy("Round"),
        empty_label=gettext_lazy("All rounds"),
        help_text=gettext_lazy("The overview and the board report are for one round."),
    )

    def __init__(self, *args, organizer, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export"].choices = [
            (f"{kind}.{fmt}", f"{label} – {FORMAT_LABELS[fmt]}")
            for kind, (label, fmts) in KINDS.items()
            if access.can_export_kind(kind)
            for fmt in fmts
        ]
        self.fields["round"].queryset = Round.objects.filter(organizer=organizer).order_by("-opens_on", "-id")

    def clean(self):
        data = super().clean()
        export = data.get("export")
        if export:
            data["kind"], data["format"] = export.split(".")
            if data["kind"] in ROUND_REQUIRED and not data.get("round"):
                self.add_error("round", _("Choose a round for this export."))
        return data


@require_http_methods(["GET", "POST"])
def exports(request):
    """The exports page: choose what to export; POST starts it in the background."""
    request.access.require(request.access.can_export)
    latest = default_round(list(Round.objects.filter(organizer=request.organizer).order_by("-opens_on", "-id")))
    if request.method == "POST":
        form = ExportForm(request.POST, organizer=request.organizer, access=request.access)
        if form.is_valid():
            job = enqueue_export(
                organizer=request.organizer,
                user=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["format"],
                round=form.cleaned_data.get("round"),
                lang=ui_language(),
            )
            return redirect(_job_url(request, job, "export_job"))
    else:
        form = ExportForm(
            organizer=request.organizer, access=request.access, initial={"round": latest, "export": "overview.xlsx"}
        )
    recent = list(ExportJob.objects.filter(organizer=request.organizer, user=request.user).order_by("-created_at")[:10])
    for job in recent:
        job.label = _job_label(job)
        job.downloadable = request.access.can_download_export(job)
    return render(
        request,
        "exports/export_list.html",
        {"form": form, "jobs": recent, "district_only": not request.access.can_read_all_units},
    )


def _job_url(request, job, name):
    return reverse(name, args=[request.organizer.slug, job.pk])


def _job_label(job):
    label, _fmts = KINDS.get(job.kind, (job.kind, ()))
    return f"{label} – {FORMAT_LABELS.get(job.params.get('format'), '')}"


def _job_for(request, job_id):
    """The job, if it is this organiser's and the user's (or the user is admin); else 404."""
    job = ExportJob.objects.filter(organizer=request.organizer, pk=job_id).first()
    if job is None or not request.access.can_manage_job(job):
        raise Http404
    return job


def _refused(request, job):
    """The page for a job whose file the user may no longer have (403). The progress poll
    (htmx) is told to reload, so the whole page says it."""
    response = render(request, "exports/export_refused.html", _job_context(request, job), status=403)
    if request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _job_context(request, job):
    return {
        "job": job,
        "label": _job_label(job),
        "status_url": _job_url(request, job, "export_job_status"),
        "job_url": _job_url(request, job, "export_job"),
        "download_url": _job_url(request, job, "export_download"),
        "round": Round.objects.filter(organizer=request.organizer, pk=job.params.get("round_id")).first()
        if job.params.get("round_id")
        else None,
    }


@require_GET
def job(request, job_id):
    """A job's page: progress while it runs (htmx polls the status every second), then the file."""
    job = _job_for(request, job_id)
    if not request.access.can_download_export(job):
        return _refused(request, job)
    return render(request, "exports/export_job.html", _job_context(request, job))


@require_GET
def job_status(request, job_id):
    """The progress part of the job page (what htmx swaps in)."""
    job = _job_for(request, job_id)
    if not request.access.can_download_export(job):
        return _refused(request, job)
    return render(request, "exports/export_job_status.html", _job_context(request, job))


@require_GET
def download(request, job_id):
    job = _job_for(request, job_id)
    if not request.access.can_download_export(job):
        return _refused(request, job)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    path = jobs_domain.job_path(job)
    if not path.is_file():
        raise Http404
    fmt = job.params.get("format", "")
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=job.download_name or path.name,
        content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"),
    )


@require_GET
def unit_report_pdf(request, unit_id):
    """The unit's report as PDF: assessment, radar charts and action plan. Small: served directly."""
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    # an assessor whose group has not published sees no levels of that round (docs/perspectives.md)
    withheld = rounds_withheld(request.access, unit)
    pdf = reports.unit_report_pdf(unit=unit, lang=ui_language(), withheld=withheld)
    response = HttpResponse(pdf, content_type=CONTENT_TYPES["pdf"])
    filename = f"{file_slug(unit.name)}-{unit.code}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def board_report(request):
    """The board report as a page, with the button that makes the PDF."""
    request.access.require(request.access.can_export_kind("board"))
    rounds = list(
        Round.objects.filter(organizer=request.organizer).select_related("framework").order_by("-opens_on", "-id")
    )
    chosen = choose_round(rounds, request.GET.get("round"))
    ctx = {"rounds": rounds, "round": chosen}
    if chosen is not None:
        ctx.update(
            reports.board_report_context(
                organizer=request.organizer, access=request.access, round=chosen, lang=ui_language()
            )
        )
    return render(request, "exports/report_board.html", ctx)


# --- surveys (issue 12): the handout PDF and the results with suppression --------------------


@require_GET
def survey_handout(request, survey_id, link_id):
    """A page to print or show on a classroom screen: the link and its QR code, in PDF."""
    from stegvis.core.mail import absolute_url
    from stegvis.frameworks.models import survey_group_name
    from stegvis.surveys import domain as surveys
    from stegvis.surveys.models import SurveyLink
    from stegvis.surveys.views import get_survey, qr_svg

    survey = get_survey(request, survey_id)
    link = get_object_or_404(
        SurveyLink.objects.select_related("unit"),
        survey=survey,
        pk=link_id,
        personal=False,
        organizer=request.organizer,
    )
    request.access.require_unit(link.unit)
    url = absolute_url(surveys.answer_path(link.public_token), request)
    ctx = {
        "survey": survey,
        "link": link,
        "url": url,
        "qr": qr_svg(url, _("QR code for the survey link")),
        "group_name": survey_group_name(survey.round.framework, survey.respondent_group, ui_language()),
    }
    pdf = reports.render_pdf(template="exports/survey_handout_pdf.html", context=ctx, request=request)
    response = HttpResponse(pdf, content_type=CONTENT_TYPES["pdf"])
    name = f"{file_slug(link.unit.name)}-{file_slug(link.code or survey.respondent_group)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
def survey_results_export(request, survey_id):
    """The organiser's survey results as Excel or CSV, with the anonymity rules applied."""
    from stegvis.surveys.views import get_survey

    from .exporters import SurveyResultsExporter

    survey = get_survey(request, survey_id)
    request.access.require(request.access.can_read_survey_organiser_results(survey) and request.access.can_export)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    exporter = SurveyResultsExporter(
        survey=survey, organizer=request.organizer, access=request.access, lang=ui_language()
    )
    return _served(exporter, fmt)


@require_GET
def survey_indicator_results_export(request, survey_id):
    """The organiser's survey results per indicator as Excel or CSV, with the same suppression
    as the page: every level the reader may see, or ``?district=`` and its units."""
    from stegvis.surveys import results
    from stegvis.surveys.views import get_survey, indicator_columns

    from .exporters import SurveyIndicatorResultsExporter

    survey = get_survey(request, survey_id)
    request.access.require(request.access.can_read_survey_organiser_results(survey) and request.access.can_export)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    columns = indicator_columns(request)
    everything = columns == results.ALL_DISTRICTS
    exporter = SurveyIndicatorResultsExporter(
        survey=survey,
        columns=columns,
        everything=everything,
        organizer=request.organizer,
        access=request.access,
        lang=ui_language(),
    )
    if not everything and columns not in {d for d, _name in exporter.data["districts"]}:
        raise Http404
    return _served(exporter, fmt)


def _served(exporter, fmt):
    """A small export written at once and served as the response (no job)."""
    import io
    import tempfile

    from .sheets import render_csv, render_xlsx

    if fmt == "csv":
        text = io.StringIO()
        render_csv(exporter, text)
        response = HttpResponse(text.getvalue().encode("utf-8"), content_type=CONTENT_TYPES["csv"])
    else:
        with tempfile.TemporaryFile() as handle:
            render_xlsx(exporter, handle)
            handle.seek(0)
            response = HttpResponse(handle.read(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(fmt)}"'
    return response
