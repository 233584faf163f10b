from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stegvis.assessments.domain import current_version
from stegvis.assessments.models import Assessment, Perspective, Round
from stegvis.organisations.models import Unit
from stegvis.planning.models import Action, ActionPlan

from . import charts
from .picture import unit_picture


def home(request):
    """Start page: the user's own units first, then the organiser's figures for those who read them."""
    access = request.access
    open_rounds = list(Round.objects.filter(organizer=request.organizer, status=Round.Status.OPEN).select_related("framework"))
    my_unit_ids = access.principal_unit_ids | access.contributor_unit_ids
    my_units = list(Unit.objects.filter(organizer=request.organizer, pk__in=my_unit_ids).select_related("district"))
    status = {}
    if my_units and open_rounds:
        for a in Assessment.objects.filter(
            unit__in=my_units, round__in=open_rounds, perspective=Perspective.PRINCIPAL
        ).order_by("version"):
            status[(a.unit_id, a.round_id)] = a  # the highest version wins
    latest_plans = {}
    for plan in (
        ActionPlan.objects.filter(unit__in=my_units)
        .select_related("round")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=Action.OPEN_STATUSES)))
        .order_by("round__opens_on", "id")
    ):
        latest_plans[plan.unit_id] = plan  # the newest round wins
    rows = [
        {"unit": u, "rounds": [(r, status.get((u.pk, r.pk))) for r in open_rounds], "can_assess": access.assess(u),
         "plan": latest_plans.get(u.pk)}
        for u in my_units
    ]
    summary = None
    if access.view_all or access.district_ids:
        units = access.visible_units(Unit.objects.filter(organizer=request.organizer, active=True))
        summary = []
        for r in open_rounds:
            published, drafts = set(), set()
            for unit_id, status in Assessment.objects.filter(
                round=r, unit__in=units, perspective=Perspective.PRINCIPAL
            ).values_list("unit_id", "status"):
                (published if status == Assessment.Status.PUBLISHED else drafts).add(unit_id)
            summary.append({"round": r, "units": units.count(), "published": len(published),
                            "draft": len(drafts - published)})
    return render(request, "insights/home.html", {"rows": rows, "open_rounds": open_rounds, "summary": summary})


def unit_detail(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    rounds = list(Round.objects.filter(organizer=request.organizer).select_related("framework").order_by("-opens_on", "-id"))
    assessments_by_round = {}
    for a in Assessment.objects.filter(unit=unit, perspective=Perspective.PRINCIPAL).select_related("published_by").order_by("version"):
        assessments_by_round.setdefault(a.round_id, []).append(a)
    plans = {p.round_id: p for p in ActionPlan.objects.filter(unit=unit)}
    round_rows = [
        {"round": r, "versions": assessments_by_round.get(r.pk, []),
         "current": current_version(assessments_by_round.get(r.pk, [])),
         "plan": plans.get(r.pk)}
        for r in rounds
    ]
    picture = unit_picture(unit=unit, rounds=rounds)
    ctx = {"unit": unit, "round_rows": round_rows, "picture": picture, "can_assess": request.access.assess(unit)}
    if picture:
        lang = "en" if (get_language() or "sv").startswith("en") else "sv"
        top = picture["framework"].level_count
        series_area = [charts.Series(picture["round"].name, [c for _a, c, _p in picture["areas"]], "current")]
        series_ind = [charts.Series(picture["round"].name, [c for _i, c, _p, _nr in picture["indicators"]], "current")]
        if picture["previous_round"]:
            series_area.append(charts.Series(picture["previous_round"].name, [p for _a, _c, p in picture["areas"]], "previous"))
            series_ind.append(charts.Series(picture["previous_round"].name, [p for _i, _c, p, _nr in picture["indicators"]], "previous"))
        ctx["radar_areas"] = charts.radar(
            title=_("Level per area, %(unit)s") % {"unit": unit.name},
            axes=[getattr(a, f"name_{lang}") or a.name_sv for a, _c, _p in picture["areas"]], series=series_area, max_value=top,
        )
        ctx["radar_indicators"] = charts.radar(
            title=_("Level per indicator, %(unit)s") % {"unit": unit.name},
            axes=[i.code for i, _c, _p, _nr in picture["indicators"]], series=series_ind, max_value=top, size=560,
        )
    latest_plan = next((row["plan"] for row in round_rows if row["plan"]), None)
    if latest_plan:
        actions = list(latest_plan.actions.select_related("indicator", "carried_from__plan__round").prefetch_related("notes"))
        ctx["latest_plan"] = latest_plan
        ctx["plan_groups"] = [
            (value, label, [a for a in actions if a.status == value]) for value, label in Action.Status.choices
        ]
        ctx["today"] = timezone.localdate()
    return render(request, "insights/unit_detail.html", ctx)


