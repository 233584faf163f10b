from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stegvis.assessments.domain import current_version
from stegvis.assessments.models import Assessment, Perspective
from stegvis.assessments.perspectives import rounds_withheld
from stegvis.core import charts
from stegvis.core.i18n import bilingual, ui_language
from stegvis.cycles.models import Round
from stegvis.cycles.queries import choose_round, members
from stegvis.organisations.models import Unit
from stegvis.overview import grid as overview
from stegvis.planning.models import Action, ActionPlan

from . import comparisons
from . import figures as maturity
from .picture import unit_charts, unit_picture, withhold


def unit_detail(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    rounds = list(
        Round.objects.filter(organizer=request.organizer).select_related("framework").order_by("-opens_on", "-id")
    )
    assessments_by_round = {}
    for a in (
        Assessment.objects.filter(unit=unit, perspective=Perspective.PRINCIPAL)
        .select_related("published_by")
        .order_by("version")
    ):
        assessments_by_round.setdefault(a.round_id, []).append(a)
    plans = {p.round_id: p for p in ActionPlan.objects.filter(unit=unit)}
    round_rows = [
        {
            "round": r,
            "versions": assessments_by_round.get(r.pk, []),
            "current": current_version(assessments_by_round.get(r.pk, [])),
            "plan": plans.get(r.pk),
        }
        for r in rounds
    ]
    taking_part = members(organizer=request.organizer, rounds=rounds)
    for row in round_rows:
        row["takes_part"] = unit.pk in taking_part[row["round"].pk]
    # ?round= shows that round's picture (and the round before it on the same framework)
    asked = next((r for r in rounds if str(r.pk) == request.GET.get("round", "")), None)
    picture = unit_picture(unit=unit, rounds=rounds, round=asked)
    # an assessor whose group has not published sees no levels of that round (docs/perspectives.md)
    withheld = rounds_withheld(request.access, unit)
    picture, withheld_round = withhold(picture, withheld)
    for row in round_rows:
        row["withheld"] = row["round"].pk in withheld
    ctx = {
        "unit": unit,
        "round_rows": round_rows,
        "picture": picture,
        "withheld_round": withheld_round,
        "asked": asked,
        "can_assess": request.access.can_assess(unit),
    }
    if picture:
        lang = ui_language()
        framework = picture["framework"]
        ctx["level_labels"] = {n: label for n, label, _name, _css in framework.levels(lang)}
        scaled = framework.level_scale() is not None
        ctx["area_means"] = [
            (area, framework.mean_label(cur) if scaled else cur, framework.mean_label(prev) if scaled else prev)
            for area, cur, prev in picture["areas"]
        ]
        ctx.update(unit_charts(unit=unit, picture=picture, lang=lang))
    latest_plan = next((row["plan"] for row in round_rows if row["plan"]), None)
    if latest_plan:
        actions = list(
            latest_plan.actions.select_related("indicator", "carried_from__plan__round", "owner_user").prefetch_related(
                "notes"
            )
        )
        ctx["latest_plan"] = latest_plan
        ctx["plan_groups"] = [
            (value, label, [a for a in actions if a.status == value]) for value, label in Action.Status.choices
        ]
        ctx["today"] = timezone.localdate()
    return render(request, "maturity/unit_detail.html", ctx)


def _select(request, keep):
    access = request.access
    access.require(access.can_read_organiser)
    return overview.select(organizer=request.organizer, access=access, params=request.GET, keep=keep)


ROUND_DISTRICT_FIELDS = ("round", "district", "form", "area", "tag")


@require_GET
def maturity_trend(request):
    """The maturity index over the rounds of one framework lineage (the chosen round's, by
    default the newest that has opened); the other lineages are linked, never drawn on one line."""
    sel = _select(request, ())
    ctx = {"sel": sel, "page": "maturity"}
    rounds = comparisons.trend_rounds(sel.rounds, sel.round)
    if rounds:
        data = comparisons.trend(organizer=request.organizer, access=request.access, rounds=rounds)
        ctx["trend"] = data
        ctx["other_lineages"] = comparisons.other_lineages(sel.rounds, data["rounds"])
        ctx["framework"] = data["rounds"][-1].framework
        ctx["chart"] = comparisons.line_chart(
            title=_("Digital maturity over rounds, %(organizer)s (0–100)") % {"organizer": request.organizer.name},
            labels=[r.name for r in data["rounds"]],
            series=data["series"],
            partial=data["partial"],
        )
        lang = ui_language(request.LANGUAGE_CODE or "sv")
        styles = list(charts.SERIES_STYLE)
        ctx["area_series"] = [
            charts.Series(
                bilingual(area, "name", lang),
                [row["areas"][n] for row in data["rows"]],
                styles[n % len(styles)],
            )
            for n, (_key, area) in enumerate(data["areas"])
        ]
        ctx["area_chart"] = comparisons.line_chart(
            title=_("Digital maturity per area over rounds, %(organizer)s (0–100)")
            % {"organizer": request.organizer.name},
            labels=[r.name for r in data["rounds"]],
            series=ctx["area_series"],
            partial=data["partial"],
        )
    return render(request, "maturity/maturity.html", ctx)


@require_GET
def compare_districts(request):
    sel = _select(request, ("round",))
    ctx = {"sel": sel, "form": sel.form, "page": "compare_districts"}
    if sel.round:
        data = comparisons.districts_side_by_side(organizer=request.organizer, access=request.access, round=sel.round)
        ctx["data"] = data
        rows = data["rows"] + [data["organizer"]]
        ctx["chart"] = charts.bars(
            title=_("Digital maturity per district, %(round)s (0–100)") % {"round": sel.round.name},
            axes=[r["name"] for r in rows],
            series=[charts.Series(_("Total"), [round(r["total"]) if r["total"] is not None else None for r in rows])],
            max_value=100,
        )
    return render(request, "maturity/compare_districts.html", ctx)


@require_GET
def compare_spread(request):
    sel = _select(request, ROUND_DISTRICT_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "compare_spread"}
    if sel.round:
        ctx["spread"] = comparisons.spread(sel)
    return render(request, "maturity/compare_spread.html", ctx)


@require_GET
def compare_unit(request, unit_id):
    unit = get_object_or_404(
        Unit.objects.select_related("district", "organizer"), organizer=request.organizer, pk=unit_id
    )
    request.access.require_unit(unit)
    rounds = list(
        Round.objects.filter(organizer=request.organizer).select_related("framework").order_by("-opens_on", "-id")
    )
    rnd = choose_round(rounds, request.GET.get("round"))
    ctx = {"unit": unit, "rounds": rounds, "round": rnd}
    # an assessor whose group has not published sees no levels of that round (docs/perspectives.md)
    withheld = rounds_withheld(request.access, unit) if rnd else frozenset()
    if rnd and rnd.pk in withheld:
        ctx["withheld"] = True
    elif rnd:
        data = comparisons.unit_comparison(unit=unit, rounds=rounds, round=rnd)
        data["history"] = [h for h in data["history"] if h["round"].pk not in withheld]
        top = data["top"]
        ctx["data"] = data
        lang = ui_language(request.LANGUAGE_CODE or "sv")
        axes = [bilingual(a, "name", lang) for _k, a in data["areas"]]
        rows = data["area_rows"][:-1]
        series = [charts.Series(unit.name, [maturity.as_level(r["unit"], top) for r in rows], "current")]
        if unit.district_id:
            series.append(
                charts.Series(unit.district.name, [maturity.as_level(r["district"], top) for r in rows], "district")
            )
        series.append(
            charts.Series(request.organizer.name, [maturity.as_level(r["organizer"], top) for r in rows], "organizer")
        )
        ctx["radar"] = charts.radar(
            title=_("Average level per area: %(unit)s, its district and the organiser") % {"unit": unit.name},
            axes=axes,
            series=series,
            max_value=top,
            ring_labels=[label for _n, label, _name, _css in rnd.framework.levels(lang)],
        )
        ctx["trend_chart"] = comparisons.line_chart(
            title=_("Digital maturity over rounds, %(unit)s (0–100)") % {"unit": unit.name},
            labels=[h["round"].name for h in data["history"]],
            series=[charts.Series(unit.name, [h["total"] for h in data["history"]], "current")],
        )
    return render(request, "maturity/compare_unit.html", ctx)
