"""The pages of the local digital plans and the organiser's plan (docs/digital-plans.md).
Thin: fetch inside the organiser, ask ``request.access``, call ``plans``, render."""

import csv

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.core import schoolforms
from stegvis.core.csvutil import safe_cell
from stegvis.core.pdf import pdf_download, render_pdf
from stegvis.organisations.models import Unit

from . import plan_forms, plans, values
from . import views as goal_views
from .models import CentralAction, DigitalPlan, OrganiserPlan


def _status_label(status):
    return {"adopted": _("Adopted"), "draft": _("Draft"), "none": _("No plan")}[status]


def _year(request):
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else plans.current_year()


def _goal_rows(request, goals):
    goals = [g for g in goals if request.access.can_read_goal(g)]
    if not goals:
        return []
    values.ensure_fresh(
        organizer=request.organizer, rounds=[r for r in values.organizer_rounds(request.organizer) if not r.is_upcoming]
    )
    return goal_views._rows(goals, values.values_by_goal(organizer=request.organizer, goals=goals))


def _sections(plan):
    return [
        {"label": s.label, "field": s.field, "html": plans.render_text(getattr(plan, s.field))} for s in plans.SECTIONS
    ]


# -- the unit page (maturity's, through the core.slots slot "unit_page") ---------------------


def unit_panel(*, request, unit):
    """The unit page: this school year's local digital plan and its status (draft or adopted),
    or, for who may draft it, a button that starts it; earlier years' plans are on the plan's page."""
    access = request.access
    if not access.can_read_digital_plan(unit):
        return ""
    year = plans.current_year()
    found = plans.plan_statuses(organizer=request.organizer, unit_ids=[unit.pk], year=year).get(unit.pk)
    status, plan_id, adopted_at = found if found else ("none", None, None)
    may_edit = access.can_edit_digital_plan(unit)
    if status == "none" and not may_edit and not DigitalPlan.objects.filter(unit=unit).exists():
        return ""  # nothing to show a reader: no plan of any year
    return render_to_string(
        "goals/plans/unit_panel.html",
        {
            "unit": unit,
            "year_label": plans.year_label(year),
            "status": status,
            "status_label": _status_label(status),
            "plan_id": plan_id,
            "adopted_at": adopted_at,
            "may_edit": may_edit,
        },
        request=request,
    )


# -- the list of the units' plans ------------------------------------------------------------


def _list_rows(request):
    access = request.access
    access.require(access.can_read_digital_plans)
    years = plans.years_of(organizer=request.organizer)
    filters = plan_forms.PlanListFilter(request.GET or None, organizer=request.organizer, access=access, years=years)
    chosen = filters.values() if request.GET else {}
    year = chosen.get("year") or plans.current_year()
    units = access.visible_units(Unit.objects.filter(organizer=request.organizer, active=True))
    if chosen.get("district"):
        units = units.filter(district=chosen["district"])
    if chosen.get("form"):
        bit = schoolforms.SCHOOL_FORMS[chosen["form"]][0]
        units = units.annotate(form_bit=F("school_forms").bitand(bit)).filter(form_bit__gt=0)
    unit_rows = list(units.order_by("name", "pk").values_list("pk", "name", "district__name", "school_forms"))
    statuses = plans.plan_statuses(organizer=request.organizer, unit_ids=[u[0] for u in unit_rows], year=year)
    # one reverse for all rows (a 600-unit organiser's list), the school year in the query
    head, tail = reverse("unit_digital_plan", args=[request.organizer.slug, 2147483647]).split("2147483647")
    labels = {s: _status_label(s) for s in ("adopted", "draft", "none")}
    form_labels = {}
    rows = []
    for pk, name, district, forms_mask in unit_rows:
        status, plan_id, adopted_at = statuses.get(pk, ("none", None, None))
        rows.append(
            {
                "unit_id": pk,
                "name": name,
                "district": district or "",
                "url": f"{head}{pk}{tail}?year={year}",
                "forms": form_labels.setdefault(
                    forms_mask, ", ".join(str(label) for label in schoolforms.labels(forms_mask))
                ),
                "status": status,
                "status_label": labels[status],
                "adopted_at": adopted_at,
            }
        )
    in_view = len(rows)
    adopted = sum(1 for r in rows if r["status"] == "adopted")
    if chosen.get("status"):
        rows = [r for r in rows if r["status"] == chosen["status"]]
    return filters, year, rows, in_view, adopted


