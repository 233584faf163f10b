"""Reports: the unit report and the board report, as HTML and as PDF (WeasyPrint).

The PDF is rendered from HTML templates with the same server-side SVG charts as the pages
(``charts.py``); nothing is fetched from the network while rendering. ``unit_charts`` is the
radar pair of the unit page (``maturity.picture.unit_charts``, the same two charts).

The board report's maturity figures and trend chart are those of the maturity page
(``maturity`` and ``comparisons``, docs/maturity.md).
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.assessments import comparison
from stegvis.assessments import status as publication
from stegvis.assessments.models import Answer, Assessment, Perspective
from stegvis.core import charts, numbers
from stegvis.core.i18n import bilingual, ui_language
from stegvis.core.pdf import render_pdf
from stegvis.cycles.lineage import same_lineage
from stegvis.cycles.models import Round
from stegvis.cycles.queries import round_units, started
from stegvis.frameworks.models import Area, Framework, Indicator, localized_text
from stegvis.maturity import comparisons
from stegvis.maturity import figures as maturity
from stegvis.maturity.picture import unit_charts, unit_picture, withhold
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action, ActionPlan

from .sheets import level_style

TREND_ROUNDS = 5  # rounds shown in the board report's trend
TOP_PRIORITIES = 10
TABLE_COLUMNS = 8  # a table with more columns gets smaller type and even columns in the PDF


# --- the unit report ----------------------------------------------------------------------


def unit_report_context(*, unit, lang, withheld=frozenset()):
    """Everything the unit report shows: the latest published assessment with comments, the
    radar charts (with the round before), and the action plan of that round. ``withheld``: the
    ids of the rounds whose levels the reader may not see yet (``perspectives.rounds_withheld``):
    when the report's round is one, the report says so and shows none of it."""
    lang = ui_language(lang or "sv")
    rounds = list(
        Round.objects.filter(organizer_id=unit.organizer_id).select_related("framework").order_by("-opens_on", "-id")
    )
    picture, withheld_round = withhold(unit_picture(unit=unit, rounds=rounds), withheld)
    ctx = {
        "unit": unit,
        "picture": picture,
        "withheld_round": withheld_round,
        "generated_at": timezone.localtime(),
        "lang": lang,
    }
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
                    "title": localized_text(ind, "title", preschool=unit.is_preschool_only, lang=lang),
                    "level": level,
                    "not_relevant": nr,
                    "level_label": framework.level_label(level) if level else "",
                    "level_name": framework.level_name(level, lang) if level else "",
                    "css": "lvl-nr" if nr else (level_style(level, top) if level else ""),
                    "comment": comment,
                    "group": bilingual(ind.group, "name", lang) if ind.group else "",
                    "optional": ind.optional,
                }
            )
        if rows:
            area_rows.append({"name": bilingual(area, "name", lang), "rows": rows})
    scaled = framework.level_scale() is not None
    area_means = [
        (area, framework.mean_label(cur) if scaled else cur, framework.mean_label(prev) if scaled else prev)
        for area, cur, prev in picture["areas"]
    ]
    ctx.update({"assessment": assessment, "area_rows": area_rows, "top": top, "area_means": area_means})
    # the perspectives compared (docs/perspectives.md): only published ones, when there are others
    compared = comparison.compare(unit=unit, round=rnd)
    if len(compared.columns) > 1:
        ctx["perspectives"] = compared
        ctx["perspectives_radar"] = comparison.radar(compared, lang=lang, framework=framework)
        ctx["perspective_levels"] = {
            n: (label, level_style(n, top)) for n in range(1, top + 1) for label in [framework.level_label(n)]
        }
        ctx["perspective_gap"] = comparison.GAP
    plan = ActionPlan.objects.filter(unit=unit, round=rnd).first()
    if plan is not None:
        actions = list(
            plan.actions.select_related("indicator").prefetch_related("notes").order_by("priority", "due_date", "id")
        )
        ctx["plan"] = plan
        ctx["plan_has_actions"] = bool(actions)
        ctx["plan_groups"] = [
            (label, [a for a in actions if a.status == value]) for value, label in Action.Status.choices
        ]
    return ctx


# --- the board report ---------------------------------------------------------------------


