"""The goals pages: the list with status and follow-up, a goal with its trend, setting a goal
from the library, the library (docs/goals.md)."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.core import charts, numbers
from stegvis.core.csvutil import safe_cell
from stegvis.core.i18n import ui_language
from stegvis.maturity.comparisons import line_chart
from stegvis.planning.models import Action

from . import domain, forms, library, plans, progress, values
from .models import CertificationRule, Goal, GoalValue, Measure

PERCENT = {
    Measure.SHARE_AT_LEVEL,
    Measure.ACTIONS_DONE,
    Measure.UNITS_PUBLISHED,
    Measure.UNITS_CERTIFIED,
    Measure.SURVEY_POSITIVE,
}
RESTS_ON_UNITS = {Measure.SHARE_AT_LEVEL, Measure.MEAN_LEVEL, Measure.MATURITY_INDEX}


def rests_on(goal, base):
    """What a value rests on, in words: "17 units", "5 actions"."""
    if goal.measure == Measure.ACTIONS_DONE:
        return ngettext("%(n)s action", "%(n)s actions", base) % {"n": base}
    if goal.measure == Measure.SURVEY_POSITIVE:
        return ngettext("%(n)s response", "%(n)s responses", base) % {"n": base}
    return ngettext("%(n)s unit", "%(n)s units", base) % {"n": base}


def figure(goal, value):
    """A goal's value as it is written: "62 %", "2,8", "71" (index)."""
    if value is None:
        return "–"
    if goal.measure == Measure.MEAN_LEVEL:
        return numbers.figure(value, numbers.LEVEL_DIGITS)
    text = numbers.figure(value, numbers.INDEX_DIGITS)
    return f"{text} %" if goal.measure in PERCENT else text


def _goals(request):
    """The goals the user may read, sub-goals after their goal, values current."""
    organizer, access = request.organizer, request.access
    goals = [
        g
        for g in Goal.objects.filter(organizer=organizer).select_related(
            "district", "unit", "owner", "baseline_round", "parent"
        )
        if access.can_read_goal(g)
    ]
    values.ensure_fresh(
        organizer=organizer, rounds=[r for r in values.organizer_rounds(organizer) if not r.is_upcoming]
    )
    return goals


def _rows(goals, by_goal):
    today = timezone.localdate()
    rows = []
    for goal in goals:
        vals = by_goal.get(goal.pk, [])
        last = progress.latest(vals)
        state = progress.status(goal, vals, today)
        rows.append(
            {
                "goal": goal,
                "values": vals,
                "latest": last,
                "latest_text": figure(goal, last.value if last else None),
                "baseline_text": figure(goal, goal.baseline_value),
                "target_text": figure(goal, goal.target_value),
                "status": state,
                "status_label": progress.LABELS[state],
                "rests_on": rests_on(goal, last.base) if last else "",
            }
        )
    order = {g.pk: i for i, g in enumerate(goals)}
    return sorted(
        rows, key=lambda r: (order.get(r["goal"].parent_id, order[r["goal"].pk]), r["goal"].parent_id is not None)
    )


def goal_list(request):
    request.access.require(request.access.can_read_goals)
    goals = _goals(request)
    status_filter = request.GET.get("status", "")
    scope_filter = request.GET.get("scope", "")
    rows = _rows(goals, values.values_by_goal(organizer=request.organizer, goals=goals))
    if scope_filter in Goal.Scope.values:
        rows = [r for r in rows if r["goal"].scope == scope_filter]
    if status_filter in progress.LABELS:
        rows = [r for r in rows if r["status"] == status_filter]
    return render(
        request,
        "goals/goal_list.html",
        {
            "rows": rows,
            "statuses": progress.LABELS.items(),
            "scopes": Goal.Scope.choices,
            "status_filter": status_filter,
            "scope_filter": scope_filter,
            "can_set": request.access.can_set_any_goal,
            "query": request.GET.urlencode(),
            # local digital plans (docs/digital-plans.md): how many units have adopted one this year
            "digital_plans": plans.adopted_this_year(organizer=request.organizer, access=request.access),
        },
    )