def digital_plans(request):
    filters, year, rows, in_view, adopted = _list_rows(request)
    return render(
        request,
        "goals/plans/plan_list.html",
        {
            "filter_form": filters,
            "year": year,
            "year_label": plans.year_label(year),
            "rows": rows,
            "in_view": in_view,
            "adopted": adopted,
            "query": request.GET.urlencode(),
            "can_read_organiser_plan": request.access.can_read_organiser_plan,
        },
    )


def digital_plans_export(request):
    """The list of units with their plan's status in the school year, as CSV."""
    _filters, year, rows, _in_view, _adopted = _list_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="digital-plans-{request.organizer.slug}-{plans.year_label(year).replace("/", "-")}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Unit"), _("District"), _("School forms"), _("School year"), _("Status"), _("Adopted on")])
    for r in rows:
        writer.writerow(
            [
                safe_cell(r["name"]),
                safe_cell(r["district"]),
                r["forms"],
                plans.year_label(year),
                str(r["status_label"]),
                timezone.localtime(r["adopted_at"]).date().isoformat() if r["adopted_at"] else "",
            ]
        )
    return response


# -- a unit's plan ---------------------------------------------------------------------------


def _unit(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    if not request.access.can_read_digital_plan(unit):
        raise Http404
    return unit


def _plan(request, digital_plan_id):
    plan = get_object_or_404(
        DigitalPlan.objects.select_related("unit__district", "adopted_by", "round"),
        organizer=request.organizer,
        pk=digital_plan_id,
    )
    if not request.access.can_read_digital_plan(plan.unit):
        raise Http404
    return plan


def _plan_context(request, plan, all_plans):
    return {
        "plan": plan,
        "unit": plan.unit,
        "year_label": plans.year_label(plan.school_year),
        "sections": _sections(plan),
        "goal_rows": _goal_rows(
            request, plan.goals.select_related("district", "unit", "owner", "baseline_round", "parent")
        ),
        "may_edit": request.access.can_edit_digital_plan(plan.unit),
        "others": [p for p in all_plans if p.pk != plan.pk],
        "newest_of_year": next(p for p in all_plans if p.school_year == plan.school_year).pk == plan.pk,
    }


def unit_digital_plan(request, unit_id):
    """The unit's plan of a school year (this one by default), with its earlier plans."""
    unit = _unit(request, unit_id)
    year = _year(request)
    all_plans = plans.unit_plans(unit=unit)
    plan = plans.latest_of_year(all_plans, year)
    if plan is not None:
        return render(request, "goals/plans/unit_plan.html", _plan_context(request, plan, all_plans))
    return render(
        request,
        "goals/plans/unit_plan.html",
        {
            "plan": None,
            "unit": unit,
            "year": year,
            "year_label": plans.year_label(year),
            "is_current_year": year == plans.current_year(),
            "may_edit": request.access.can_edit_digital_plan(unit),
            "others": all_plans,
        },
    )


def digital_plan(request, digital_plan_id):
    plan = _plan(request, digital_plan_id)
    return render(request, "goals/plans/unit_plan.html", _plan_context(request, plan, plans.unit_plans(unit=plan.unit)))


@require_POST
def digital_plan_draft(request, unit_id):
    unit = _unit(request, unit_id)
    request.access.require(request.access.can_edit_digital_plan(unit))
    plan = plans.draft_unit_plan(unit=unit, by=request.user)
    messages.success(
        request,
        _(
            "The draft is written from the unit's published assessment, its chosen actions and goals. Edit it and adopt it."
        ),
    )
    return redirect("digital_plan_edit", request.organizer.slug, plan.pk)


def digital_plan_edit(request, digital_plan_id):
    plan = _plan(request, digital_plan_id)
    request.access.require(request.access.can_edit_digital_plan(plan.unit))
    if plan.is_adopted:
        messages.info(request, _("The plan is adopted and can no longer be changed. Start a new version to change it."))
        return redirect("digital_plan", request.organizer.slug, plan.pk)
    initial = {f: getattr(plan, f) for f in plans.SECTION_FIELDS}
    initial.update(revision=plan.revision, goals=list(plan.goals.all()))
    form = plan_forms.UnitPlanForm(request.POST or None, initial=initial, unit=plan.unit)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plans.save_unit_plan(
                plan=plan,
                by=request.user,
                expected_revision=data["revision"],
                texts={f: data[f] for f in plans.SECTION_FIELDS},
                goals=data["goals"],
            )
        except plans.Conflict as error:
            conflict = str(error)
            plan.refresh_from_db()
        except plans.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan is saved."))
            if request.POST.get("then") == "adopt":
                return redirect("digital_plan_adopt", request.organizer.slug, plan.pk)
            return redirect("digital_plan", request.organizer.slug, plan.pk)
    return render(
        request,
        "goals/plans/unit_plan_form.html",
        {
            "form": form,
            "plan": plan,
            "unit": plan.unit,
            "year_label": plans.year_label(plan.school_year),
            "conflict": conflict,
            "saved_sections": _sections(plan) if conflict else [],
        },
    )


def digital_plan_adopt(request, digital_plan_id):
    plan = _plan(request, digital_plan_id)
    request.access.require(request.access.can_edit_digital_plan(plan.unit))
    if plan.is_adopted:
        return redirect("digital_plan", request.organizer.slug, plan.pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            plans.adopt_unit_plan(plan=plan, by=request.user)
        except plans.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The plan is adopted."))
        return redirect("digital_plan", request.organizer.slug, plan.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Adopt the local digital plan of %(unit)s for %(year)s?")
            % {"unit": plan.unit.name, "year": plans.year_label(plan.school_year)},
            "consequences": [
                _("The plan becomes read-only; to change it later you start a new version."),
                _("The organiser sees that the unit has an adopted plan this school year."),
            ],
            "action": request.path,
            "fields": {},
            "submit_label": _("Adopt the plan"),
            "cancel_url": f"/{request.organizer.slug}/goals/plans/{plan.pk}/",
        },
    )


@require_POST
def digital_plan_new_version(request, digital_plan_id):
    plan = _plan(request, digital_plan_id)
    request.access.require(request.access.can_edit_digital_plan(plan.unit))
    try:
        copy = plans.new_unit_version(plan=plan, by=request.user)
    except plans.PlanError as error:
        messages.error(request, str(error))
        return redirect("digital_plan", request.organizer.slug, plan.pk)
    messages.success(request, _("A new version is started from the adopted plan."))
    return redirect("digital_plan_edit", request.organizer.slug, copy.pk)


def digital_plan_pdf(request, digital_plan_id):
    plan = _plan(request, digital_plan_id)
    ctx = _plan_context(request, plan, [plan])
    ctx.update(organizer=request.organizer, now=timezone.localtime())
    pdf = render_pdf(template="goals/plans/unit_plan_pdf.html", context=ctx, request=request)
    year = plans.year_label(plan.school_year).replace("/", "-")
    return pdf_download(pdf, filename=f"digital-plan-{plan.unit.pk}-{year}-v{plan.version}.pdf")


# -- the organiser's plan --------------------------------------------------------------------


def _organiser_plan(request, organiser_plan_id):
    request.access.require(request.access.can_read_organiser_plan)
    return get_object_or_404(
        OrganiserPlan.objects.select_related("adopted_by", "round"), organizer=request.organizer, pk=organiser_plan_id
    )


def _organiser_context(request, plan, all_plans):
    units = request.access.organiser_units(Unit.objects.filter(organizer=request.organizer, active=True))
    summary = plans.units_summary(
        organizer=request.organizer, unit_ids=list(units.values_list("pk", flat=True)), year=plan.school_year
    )
    return {
        "plan": plan,
        "year_label": plans.year_label(plan.school_year),
        "introduction": plans.render_text(plan.introduction),
        "goal_rows": _goal_rows(
            request, plan.goals.select_related("district", "unit", "owner", "baseline_round", "parent")
        ),
        "actions": [
            {"action": a, "html": plans.render_text(a.description)}
            for a in plan.actions.select_related("owner", "indicator")
        ],
        "summary": summary,
        "may_edit": request.access.can_edit_organiser_plan,
        "others": [p for p in all_plans if p.pk != plan.pk],
        "newest_of_year": next(p for p in all_plans if p.school_year == plan.school_year).pk == plan.pk,
    }


def organiser_plan(request):
    """The organiser's plan of a school year (this one by default)."""
    request.access.require(request.access.can_read_organiser_plan)
    year = _year(request)
    all_plans = plans.organiser_plans(organizer=request.organizer)
    plan = next((p for p in all_plans if p.school_year == year), None)
    if plan is not None:
        return render(request, "goals/plans/organiser_plan.html", _organiser_context(request, plan, all_plans))
    return render(
        request,
        "goals/plans/organiser_plan.html",
        {
            "plan": None,
            "year_label": plans.year_label(year),
            "is_current_year": year == plans.current_year(),
            "may_edit": request.access.can_edit_organiser_plan,
            "others": all_plans,
        },
    )


def organiser_plan_version(request, organiser_plan_id):
    plan = _organiser_plan(request, organiser_plan_id)
    return render(
        request,
        "goals/plans/organiser_plan.html",
        _organiser_context(request, plan, plans.organiser_plans(organizer=request.organizer)),
    )


@require_POST
def organiser_plan_start(request):
    request.access.require(request.access.can_edit_organiser_plan)
    plan = plans.start_organiser_plan(organizer=request.organizer, access=request.access, by=request.user)
    messages.success(
        request,
        _(
            "The plan is started with the organiser's goals and one central action per indicator that units plan at priority 1."
        ),
    )
    return redirect("organiser_plan_version", request.organizer.slug, plan.pk)


def organiser_plan_edit(request, organiser_plan_id):
    plan = _organiser_plan(request, organiser_plan_id)
    request.access.require(request.access.can_edit_organiser_plan)
    if plan.is_adopted:
        return redirect("organiser_plan_version", request.organizer.slug, plan.pk)
    form = plan_forms.OrganiserPlanForm(
        request.POST or None,
        initial={"revision": plan.revision, "introduction": plan.introduction, "goals": list(plan.goals.all())},
        organizer=request.organizer,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plans.save_organiser_plan(
                plan=plan,
                by=request.user,
                expected_revision=data["revision"],
                introduction=data["introduction"],
                goals=data["goals"],
            )
        except plans.Conflict as error:
            conflict = str(error)
        except plans.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("organiser_plan_version", request.organizer.slug, plan.pk)
    return render(
        request,
        "goals/plans/organiser_plan_form.html",
        {"form": form, "plan": plan, "year_label": plans.year_label(plan.school_year), "conflict": conflict},
    )


@require_POST
def organiser_plan_todo(request, organiser_plan_id):
    plan = _organiser_plan(request, organiser_plan_id)
    request.access.require(request.access.can_edit_organiser_plan)
    try:
        n = plans.add_from_todo(plan=plan, access=request.access, by=request.user)
    except plans.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s central actions added from the to-do list.") % {"n": n})
    return redirect("organiser_plan_version", request.organizer.slug, plan.pk)


def organiser_plan_adopt(request, organiser_plan_id):
    plan = _organiser_plan(request, organiser_plan_id)
    request.access.require(request.access.can_edit_organiser_plan)
    if plan.is_adopted:
        return redirect("organiser_plan_version", request.organizer.slug, plan.pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            plans.adopt_organiser_plan(plan=plan, by=request.user)
        except plans.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The plan is adopted."))
        return redirect("organiser_plan_version", request.organizer.slug, plan.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Adopt the organiser's plan for %(year)s?") % {"year": plans.year_label(plan.school_year)},
            "consequences": [
                _("The plan becomes read-only; the central actions' status can still be followed up."),
            ],
            "action": request.path,
            "fields": {},
            "submit_label": _("Adopt the plan"),
            "cancel_url": f"/{request.organizer.slug}/goals/organiser-plan/{plan.pk}/",
        },
    )


@require_POST
def organiser_plan_new_version(request, organiser_plan_id):
    plan = _organiser_plan(request, organiser_plan_id)
    request.access.require(request.access.can_edit_organiser_plan)
    try:
        copy = plans.new_organiser_version(plan=plan, by=request.user)
    except plans.PlanError as error:
        messages.error(request, str(error))
        return redirect("organiser_plan_version", request.organizer.slug, plan.pk)
    messages.success(request, _("A new version is started from the adopted plan."))
    return redirect("organiser_plan_version", request.organizer.slug, copy.pk)


def organiser_plan_pdf(request, organiser_plan_id):
    plan = _organiser_plan(request, organiser_plan_id)
    ctx = _organiser_context(request, plan, [plan])
    ctx.update(organizer=request.organizer, now=timezone.localtime())
    pdf = render_pdf(template="goals/plans/organiser_plan_pdf.html", context=ctx, request=request)
    year = plans.year_label(plan.school_year).replace("/", "-")
    return pdf_download(pdf, filename=f"organiser-plan-{request.organizer.slug}-{year}-v{plan.version}.pdf")


def _central_action(request, central_action_id):
    request.access.require(request.access.can_read_organiser_plan)
    action = get_object_or_404(
        CentralAction.objects.select_related("plan", "indicator"), organizer=request.organizer, pk=central_action_id
    )
    request.access.require(request.access.can_edit_organiser_plan)
    return action


def central_action_edit(request, central_action_id):
    action = _central_action(request, central_action_id)
    form = plan_forms.CentralActionForm(
        request.POST or None, instance=action, organizer=request.organizer, adopted=action.plan.is_adopted
    )
    if request.method == "POST" and form.is_valid():
        try:
            plans.save_central_action(action=action, by=request.user, **form.cleaned_data)
        except plans.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The central action is saved."))
            return redirect("organiser_plan_version", request.organizer.slug, action.plan_id)
    return render(
        request,
        "goals/plans/central_action_form.html",
        {"form": form, "action": action, "plan": action.plan, "year_label": plans.year_label(action.plan.school_year)},
    )


def central_action_delete(request, central_action_id):
    action = _central_action(request, central_action_id)
    if action.plan.is_adopted:
        raise Http404
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        plans.delete_central_action(action=action, by=request.user)
        messages.success(request, _("The central action is removed from the plan."))
        return redirect("organiser_plan_version", request.organizer.slug, action.plan_id)
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Remove “%(title)s” from the plan?") % {"title": action.title},
            "consequences": [_("The central action is removed from the draft plan.")],
            "action": request.path,
            "fields": {},
            "submit_label": _("Remove"),
            "cancel_url": f"/{request.organizer.slug}/goals/organiser-plan/{action.plan_id}/",
            "danger": True,
        },
    )
