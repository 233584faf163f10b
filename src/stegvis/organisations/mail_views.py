"""The organiser's sent mail (organiser admins): list with filters, detail, CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core import mail
from stegvis.core.csvutil import safe_cell
from stegvis.core.models import SentMail

from . import forms

MAILS_PER_PAGE = 100


def _filtered_mails(request):
    form = forms.MailFilterForm(request.GET or None)
    return form, form.filter(SentMail.objects.filter(organizer=request.organizer))


def mail_list(request):
    """The organiser's sent mail: to whom, what, when, and whether it went."""
    request.access.require(request.access.can_read_mail)
    form, mails = _filtered_mails(request)
    mails = mails.only("pk", "created_at", "sent_at", "kind", "to_email", "subject", "status", "attempts", "language")
    page = Paginator(mails.order_by("-created_at", "-pk"), MAILS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/mail_list.html",
        {
            "filter_form": form,
            "page": page,
            "count": page.paginator.count,
            "query": request.GET.urlencode(),
            "kind_labels": dict(mail.kinds()),
            "records_only": mail.records_only(),
        },
    )


def mail_detail(request, mail_id):
    request.access.require(request.access.can_read_mail)
    sent = get_object_or_404(SentMail, organizer=request.organizer, pk=mail_id)
    body_text, body_html = mail.shown_body(sent)
    return render(
        request,
        "organisations/mail_detail.html",
        {
            "mail": sent,
            "body_text": body_text,
            "body_html": body_html,
            "kind_label": mail.kind_label(sent.kind),
            "records_only": mail.records_only(),
        },
    )


def mail_export(request):
    """The filtered mail list as CSV (no bodies)."""
    request.access.require(request.access.can_read_mail)
    _form, mails = _filtered_mails(request)
    rows = mails.order_by("-created_at", "-pk").values_list(
        "created_at", "sent_at", "kind", "to_email", "subject", "language", "status", "attempts", "last_error"
    )
    statuses = dict(SentMail.Status.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"mail-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so that Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Created"),
            _("Sent"),
            _("Kind"),
            _("Recipient"),
            _("Subject"),
            _("Language"),
            _("Status"),
            _("Attempts"),
            _("Error"),
        ]
    )

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for created, sent_at, kind, to_email, subject, language, status, attempts, error in rows.iterator():
        writer.writerow(
            [
                when(created),
                when(sent_at),
                safe_cell(mail.kind_label(kind)),
                safe_cell(to_email),
                safe_cell(subject),
                language,
                statuses.get(status, status),
                attempts,
                safe_cell(error),
            ]
        )
    return response