def goals_export(request):
    """The goals with baseline, target, latest value and status, as CSV."""
    request.access.require(request.access.can_read_goals)
    goals = _goals(request)
    rows = _rows(goals, values.values_by_goal(organizer=request.organizer, goals=goals))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="goals-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Goal"),
            _("Sub-goal of"),
            _("Whose goal"),
            _("Measure"),
            _("Baseline"),
            _("Latest"),
            _("Round"),
            _("Rests on"),
            _("Target"),
            _("Target date"),
            _("Status"),
            _("Owner"),
        ]
    )
    for r in rows:
        g = r["goal"]
        writer.writerow(
            [
                safe_cell(g.title),
                safe_cell(g.parent.title if g.parent_id else ""),
                safe_cell(_scope_text(g)),
                g.get_measure_display(),
                r["baseline_text"],
                r["latest_text"],
                safe_cell(r["latest"].round.name if r["latest"] else ""),
                r["latest"].base if r["latest"] else 0,
                r["target_text"],
                g.target_date.isoformat(),
                str(r["status_label"]),
                safe_cell(g.owner.display_name if g.owner else ""),
            ]
        )
    return response


def _scope_text(goal):
    if goal.scope == Goal.Scope.DISTRICT and goal.district:
        return goal.district.name
    if goal.scope == Goal.Scope.UNIT and goal.unit:
        return goal.unit.name
    return _("The whole organiser")


def _goal(request, goal_id):
    goal = get_object_or_404(
        Goal.objects.select_related("district", "unit", "owner", "baseline_round", "parent"),
        organizer=request.organizer,
        pk=goal_id,
    )
    if not request.access.can_read_goal(goal):
        raise Http404
    return goal


def _may_change(request, goal):
    return request.access.can_set_goal(scope=goal.scope, district=goal.district, unit=goal.unit)


def goal_detail(request, goal_id):
    goal = _goal(request, goal_id)
    values.ensure_fresh(
        organizer=request.organizer, rounds=[r for r in values.organizer_rounds(request.organizer) if not r.is_upcoming]
    )
    vals = values.values_by_goal(organizer=request.organizer, goals=[goal])[goal.pk]
    state = progress.status(goal, vals)
    max_value = 100 if goal.measure != Measure.MEAN_LEVEL else (goal.baseline_round.framework.level_count or 4)
    series = [
        charts.Series(_("Value"), [v.value for v in vals], "current"),
        charts.Series(_("Target"), [goal.target_value for _v in vals], "previous"),
    ]
    partial = [i for i, v in enumerate(vals) if goal.measure in RESTS_ON_UNITS and v.base < v.of]
    chart = (
        line_chart(
            title=goal.title, labels=[v.round.name for v in vals], series=series, max_value=max_value, partial=partial
        )
        if vals
        else ""
    )
    subgoals = list(goal.subgoals.all())
    sub_rows = _rows(subgoals, values.values_by_goal(organizer=request.organizer, goals=subgoals)) if subgoals else []
    actions_form = None
    if goal.scope == Goal.Scope.UNIT and _may_change(request, goal):
        actions_form = forms.ActionsForm(
            initial={"actions": goal.actions.all()},
            actions=Action.objects.filter(organizer=request.organizer, plan__unit=goal.unit).select_related(
                "plan__round"
            ),
        )
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "scope_text": _scope_text(goal),
            "rows": [
                {
                    "value": v,
                    "text": figure(goal, v.value),
                    "expected": figure(goal, progress.expected_at(goal, v.round.opens_on)),
                    "rests_on": rests_on(goal, v.base)
                    if goal.measure in (Measure.ACTIONS_DONE, Measure.SURVEY_POSITIVE)
                    else _("%(n)s of %(of)s units") % {"n": v.base, "of": v.of},
                }
                for v in vals
            ],
            "status": state,
            "status_label": progress.LABELS[state],
            "baseline_text": figure(goal, goal.baseline_value),
            "baseline_rests_on": rests_on(goal, goal.baseline_base),
            "target_text": figure(goal, goal.target_value),
            "chart": chart,
            "series": series,
            "subgoals": sub_rows,
            "may_change": _may_change(request, goal),
            "actions": goal.actions.select_related("plan__round") if goal.scope == Goal.Scope.UNIT else [],
            "actions_form": actions_form,
            "initiatives": [
                link.initiative
                for link in goal.initiative_links.select_related("initiative").order_by("-initiative__starts_on")
            ],
        },
    )


