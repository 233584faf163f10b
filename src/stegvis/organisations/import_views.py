"""Importing units: upload a file (CSV, Excel, Skolverket's register JSON), see the preview,
confirm. Thin views over ``imports`` and ``domain.import_units`` (docs/unit-import.md)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stegvis.core import schoolforms

from . import domain, forms, imports, register
from .models import District, Unit, UnitImport
from .views import _data, _manage, _url

MAX_ERRORS_SHOWN = 200
MAX_PREVIEW_ROWS = 500


def _import_hints(hints, districts):
    """The lists an error table refers to, given once under it rather than on every line."""
    shown = []
    if "forms" in hints:
        shown.append(
            _(
                "Known school forms: %(forms)s. Skolverket's names and codes are read too, for example Förskoleklass "
                "(FKLASS), Kommunal vuxenutbildning (VUX), Anpassad grundskola (GRAN); Fritidshem (FTH) and Öppen "
                "fritidsverksamhet (OPPFTH) are left out."
            )
            % {"forms": ", ".join(str(label) for _code, label in schoolforms.choices())}
        )
    if "districts" in hints:
        names = ", ".join(d.name for d in districts) or _("(none yet: create districts first)")
        shown.append(_("Known districts: %(names)s.") % {"names": names})
    if "statuses" in hints:
        shown.append(_("Known statuses: Aktiv, Vilande, Upphörd, Planerad (or AKTIV, VILANDE, UPPHORT, PLANERAD)."))
    return shown


def units_import(request):
    """Upload and check a file of units; a clean one is kept for its preview (``units_import_preview``)."""
    _manage(request)
    form = forms.ImportForm(_data(request), request.FILES if request.method == "POST" else None)
    errors, hints = [], []
    districts = list(District.objects.filter(organizer=request.organizer).order_by("name"))
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.parse_units(
            upload,
            districts=districts,
            municipality=form.cleaned_data["municipality"],
            organisation=form.cleaned_data["organisation"],
        )
        if result.ok:
            staged = domain.stage_unit_import(
                organizer=request.organizer, by=request.user, result=result, filename=upload.name or ""
            )
            return redirect(_url(request, "units_import_preview", import_id=staged.pk))
        errors = result.errors
        hints = _import_hints(result.hints, districts)
    return render(
        request,
        "organisations/unit_import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "more_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "hints": hints,
            "max_rows": imports.MAX_ROWS,
            "school_forms": [label for _code, label in schoolforms.choices()],
            "districts": districts,
        },
        status=400 if errors else 200,
    )


def _district_name(districts, pk):
    district = districts.get(pk)
    return district.name if district else ""


def _describe_changes(planned, districts):
    """The changes to one unit as (what, old, new) texts for the preview."""
    described = []
    for change in planned.changes:
        if change.field == "name":
            described.append((_("name"), change.old, change.new))
        elif change.field == "school_forms":
            described.append(
                (
                    _("school forms"),
                    ", ".join(schoolforms.labels(change.old)),
                    ", ".join(schoolforms.labels(change.new)),
                )
            )
        elif change.field == "district_id":
            described.append(
                (
                    _("district"),
                    _district_name(districts, change.old) or "–",
                    _district_name(districts, change.new) or "–",
                )
            )
        elif change.field == "active":
            status = register.STATUS_LABELS.get(planned.row.status)
            new = _("active") if change.new else _("inactive")
            if status:
                new = _("%(flag)s (%(status)s in the register)") % {"flag": new, "status": status}
            described.append((_("status"), _("active") if change.old else _("inactive"), new))
    return described


def units_import_preview(request, import_id):
    """What a checked file would do; POST makes the changes (with a tick when they are many) or discards them."""
    _manage(request)
    staged = get_object_or_404(UnitImport, organizer=request.organizer, user=request.user, pk=import_id)
    if domain.staged_import_expired(staged):
        domain.discard_unit_import(staged=staged)
        messages.error(request, _("The uploaded file was kept for two hours and has expired. Upload it again."))
        return redirect(_url(request, "units_import"))
    if request.method == "POST" and "discard" in request.POST:
        domain.discard_unit_import(staged=staged)
        messages.success(request, _("The import was cancelled. Nothing was changed."))
        return redirect(_url(request, "units"))
    result = imports.ParseResult.from_json(staged.data)
    existing = {u.code: u for u in Unit.objects.filter(organizer=request.organizer).select_related("district")}
    districts = {d.pk: d for d in District.objects.filter(organizer=request.organizer)}
    try:
        plan = imports.compare(result.rows, existing=existing, districts=districts, skipped=result.skipped)
    except imports.DistrictGone as gone:
        domain.discard_unit_import(staged=staged)
        messages.error(
            request,
            _("A district named in the file (%(place)s) no longer exists. Upload the file again.")
            % {"place": str(gone.row.place)},
        )
        return redirect(_url(request, "units_import"))
    form = forms.ConfirmImportForm(_data(request), plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, updated, unchanged = domain.import_units(
                    organizer=request.organizer,
                    by=request.user,
                    rows=result.rows,
                    skipped=result.skipped,
                    staged=staged,
                    expect=request.POST.get("digest", ""),
                    join_open_rounds=form.cleaned_data.get("join_open_rounds", False),
                )
            except domain.OrganisationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                    % {"created": created, "updated": updated, "unchanged": unchanged},
                )
                return redirect(_url(request, "units"))
        status = 400
    new = [
        {
            "row": p.row,
            "forms": ", ".join(schoolforms.labels(p.row.school_forms)),
            "district": p.district.name if p.district else "",
            "active": p.active,
            "status": register.STATUS_LABELS[p.row.status] if p.row.status not in ("", register.ACTIVE) else "",
        }
        for p in plan.new[:MAX_PREVIEW_ROWS]
    ]
    changed = [
        {"row": p.row, "unit": p.unit, "changes": _describe_changes(p, districts)}
        for p in plan.changed[:MAX_PREVIEW_ROWS]
    ]
    dormant = [
        {"row": p.row, "status": register.STATUS_LABELS[p.row.status], "new": p.unit is None} for p in plan.dormant
    ]
    return render(
        request,
        "organisations/unit_import_preview.html",
        {
            "staged": staged,
            "source": result.source,
            "plan": plan,
            "new": new,
            "more_new": max(0, len(plan.new) - MAX_PREVIEW_ROWS),
            "changed": changed,
            "more_changed": max(0, len(plan.changed) - MAX_PREVIEW_ROWS),
            "skipped": plan.skipped[:MAX_PREVIEW_ROWS],
            "more_skipped": max(0, len(plan.skipped) - MAX_PREVIEW_ROWS),
            "dormant": dormant[:MAX_PREVIEW_ROWS],
            "notes": result.note_texts(),
            "warnings": imports.duplicate_names(result.rows, plan=plan, existing=existing),
            "form": form,
            "has_changes": bool(plan.new or plan.changed),
        },
        status=status,
    )
