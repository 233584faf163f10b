"""Personal data pages for organiser admins: a person's data (export, erase), the audit log,
the retention rules (docs/privacy.md)."""

import csv
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core.csvutil import safe_cell
from stegvis.core.models import AuditEvent
from stegvis.core.pdf import pdf_download, render_pdf
from stegvis.core.personal_data import retention_rules

from . import domain, forms

EVENTS_PER_PAGE = 100


def _person(request, user_id):
    request.access.require(request.access.can_manage_personal_data)
    person = domain.member_of(organizer=request.organizer, user_id=user_id)
    if person is None:
        raise Http404
    return person


def person_data(request, user_id):
    """What Stegvis holds about one person in the organiser, section by section."""
    person = _person(request, user_id)
    data = domain.export_person(organizer=request.organizer, user=person)
    return render(request, "privacy/person.html", {"person": person, "data": data})


def _download_name(request, person, ext):
    return f"personal-data-{request.organizer.slug}-{person.pk}-{timezone.localdate():%Y-%m-%d}.{ext}"


def person_export_json(request, user_id):
    person = _person(request, user_id)
    data = domain.export_person(organizer=request.organizer, user=person)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(request, person, "json")}"'
    return response


def person_export_pdf(request, user_id):
    person = _person(request, user_id)
    data = domain.export_person(organizer=request.organizer, user=person)
    pdf = render_pdf(
        template="privacy/person_pdf.html",
        context={"person": person, "data": data, "organizer": request.organizer},
        request=request,
    )
    return pdf_download(pdf, filename=_download_name(request, person, "pdf"))


def person_erase(request, user_id):
    """Erase a person in the organiser, after typing their address (it cannot be undone)."""
    person = _person(request, user_id)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot erase yourself. Ask another admin."))
        return redirect("person_data", request.organizer.slug, person.pk)
    form = forms.EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        domain.erase_person(organizer=request.organizer, user=person, by=request.user)
        messages.success(request, _("The person has been erased in this organiser."))
        return redirect("users", request.organizer.slug)
    return render(request, "privacy/erase.html", {"person": person, "form": form})


def _filtered_events(request):
    form = forms.AuditFilterForm(request.GET or None)
    return form, form.filter(AuditEvent.objects.filter(organizer=request.organizer))


def audit_list(request):
    """The organiser's audit log: who did what, when; filtered by person, kind and date."""
    request.access.require(request.access.can_read_audit)
    form, events = _filtered_events(request)
    events = events.select_related("actor").order_by("-at", "-pk")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/audit_list.html",
        {"filter_form": form, "page": page, "count": page.paginator.count, "query": request.GET.urlencode()},
    )


def audit_export(request):
    """The filtered audit log as CSV."""
    request.access.require(request.access.can_read_audit)
    _form, events = _filtered_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"audit-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so that Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("When"), _("Who"), _("E-mail address"), _("What"), _("Object"), _("Summary")])
    tz = timezone.get_current_timezone()
    for event in events.select_related("actor").order_by("-at", "-pk").iterator(chunk_size=2000):
        actor = event.actor
        writer.writerow(
            [
                event.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                safe_cell(actor.display_name if actor else _("deleted user")),
                safe_cell(actor.email if actor else ""),
                safe_cell(str(event.label)),
                f"{event.object_type} {event.object_id}",
                safe_cell(event.summary),
            ]
        )
    return response


def retention(request):
    """The organiser's retention rules: months kept per kind of data, and the last run."""
    request.access.require(request.access.can_manage_personal_data)
    policy = domain.policy_of(request.organizer)
    form = forms.RetentionForm(request.POST or None, months=policy.months)
    if request.method == "POST" and form.is_valid():
        domain.set_retention(organizer=request.organizer, months=form.cleaned_data, by=request.user)
        messages.success(request, _("The retention rules are saved. They are applied every night."))
        return redirect("retention", request.organizer.slug)
    labels = {rule.key: rule.label for rule in retention_rules()}
    last = [(labels.get(key, key), count) for key, count in policy.last_deleted.items()]
    return render(request, "privacy/retention.html", {"form": form, "policy": policy, "last": last})
