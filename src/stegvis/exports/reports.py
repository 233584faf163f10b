"""Reports: the unit report and the board report, as HTML and as PDF (WeasyPrint).

The PDF is rendered from HTML templates with the same server-side SVG charts as the pages
(``charts.py``); nothing is fetched from the network while rendering. ``unit_charts`` is the
radar pair of the unit page (``views.unit_detail`` builds the same two charts).

The board report's maturity figures and trend chart are those of the maturity page
(``maturity`` and ``comparisons``, docs/maturity.md).
"""

import builtins
import logging

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.assessments.models import Answer, Assessment, Perspective
from stegvis.core import charts
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Area, Framework, Indicator
from stegvis.maturity import comparisons
from stegvis.maturity import figures as maturity
from stegvis.maturity.picture import unit_picture
from stegvis.organisations.models import Unit
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action, ActionPlan

from .sheets import level_style

try:  # imported when the URLs load, not on the first report: loading Pango takes most of a second
    from weasyprint import HTML
except (ImportError, OSError) as error:  # pragma: no cover - a machine without Pango
    HTML = None
    logging.getLogger(__name__).error("WeasyPrint cannot be loaded, PDF reports will fail: %s", error)

TREND_ROUNDS = 5  # rounds shown in the board report's trend
TOP_PRIORITIES = 10


def _lang(lang):
    return "en" if (lang or "sv").startswith("en") else "sv"


def _text(obj, field, lang):
    return (getattr(obj, f"{field}_en", "") if lang == "en" else "") or getattr(obj, f"{field}_sv", "")


# --- the unit report ----------------------------------------------------------------------


def unit_charts(*, unit, picture, lang):
    """The unit page's two radar charts (areas, indicators) for a picture from ``unit_picture``."""
    top = picture["framework"].level_count
    framework = picture["framework"]
    rings = [label for _n, label, _name, _css in framework.levels(lang)]
    in_labels = framework.mean_text if framework.level_scale() else None
    series_area = [charts.Series(picture["round"].name, [c for _a, c, _p in picture["areas"]], "current")]
    series_ind = [charts.Series(picture["round"].name, [c for _i, c, _p, _nr in picture["indicators"]], "current")]
    if picture["previous_round"]:
        prev = picture["previous_round"].name
        series_area.append(charts.Series(prev, [p for _a, _c, p in picture["areas"]], "previous"))
        series_ind.append(charts.Series(prev, [p for _i, _c, p, _nr in picture["indicators"]], "previous"))
    return {
        "radar_areas": charts.radar(
            title=_("Level per area, %(unit)s") % {"unit": unit.name},
            axes=[_text(a, "name", lang) for a, _c, _p in picture["areas"]],
            series=series_area,
            max_value=top,
            ring_labels=rings,
            value_format=in_labels,
        ),
        "radar_indicators": charts.radar(
            title=_("Level per indicator, %(unit)s") % {"unit": unit.name},
            axes=[i.code for i, _c, _p, _nr in picture["indicators"]],
            series=series_ind,
            max_value=top,
            size=560,
            ring_labels=rings,
            value_format=in_labels,
        ),
    }


