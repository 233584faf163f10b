"""Measurable goals on a competence-development initiative (docs/development.md, "Measurable
goals"; docs/goals.md). Goals stands above development, so the link (``GoalInitiative``) lives
here and the initiative's pages show it through slots (``core.slots``) filled in
``GoalsConfig.ready``:

  initiative_goals   the initiative's page, under its stated goals: the linked goals with their
                     latest value, target, status and the value per round; for who may link, a
                     form to link another goal (or set a new one) and a button to remove a link
  initiative_report  the evaluation's results page and the board's PDF: the same figures, no forms
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from stegvis.core import forms as core_forms
from stegvis.development.models import Initiative

from . import domain, values
from .models import Goal, GoalInitiative
from .views import _rows, figure, rests_on  # the goals list's own rows and figures


def linked_rows(*, request, initiative):
    """The goals linked to the initiative that the reader may read, each with its figures
    (latest value and round, what it rests on, target, status, the value in each round)."""
    access = request.access
    links = [
        link
        for link in GoalInitiative.objects.filter(organizer=initiative.organizer, initiative=initiative)
        .select_related("goal__district", "goal__unit", "goal__baseline_round", "goal__parent")
        .order_by("goal__target_date", "goal_id")
        if access.can_read_goal(link.goal)
    ]
    if not links:
        return []
    organizer = initiative.organizer
    values.ensure_fresh(
        organizer=organizer, rounds=[r for r in values.organizer_rounds(organizer) if not r.is_upcoming]
    )
    goals = [link.goal for link in links]
    rows = _rows(goals, values.values_by_goal(organizer=organizer, goals=goals))
    by_goal = {link.goal_id: link for link in links}
    for row in rows:
        goal = row["goal"]
        row["link"] = by_goal[goal.pk]
        row["may_unlink"] = access.can_link_initiative_goal(initiative=initiative, goal=goal)
        measured = [v for v in row["values"] if v.value is not None]
        row["trend"] = [{"round": v.round.name, "text": figure(goal, v.value)} for v in measured]
        row["rests_on"] = rests_on(goal, row["latest"].base) if row["latest"] else ""
        row["direction"] = _direction(measured)
    return rows


def _direction(measured):
    """ "up", "down" or "same" from the round before the latest to the latest; "" with one value."""
    if len(measured) < 2:
        return ""
    before, last = measured[-2].value, measured[-1].value
    return "up" if last > before else "down" if last < before else "same"


def _linkable(request, initiative, linked_ids):
    """The goals of the organiser that the user may link to the initiative, not linked yet."""
    return [
        g
        for g in Goal.objects.filter(organizer=initiative.organizer)
        .exclude(pk__in=linked_ids)
        .select_related("district", "unit", "parent")
        .order_by("title", "pk")
        if request.access.can_link_initiative_goal(initiative=initiative, goal=g)
    ]


class LinkGoalForm(core_forms.Form):
    goal = forms.ModelChoiceField(label=_("Measurable goal"), queryset=Goal.objects.none())

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(pk__in=[g.pk for g in goals])
        self.fields["goal"].label_from_instance = lambda g: g.title


def initiative_panel(*, request, initiative):
    """The slot ``initiative_goals``: the linked goals and, for who may link, the form."""
    rows = linked_rows(request=request, initiative=initiative)
    owner = request.access.can_own_initiative(initiative)
    linkable = _linkable(request, initiative, [r["goal"].pk for r in rows]) if owner else []
    return render_to_string(
        "goals/initiative_goals.html",
        {
            "rows": rows,
            "initiative": initiative,
            "owner": owner,
            "form": LinkGoalForm(goals=linkable, prefix="measurable") if linkable else None,
            "can_set_goal": owner and request.access.can_set_any_goal,
            "report": False,
        },
        request=request,
    )


def initiative_report(*, request, initiative):
    """The slot ``initiative_report``: the linked goals' figures on the results page and the PDF."""
    rows = linked_rows(request=request, initiative=initiative)
    if not rows:
        return ""
    return render_to_string(
        "goals/initiative_goals.html", {"rows": rows, "initiative": initiative, "report": True}, request=request
    )


# -- the views: link and unlink from the initiative's page ------------------------------------------


def _back(initiative):
    return redirect(f"/{initiative.organizer.slug}/development/{initiative.pk}/#measurable-goals")


@require_POST
def link_goal(request, initiative_id):
    """Link one of the organiser's goals to the initiative (its owners, a goal they read)."""
    request.access.require(request.access.can_read_development)
    initiative = get_object_or_404(Initiative, organizer=request.organizer, pk=initiative_id)
    request.access.require(request.access.can_own_initiative(initiative))
    linked = GoalInitiative.objects.filter(initiative=initiative).values_list("goal_id", flat=True)
    form = LinkGoalForm(request.POST, goals=_linkable(request, initiative, linked), prefix="measurable")
    if form.is_valid():
        domain.link_initiative(goal=form.cleaned_data["goal"], initiative=initiative, by=request.user)
        messages.success(request, _("The goal is linked; its figures are shown with the initiative."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{_('Measurable goal')}: {error}")
    return _back(initiative)


@require_POST
def unlink_goal(request, goal_initiative_id):
    """Remove a goal's link to an initiative (who may link it)."""
    request.access.require(request.access.can_read_development)
    link = get_object_or_404(
        GoalInitiative.objects.select_related("goal__district", "goal__unit", "initiative", "organizer"),
        organizer=request.organizer,
        pk=goal_initiative_id,
    )
    if not request.access.can_read_goal(link.goal):  # a goal one may not read is not there
        raise Http404
    request.access.require(request.access.can_link_initiative_goal(initiative=link.initiative, goal=link.goal))
    domain.unlink_initiative(link=link, by=request.user)
    messages.success(request, _("The link to the goal is removed."))
    return _back(link.initiative)
