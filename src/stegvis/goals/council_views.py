"""The council indicator's page, its board PDF and the form that chooses it (docs/goals.md)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stegvis.core import charts
from stegvis.core.i18n import ui_language
from stegvis.core.pdf import pdf_download, render_pdf
from stegvis.maturity.comparisons import line_chart

from . import council, progress, values
from .certification_forms import CouncilForm
from .models import Measure
from .views import _rows, _scope_text, figure, rests_on


def _context(request):
    organizer = request.organizer
    indicator = council.indicator_of(organizer)
    goal = council.as_goal(indicator)
    points = council.series(indicator)
    rows = [
        {
            "round": rnd,
            "text": figure(goal, value),
            "rests_on": rests_on(goal, base)
            if goal.measure in (Measure.ACTIONS_DONE, Measure.SURVEY_POSITIVE)
            else _("%(n)s of %(of)s units") % {"n": base, "of": of},
            "partial": goal.measure != Measure.SURVEY_POSITIVE and base < of,
        }
        for rnd, value, base, of in points
    ]
    top = 100
    if indicator.measure == Measure.MEAN_LEVEL and points:
        top = points[-1][0].framework.level_count or 4
    series = [charts.Series(str(indicator.get_measure_display()), [p[1] for p in points], "current")]
    if indicator.target_value is not None:
        series.append(charts.Series(_("Target"), [indicator.target_value for _p in points], "previous"))
    chart = (
        line_chart(
            title=indicator.title or str(indicator.get_measure_display()),
            labels=[p[0].name for p in points],
            series=series,
            max_value=top,
            partial=[i for i, r in enumerate(rows) if r["partial"]],
        )
        if points
        else ""
    )
    goals = [g for g in council.feeding_goals(indicator) if request.access.can_read_goal(g)]
    values.ensure_fresh(organizer=organizer, rounds=[p[0] for p in points])
    goal_rows = _rows(goals, values.values_by_goal(organizer=organizer, goals=goals)) if goals else []
    for row in goal_rows:
        row["scope_text"] = _scope_text(row["goal"])
    return {
        "indicator": indicator,
        "what": _what(indicator),
        "rows": rows,
        "chart": chart,
        "series": series,
        "goal_rows": goal_rows,
        "target_text": figure(goal, indicator.target_value),
        "statuses": progress.LABELS,
        "generated_at": timezone.localtime(),
        "lang": ui_language(),
    }


def _what(indicator):
    """The measure with what it is taken on, in words."""
    parts = [str(indicator.get_measure_display())]
    if indicator.indicator_code:
        parts.append(_("indicator %(code)s") % {"code": indicator.indicator_code})
    if indicator.area_key:
        parts.append(_("area %(key)s") % {"key": indicator.area_key})
    if indicator.level:
        parts.append(_("level %(n)s or above") % {"n": indicator.level})
    if indicator.respondent_group:
        parts.append(_("respondent group %(group)s") % {"group": indicator.respondent_group})
    if indicator.question_key:
        parts.append(_("question %(key)s") % {"key": indicator.question_key})
    if indicator.certification_rule_id:
        parts.append(indicator.certification_rule.name)
    return ", ".join(parts)


def council_page(request):
    request.access.require(request.access.can_read_council_indicator)
    ctx = _context(request)
    ctx["can_set"] = request.access.can_set_council_indicator
    return render(request, "goals/council/page.html", ctx)


def council_pdf(request):
    """The board PDF: the indicator over the rounds with the goals that feed it. Small: served directly."""
    request.access.require(request.access.can_read_council_indicator)
    ctx = _context(request)
    ctx["organizer"] = request.organizer
    pdf = render_pdf(template="goals/council/board_pdf.html", context=ctx)
    name = slugify(request.organizer.slug) or "organiser"
    return pdf_download(pdf, filename=f"council-indicator-{name}-{timezone.localdate():%Y-%m-%d}.pdf")


def council_edit(request):
    request.access.require(request.access.can_set_council_indicator)
    current = council.indicator_of(request.organizer)
    form = CouncilForm(request.POST or None, instance=current, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        council.set_indicator(organizer=request.organizer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The council indicator is saved."))
        return redirect("council_indicator", request.organizer.slug)
    return render(request, "goals/council/form.html", {"form": form})