def unit_report_context(*, unit, lang):
    """Everything the unit report shows: the latest published assessment with comments, the
    radar charts (with the round before), and the action plan of that round."""
    lang = _lang(lang)
    rounds = list(
        Round.objects.filter(organizer_id=unit.organizer_id).select_related("framework").order_by("-opens_on", "-id")
    )
    picture = unit_picture(unit=unit, rounds=rounds)
    ctx = {"unit": unit, "picture": picture, "generated_at": timezone.localtime(), "lang": lang}
    if not picture:
        return ctx
    ctx.update(unit_charts(unit=unit, picture=picture, lang=lang))
    framework, rnd = picture["framework"], picture["round"]
    top = framework.level_count
    assessment = (
        Assessment.objects.filter(
            unit=unit, round=rnd, perspective=Perspective.PRINCIPAL, status=Assessment.Status.PUBLISHED
        )
        .select_related("published_by")
        .order_by("-version")
        .first()
    )
    answers = {
        ind: (level, nr, comment)
        for ind, level, nr, comment in Answer.objects.filter(assessment=assessment).values_list(
            "indicator_id", "level", "not_relevant", "comment"
        )
    }
    area_rows = []
    for area in Area.objects.filter(framework=framework).order_by("order"):
        rows = []
        for ind in Indicator.objects.filter(area=area).select_related("group").order_by("order"):
            if ind.pk not in answers:
                continue
            level, nr, comment = answers[ind.pk]
            rows.append(
                {
                    "code": ind.code,
                    "title": _text(ind, "title", lang),
                    "level": level,
                    "not_relevant": nr,
                    "level_label": framework.level_label(level) if level else "",
                    "level_name": framework.level_name(level, lang) if level else "",
                    "css": "lvl-nr" if nr else (level_style(level, top) if level else ""),
                    "comment": comment,
                    "group": _text(ind.group, "name", lang) if ind.group else "",
                    "optional": ind.optional,
                }
            )
        if rows:
            area_rows.append({"name": _text(area, "name", lang), "rows": rows})
    scaled = framework.level_scale() is not None
    area_means = [
        (area, framework.mean_label(cur) if scaled else cur, framework.mean_label(prev) if scaled else prev)
        for area, cur, prev in picture["areas"]
    ]
    ctx.update({"assessment": assessment, "area_rows": area_rows, "top": top, "area_means": area_means})
    plan = ActionPlan.objects.filter(unit=unit, round=rnd).first()
    if plan is not None:
        actions = list(
            plan.actions.select_related("indicator").prefetch_related("notes").order_by("priority", "due_date", "id")
        )
        ctx["plan"] = plan
        ctx["plan_groups"] = [
            (label, [a for a in actions if a.status == value]) for value, label in Action.Status.choices
        ]
    return ctx


# --- the board report ---------------------------------------------------------------------


