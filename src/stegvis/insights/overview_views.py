"""Views of the organiser's overview, maturity index and comparisons. Thin: access, then one
call into ``overview``, ``comparisons`` or ``maturity``, then a template.

Organiser-wide pages are for organiser admins and viewers (everything) and district leads
(their districts only, forced); principals and contributors get 403.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stegvis.assessments.models import Round
from stegvis.organisations.models import Unit

from . import charts, comparisons, maturity, overview

GRID_FIELDS = ("round", "mode", "district", "form", "area", "tag", "level", "state", "priority")
TODO_FIELDS = ("round", "district", "form", "area", "tag", "level", "priority")
STATUS_FIELDS = ("round", "district", "form", "status")
ROUND_DISTRICT_FIELDS = ("round", "district", "form", "area", "tag")


def _select(request, keep):
    access = request.access
    access.require(access.view_all or bool(access.district_ids))
    return overview.select(organizer=request.organizer, access=access, params=request.GET, keep=keep)


GRID_BODY = "<!--grid-body-->"


@require_GET
def grid(request):
    sel = _select(request, GRID_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "overview"}
    if not sel.round:
        return render(request, "insights/overview.html", ctx)
    grid = overview.build_grid(sel)
    body, grid["body"] = grid["body"], mark_safe(GRID_BODY)
    ctx["grid"] = grid
    # The body (1.5 MB for 24,000 cells) is put in after rendering: passed through the template
    # it would be copied at every level of nesting, a sixth of the page's time.
    page = render_to_string("insights/overview.html", ctx, request=request)
    if GRID_BODY not in page:  # no unit matches the filters: no table
        return HttpResponse(page)
    head, tail = page.split(GRID_BODY, 1)
    return HttpResponse(b"".join((head.encode(), body.encode(), tail.encode())))


@require_GET
def todo(request):
    sel = _select(request, TODO_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "overview_todo"}
    if sel.round:
        ctx["groups"] = overview.todo(sel)
    return render(request, "insights/todo.html", ctx)


@require_GET
def status(request):
    sel = _select(request, STATUS_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "overview_status"}
    if sel.round:
        ctx["status"] = overview.publication_status(sel)
    return render(request, "insights/status.html", ctx)


@require_GET
def maturity_trend(request):
    sel = _select(request, ())
    ctx = {"sel": sel, "page": "maturity"}
    if sel.rounds:
        data = comparisons.trend(organizer=request.organizer, access=request.access, rounds=sel.rounds)
        ctx["trend"] = data
        ctx["chart"] = comparisons.line_chart(
            title=_("Digital maturity over rounds, %(organizer)s (0–100)") % {"organizer": request.organizer.name},
            labels=[r.name for r in data["rounds"]], series=data["series"],
        )
        lang = "en" if (request.LANGUAGE_CODE or "sv").startswith("en") else "sv"
        styles = list(charts.SERIES_STYLE)
        ctx["area_series"] = [
            charts.Series(getattr(area, f"name_{lang}") or area.name_sv, [row["areas"][n] for row in data["rows"]],
                          styles[n % len(styles)])
            for n, (_key, area) in enumerate(data["areas"])
        ]
        ctx["area_chart"] = comparisons.line_chart(
            title=_("Digital maturity per area over rounds, %(organizer)s (0–100)") % {"organizer": request.organizer.name},
            labels=[r.name for r in data["rounds"]], series=ctx["area_series"],
        )
    return render(request, "insights/maturity.html", ctx)


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
    return render(request, "insights/compare_districts.html", ctx)


@require_GET
def compare_spread(request):
    sel = _select(request, ROUND_DISTRICT_FIELDS)
    ctx = {"sel": sel, "form": sel.form, "page": "compare_spread"}
    if sel.round:
        ctx["spread"] = comparisons.spread(sel)
    return render(request, "insights/compare_spread.html", ctx)


@require_GET
def compare_unit(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district", "organizer"), organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    rounds = list(Round.objects.filter(organizer=request.organizer).select_related("framework").order_by("-opens_on", "-id"))
    rnd = overview.choose_round(rounds, request.GET.get("round"))
    ctx = {"unit": unit, "rounds": rounds, "round": rnd}
    if rnd:
        data = comparisons.unit_comparison(unit=unit, rounds=rounds, round=rnd)
        top = data["top"]
        ctx["data"] = data
        lang = "en" if (request.LANGUAGE_CODE or "sv").startswith("en") else "sv"
        axes = [getattr(a, f"name_{lang}") or a.name_sv for _k, a in data["areas"]]
        rows = data["area_rows"][:-1]
        series = [charts.Series(unit.name, [maturity.as_level(r["unit"], top) for r in rows], "current")]
        if unit.district_id:
            series.append(charts.Series(unit.district.name, [maturity.as_level(r["district"], top) for r in rows], "district"))
        series.append(charts.Series(request.organizer.name, [maturity.as_level(r["organizer"], top) for r in rows], "organizer"))
        ctx["radar"] = charts.radar(
            title=_("Average level per area: %(unit)s, its district and the organiser") % {"unit": unit.name},
            axes=axes, series=series, max_value=top,
        )
        ctx["trend_chart"] = comparisons.line_chart(
            title=_("Digital maturity over rounds, %(unit)s (0–100)") % {"unit": unit.name},
            labels=[h["round"].name for h in data["history"]],
            series=[charts.Series(unit.name, [h["total"] for h in data["history"]], "current")],
        )
    return render(request, "insights/compare_unit.html", ctx)