def goal_new(request):
    access = request.access
    template = library.find(request.organizer, request.GET.get("template", "")) if request.method == "GET" else None
    initial = {}
    if template:
        initial = {
            "title": template.title(ui_language()),
            "measure": template.measure,
            "indicator_code": template.indicator_code,
            "area_key": template.area_key,
            "level": template.level,
            "respondent_group": template.respondent_group,
            "question_key": template.question_key,
            "target_value": template.target_value,
        }
        if template.measure == Measure.UNITS_CERTIFIED:
            initial["certification_rule"] = (
                CertificationRule.objects.filter(organizer=request.organizer, active=True).order_by("id").first()
            )
    if request.GET.get("parent"):
        parent = Goal.objects.filter(organizer=request.organizer, pk=request.GET["parent"]).first()
        if parent:
            initial.update(parent=parent, scope=parent.scope, district=parent.district, unit=parent.unit)
    if request.GET.get("initiative", "").isdigit():  # "set a goal for it" on an initiative's page
        initial["initiatives"] = [int(request.GET["initiative"])]
    form = forms.GoalForm(request.POST or None, initial=initial, organizer=request.organizer, access=access)
    access.require(access.can_set_any_goal)
    if request.method == "POST" and form.is_valid():
        goal = domain.set_goal(organizer=request.organizer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The goal is set; its baseline is computed from the round you chose."))
        return redirect("goal", request.organizer.slug, goal.pk)
    return render(request, "goals/goal_form.html", {"form": form, "title": _("Set a goal"), "template": template})


def goal_edit(request, goal_id):
    goal = _goal(request, goal_id)
    request.access.require(_may_change(request, goal))
    form = forms.GoalForm(request.POST or None, instance=goal, organizer=request.organizer, access=request.access)
    if request.method == "POST" and form.is_valid():
        domain.update_goal(goal=goal, by=request.user, **form.cleaned_data)
        messages.success(request, _("The goal is saved."))
        return redirect("goal", request.organizer.slug, goal.pk)
    return render(request, "goals/goal_form.html", {"form": form, "title": _("Change the goal"), "goal": goal})


def goal_delete(request, goal_id):
    goal = _goal(request, goal_id)
    request.access.require(_may_change(request, goal))
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        domain.delete_goal(goal=goal, by=request.user)
        messages.success(request, _("The goal is deleted."))
        return redirect("goals", request.organizer.slug)
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Delete the goal “%(title)s”?") % {"title": goal.title},
            "consequences": [_("The goal, its sub-goals and their follow-up comments are deleted.")],
            "action": request.path,
            "fields": {},
            "submit_label": _("Delete the goal"),
            "cancel_url": f"/{request.organizer.slug}/goals/{goal.pk}/",
            "danger": True,
        },
    )


def goal_comment(request, goal_id, round_id):
    goal = _goal(request, goal_id)
    request.access.require(_may_change(request, goal))
    if request.method != "POST":
        return redirect("goal", request.organizer.slug, goal.pk)
    value = get_object_or_404(GoalValue, organizer=request.organizer, goal=goal, round_id=round_id)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        domain.comment_follow_up(value=value, by=request.user, text=form.cleaned_data["comment"])
        messages.success(request, _("The follow-up comment is saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("goal", request.organizer.slug, goal.pk)


def goal_actions(request, goal_id):
    goal = _goal(request, goal_id)
    request.access.require(_may_change(request, goal) and goal.scope == Goal.Scope.UNIT)
    if request.method == "POST":
        form = forms.ActionsForm(
            request.POST, actions=Action.objects.filter(organizer=request.organizer, plan__unit=goal.unit)
        )
        if form.is_valid():
            domain.link_actions(goal=goal, actions=form.cleaned_data["actions"], by=request.user)
            messages.success(request, _("The goal's actions are saved."))
    return redirect("goal", request.organizer.slug, goal.pk)


def goal_library(request):
    request.access.require(request.access.can_read_goals)
    lang = ui_language()
    form = forms.TemplateForm(request.POST or None, organizer=request.organizer)
    if request.method == "POST":
        request.access.require(request.access.can_manage)
        if form.is_valid():
            domain.add_template(organizer=request.organizer, by=request.user, **form.cleaned_data)
            messages.success(request, _("The goal is added to your library."))
            return redirect("goal_library", request.organizer.slug)
    templates = [
        {"template": t, "title": t.title(lang), "measure": dict(Measure.choices)[t.measure], "own": t.organizer_id}
        for t in library.templates_for(request.organizer)
    ]
    return render(request, "goals/library.html", {"templates": templates, "form": form})