def board_report_context(*, organizer, access, round, lang):
    """The board's report for a round: the digital maturity index (0-100, docs/maturity.md)
    with its trend over the last rounds, per area against the round before and per district,
    the top priorities in the units' action plans, and who has published. Priorities and
    publication cover only the units the user may see (a district lead: the district)."""
    lang = _lang(lang)
    units = access.visible_units(Unit.objects.filter(organizer=organizer, active=True))
    framework = Framework.objects.get(pk=round.framework_id)
    top = framework.level_count
    rounds = list(
        Round.objects.filter(organizer=organizer, opens_on__lte=round.opens_on)
        .select_related("framework")
        .order_by("-opens_on", "-id")[:TREND_ROUNDS]
    )
    if round.pk not in {r.pk for r in rounds}:
        rounds = [Round.objects.select_related("framework").get(pk=round.pk)] + rounds[: TREND_ROUNDS - 1]

    # the maturity index: the same figures and charts as the maturity page
    trend = comparisons.trend(organizer=organizer, access=access, rounds=rounds)
    trend_chart = comparisons.line_chart(
        title=_("Digital maturity over rounds, %(organizer)s (0–100)") % {"organizer": organizer.name},
        labels=[r.name for r in trend["rounds"]],
        series=trend["series"],
    )
    # the key figure: the organiser's index, or a district lead's (single) district's
    own = len(trend["districts"]) == 1 and not access.view_all

    def key(row):
        return row["districts"][0] if own else row["total"]

    current = next((row for row in trend["rows"] if row["round"].pk == round.pk), None)
    earlier = [row for row in trend["rows"] if row["round"].opens_on < round.opens_on and key(row) is not None]
    previous = earlier[-1] if earlier else None
    figure = key(current) if current else None
    previous_figure = key(previous) if previous else None
    change = None
    if figure is not None and previous_figure is not None:
        diff = builtins.round(figure) - builtins.round(previous_figure)
        change = f"{diff:+d}" if diff else "±0"
    area_rows = [
        (
            _text(area, "name", lang),
            current["areas"][i] if current else None,
            previous["areas"][i] if previous else None,
        )
        for i, (_key, area) in enumerate(trend["areas"])
    ]
    series = [charts.Series(round.name, [maturity.as_level(c, top) for _n, c, _p in area_rows], "current")]
    if previous:
        series.append(
            charts.Series(previous["round"].name, [maturity.as_level(p, top) for _n, _c, p in area_rows], "previous")
        )
    area_chart = (
        charts.radar(
            title=_("Digital maturity per area, %(organizer)s") % {"organizer": organizer.name},
            axes=[n for n, _c, _p in area_rows],
            series=series,
            max_value=top,
            ring_labels=[label for _n, label, _name, _css in framework.levels(lang)],
        )
        if area_rows and current and current["total"] is not None
        else ""
    )
    district_figures = comparisons.districts_side_by_side(organizer=organizer, access=access, round=round)

    indicators = {i.pk: i for i in Indicator.objects.filter(framework=framework).select_related("area")}
    priorities = []
    for ind_id, n_units, p1 in (
        PlanCell.objects.filter(organizer=organizer, unit__in=units, round=round, state=PlanCell.State.PLANNED)
        .values("indicator_id")
        .annotate(n=Count("unit_id"), p1=Count("unit_id", filter=Q(priority=1)))
        .order_by("-p1", "-n", "indicator_id")
        .values_list("indicator_id", "n", "p1")[:TOP_PRIORITIES]
    ):
        ind = indicators.get(ind_id)
        if ind is not None:
            priorities.append(
                {
                    "code": ind.code,
                    "title": _text(ind, "title", lang),
                    "area": _text(ind.area, "name", lang),
                    "units": n_units,
                    "p1": p1,
                }
            )
    open_actions = Action.objects.filter(
        organizer=organizer, unit__in=units, plan__round=round, status__in=Action.OPEN_STATUSES
    ).count()

    status = {}
    for unit_id, st in Assessment.objects.filter(
        organizer=organizer, round=round, unit__in=units, perspective=Perspective.PRINCIPAL
    ).values_list("unit_id", "status"):
        if status.get(unit_id) != Assessment.Status.PUBLISHED:
            status[unit_id] = st
    districts = {}
    for unit_id, district in units.values_list("pk", "district__name"):
        row = districts.setdefault(district or _("No district"), {"units": 0, "published": 0, "draft": 0})
        row["units"] += 1
        st = status.get(unit_id)
        if st == Assessment.Status.PUBLISHED:
            row["published"] += 1
        elif st == Assessment.Status.DRAFT:
            row["draft"] += 1
    publication = []
    for name in sorted(districts):
        row = districts[name]
        publication.append(
            {
                "district": name,
                **row,
                "not_started": row["units"] - row["published"] - row["draft"],
                "share": _percent(row["published"], row["units"]),
            }
        )
    totals = {k: sum(r[k] for r in publication) for k in ("units", "published", "draft", "not_started")}
    totals["share"] = _percent(totals["published"], totals["units"])
    return {
        "organizer": organizer,
        "round": round,
        "framework": framework,
        "top": top,
        "lang": lang,
        "generated_at": timezone.localtime(),
        "trend": trend,
        "trend_chart": trend_chart,
        "current": current,
        "previous": previous,
        "change": change,
        "figure": figure,
        "previous_figure": previous_figure,
        "figure_name": trend["districts"][0][1] if own else organizer.name,
        "area_rows": area_rows,
        "area_chart": area_chart,
        "district_figures": district_figures,
        "priorities": priorities,
        "open_actions": open_actions,
        "publication": publication,
        "totals": totals,
        "district_only": not access.view_all,
    }


def _percent(part, whole):
    return round(100 * part / whole) if whole else 0


# --- PDF --------------------------------------------------------------------------------


def _no_fetch(url, *args, **kwargs):
    """WeasyPrint's URL fetcher: the reports are self-contained, nothing is loaded from outside."""
    raise ValueError(f"Reports load no external resources: {url[:80]}")


def render_pdf(*, template, context, request=None):
    """The template rendered to PDF bytes."""
    if HTML is None:
        raise RuntimeError("WeasyPrint (and the system's Pango) is needed for PDF reports.")
    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch, base_url="/").write_pdf()


def unit_report_pdf(*, unit, lang, request=None):
    return render_pdf(
        template="exports/report_unit_pdf.html", context=unit_report_context(unit=unit, lang=lang), request=request
    )


def board_report_pdf(*, organizer, access, round, lang):
    ctx = board_report_context(organizer=organizer, access=access, round=round, lang=lang)
    return render_pdf(template="exports/report_board_pdf.html", context=ctx)