def board_report_context(*, organizer, access, round, lang):
    """The board's report for a round: the digital maturity index (0-100, docs/maturity.md)
    with its trend over the last rounds on the same framework lineage, per area against the
    round before on that lineage and per district, the top priorities in the units' action
    plans, and who has published. Every figure says how many of the round's units it rests on
    and is marked partial below ``STEGVIS_COMPLETE_SHARE``; the change since the round before
    is over the units with a figure in both (like with like). Priorities and publication cover
    only the units the user may see (a district lead: the district) among the round's units."""
    lang = ui_language(lang or "sv")
    framework = Framework.objects.get(pk=round.framework_id)
    top = framework.level_count
    earlier = [
        r
        for r in Round.objects.filter(organizer=organizer, opens_on__lte=round.opens_on)
        .select_related("framework")
        .order_by("-opens_on", "-id")
        if r.pk == round.pk or (r.opens_on, r.pk) < (round.opens_on, round.pk)
    ]
    rounds = [round, *[r for r in same_lineage(started(earlier), round) if r.pk != round.pk]][:TREND_ROUNDS]

    # the maturity index: the same figures and charts as the maturity page
    trend = comparisons.trend(organizer=organizer, access=access, rounds=rounds)
    trend_chart = comparisons.line_chart(
        title=_("Digital maturity over rounds, %(organizer)s (0–100)") % {"organizer": organizer.name},
        labels=[r.name for r in trend["rounds"]],
        series=trend["series"],
        partial=trend["partial"],
    )
    # the key figure: the organiser's index, or a district lead's (single) district's
    own = len(trend["districts"]) == 1 and not access.can_read_all_units

    def key(row):
        return row["districts"][0]["value"] if own else row["total"]

    def coverage(row):
        if row is None:
            return None
        found = row["districts"][0] if own else row
        return {"units": found["units"], "of": found["of"], "partial": found["partial"]}

    current = next((row for row in trend["rows"] if row["round"].pk == round.pk), None)
    before = [row for row in trend["rows"] if row["round"].pk != round.pk and key(row) is not None]
    previous = before[-1] if before else None
    figure = key(current) if current else None
    previous_figure = key(previous) if previous else None
    change = None
    if figure is not None and previous_figure is not None:
        change = comparisons.change_between(
            organizer=organizer,
            current=round,
            previous=previous["round"],
            district_id=trend["districts"][0][0] if own else None,
        )
    area_rows = [
        (
            bilingual(area, "name", lang),
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

    units = access.visible_units(round_units(round=round))
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
                    "title": bilingual(ind, "title", lang),
                    "area": bilingual(ind.area, "name", lang),
                    "units": n_units,
                    "p1": p1,
                }
            )
    open_actions = Action.objects.filter(
        organizer=organizer, unit__in=units, plan__round=round, status__in=Action.OPEN_STATUSES
    ).count()

    statuses = publication.unit_statuses(
        organizer=organizer,
        round=round,
        unit_ids=None if access.can_read_all_units else units.values_list("pk", flat=True),
    )
    districts = {}
    for unit_id, district in units.values_list("pk", "district__name"):
        row = districts.setdefault(district or _("No district"), {"units": 0, "published": 0, "draft": 0})
        row["units"] += 1
        st = statuses[unit_id].status
        if st == publication.PUBLISHED:
            row["published"] += 1
        elif st == publication.DRAFT:
            row["draft"] += 1
    publication_rows = []
    for name in sorted(districts):
        row = districts[name]
        publication_rows.append(
            {
                "district": name,
                **row,
                "not_started": row["units"] - row["published"] - row["draft"],
                "share": _percent(row["published"], row["units"]),
            }
        )
    totals = {k: sum(r[k] for r in publication_rows) for k in ("units", "published", "draft", "not_started")}
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
        # the trend table: round, total, units, national, one column per area and district
        "trend_many_columns": len(trend["areas"]) + len(trend["districts"]) + 4 > TABLE_COLUMNS,
        "current": current,
        "previous": previous,
        "change": change,
        "figure": figure,
        "coverage": coverage(current),
        "previous_figure": previous_figure,
        "previous_coverage": coverage(previous),
        "figure_name": trend["districts"][0][1] if own else organizer.name,
        "area_rows": area_rows,
        "area_chart": area_chart,
        "district_figures": district_figures,
        "priorities": priorities,
        "open_actions": open_actions,
        "publication": publication_rows,
        "totals": totals,
        "district_only": not access.can_read_all_units,
    }


def _percent(part, whole):
    return int(numbers.rounded(100 * part / whole)) if whole else 0


# --- PDF --------------------------------------------------------------------------------


def unit_report_pdf(*, unit, lang, request=None, withheld=frozenset()):
    return render_pdf(
        template="exports/report_unit_pdf.html",
        context=unit_report_context(unit=unit, lang=lang, withheld=withheld),
        request=request,
    )


def board_report_pdf(*, organizer, access, round, lang):
    ctx = board_report_context(organizer=organizer, access=access, round=round, lang=lang)
    return render_pdf(template="exports/report_board_pdf.html", context=ctx)
