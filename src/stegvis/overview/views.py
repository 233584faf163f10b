"""Views of the start page and the organiser's overview (grid, to-do list, publication status).
Thin: access, then one call into ``grid``, then a template.

Organiser-wide pages are for organiser admins and viewers (everything) and district leads
(their districts only, forced); principals and contributors get 403.
"""

import csv

from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stegvis.assessments import perspectives as assessor_groups
from stegvis.assessments.models import Assessment, Perspective
from stegvis.assessments.status import publication_counts
from stegvis.core.csvutil import safe_cell
from stegvis.cycles.models import Round
from stegvis.cycles.queries import members, started
from stegvis.organisations.models import Unit
from stegvis.planning.models import Action, ActionPlan

from . import grid as overview
from . import perspectives as perspective_gaps

GRID_FIELDS = ("round", "mode", "district", "form", "area", "tag", "level", "state", "priority")
TODO_FIELDS = ("round", "district", "form", "area", "tag", "level", "priority")
STATUS_FIELDS = ("round", "district", "form", "status")
ROUND_DISTRICT_FIELDS = ("round", "district", "form", "area", "tag")
MY_ACTIONS = 20  # open actions shown under "My actions" on the start page


def _select(request, keep):
    access = request.access
    access.require(access.can_read_organiser)
    return overview.select(organizer=request.organizer, access=access, params=request.GET, keep=keep)


GRID_BODY = "<!--grid-body-->"


@require_GET
def grid(request):
    sel = _select(request, GRID_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "overview"}
    if not sel.round:
        return render(request, "overview/overview.html", ctx)
    grid = overview.build_grid(sel, request=request)
    body, grid["body"] = grid["body"], mark_safe(GRID_BODY)
    ctx["grid"] = grid
    # The body (1.5 MB for 24,000 cells) is put in after rendering: passed through the template
    # it would be copied at every level of nesting, a sixth of the page's time.
    page = render_to_string("overview/overview.html", ctx, request=request)
    if GRID_BODY not in page:  # no unit matches the filters: no table
        return HttpResponse(page)
    head, tail = page.split(GRID_BODY, 1)
    return HttpResponse(b"".join((head.encode(), body.encode(), tail.encode())))


@require_GET
def todo(request):
    sel = _select(request, TODO_FIELDS)
    # links to a unit's plan carry the list's address, so the plan page leads back to it as filtered
    ctx = {"sel": sel, "form": sel.form, "page": "overview_todo", "back": request.get_full_path()}
    if sel.round:
        ctx["groups"] = overview.todo(sel)
    return render(request, "overview/todo.html", ctx)


@require_GET
def status(request):
    sel = _select(request, STATUS_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "overview_status"}
    if sel.round:
        ctx["status"] = overview.publication_status(sel)
        labels = dict(Perspective.choices)
        ctx["expected"] = [str(labels[p]) for p in sel.round.expected_perspectives or [] if p in labels]
        ctx["can_remind"] = request.access.can_remind and sel.round.is_open
    return render(request, "overview/status.html", ctx)


@require_GET
def perspectives(request):
    """Per round: which units have which perspectives published, and where principals and the
    others differ most (docs/perspectives.md)."""
    sel = _select(request, ROUND_DISTRICT_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "overview_perspectives"}
    if sel.round:
        ctx["gaps"] = perspective_gaps.perspective_gaps(sel)
    return render(request, "overview/perspectives.html", ctx)


def status_export(request):
    """The publication status list as filtered, as CSV: unit, district, principals, status,
    published, last activity, last reminded."""
    sel = _select(request, STATUS_FIELDS)
    if not sel.round:
        raise Http404
    rows = overview.publication_status(sel)["rows"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"status-{request.organizer.slug}-{sel.round.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so that Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Unit"), _("District"), _("Principal"), _("Status"), _("Published"), _("Last activity"), _("Last reminded")]
    )

    def when(value, fmt="%Y-%m-%d %H:%M"):
        return timezone.localtime(value).strftime(fmt) if value else ""

    for r in rows:
        writer.writerow(
            [
                safe_cell(r["name"]),
                safe_cell(r["district"]),
                safe_cell(", ".join(r["principals"])),
                str(r["status_label"]),
                when(r["published_at"], "%Y-%m-%d"),
                when(r["last"]),
                when(r["reminded"]),
            ]
        )
    return response


def home(request):
    """Start page: the user's own units first, then the organiser's figures for those who read them.

    A principal's cards show the open rounds the unit takes part in; an upcoming round (open,
    but its opening date is ahead) is not among them: organiser staff see it as upcoming.
    """
    access = request.access
    rounds = list(
        Round.objects.filter(organizer=request.organizer, status=Round.Status.OPEN)
        .select_related("framework")
        .prefetch_related("follow_ups")  # the round's dates on the principal's cards
    )
    open_rounds = started(rounds)
    upcoming = [r for r in rounds if r.is_upcoming]
    my_units = list(
        Unit.objects.filter(organizer=request.organizer, pk__in=access.my_unit_ids).select_related("district")
    )
    taking_part = members(organizer=request.organizer, rounds=open_rounds)
    status = {}
    published = set()  # (unit, round) with a published version: not overdue (assessments.status)
    if my_units and open_rounds:
        for a in Assessment.objects.filter(
            unit__in=my_units, round__in=open_rounds, perspective=Perspective.PRINCIPAL
        ).order_by("version"):
            status[(a.unit_id, a.round_id)] = a  # the highest version wins
            if a.status == Assessment.Status.PUBLISHED:
                published.add((a.unit_id, a.round_id))
    latest_plans = {}
    for plan in (
        ActionPlan.objects.filter(unit__in=my_units)
        .select_related("round")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=Action.OPEN_STATUSES)))
        .order_by("round__opens_on", "id")
    ):
        latest_plans[plan.unit_id] = plan  # the newest round wins
    rows = [
        {
            "unit": u,
            "rounds": [(r, status.get((u.pk, r.pk))) for r in open_rounds if u.pk in taking_part[r.pk]],
            "can_assess": access.can_assess(u),
            "plan": latest_plans.get(u.pk),
            "published_rounds": {r for (unit_id, r) in published if unit_id == u.pk},
        }
        for u in my_units
    ]
    summary = None
    if access.can_read_organiser:
        unit_ids = (
            None
            if access.can_read_all_units
            else access.visible_units(Unit.objects.filter(organizer=request.organizer)).values_list("pk", flat=True)
        )
        counts = publication_counts(organizer=request.organizer, rounds=open_rounds, unit_ids=unit_ids)
        summary = [{"round": r, "counts": counts[r.pk]} for r in open_rounds]
    my_groups = assessor_groups.open_groups(organizer=request.organizer, group_ids=access.assessor_group_ids())
    # "My actions": the open actions the user owns as a user (notifications, issue 9); one query
    my_actions = list(
        Action.objects.filter(organizer=request.organizer, owner_user=request.user, status__in=Action.OPEN_STATUSES)
        .select_related("unit")
        .order_by(F("due_date").asc(nulls_last=True), "priority", "pk")[:MY_ACTIONS]
    )
    return render(
        request,
        "overview/home.html",
        {
            "rows": rows,
            "open_rounds": open_rounds,
            "summary": summary,
            "upcoming": upcoming,
            "my_actions": my_actions,
            "my_groups": my_groups,
            "today": timezone.localdate(),
        },
    )
