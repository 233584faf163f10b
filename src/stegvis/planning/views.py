from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.assessments import comparison
from stegvis.assessments import domain as assessments
from stegvis.assessments.perspectives import rounds_withheld
from stegvis.assessments.views import get_assessment
from stegvis.core.i18n import ui_language
from stegvis.frameworks.models import Activity, localized_text
from stegvis.organisations.access import people_of
from stegvis.surveys import results as survey_results

from . import domain, outcomes
from .forms import ActionForm, NoteForm
from .models import Action, ActionPlan


def get_plan(request, plan_id, capability="read"):
    plan = get_object_or_404(
        ActionPlan.objects.select_related("unit", "round__framework", "assessment"),
        organizer=request.organizer,
        pk=plan_id,
    )
    request.access.require_unit(plan.unit, capability)
    return plan


def get_action(request, action_id, capability="read"):
    action = get_object_or_404(
        Action.objects.select_related(
            "plan__round__framework", "unit", "indicator", "activity", "carried_from__plan__round", "owner_user"
        ),
        organizer=request.organizer,
        pk=action_id,
    )
    request.access.require_unit(action.unit, capability)
    return action


@require_POST
def assessment_publish(request, assessment_id):
    """Publishing asks first (a confirmation page that says what follows, no JavaScript needed);
    the confirmation posts again with ``confirmed=yes``. A draft that cannot be published yet
    gets the reason at once."""
    assessment = get_assessment(request, assessment_id, "assess")
    if request.POST.get("confirmed") != "yes" and assessment.is_draft and assessment.round.is_open:
        answered, total = assessments.progress(assessment=assessment)
        if answered == total:
            return _publish_confirmation(request, assessment)
    try:
        published, plan = domain.publish(assessment=assessment, by=request.user)
    except assessments.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment", organizer_slug=request.organizer.slug, assessment_id=assessment.pk)
    if published:
        messages.success(request, _("The assessment is published. Here is the unit's action plan."))
    else:
        messages.info(request, _("The assessment was already published."))
    if plan:
        return redirect("plan", organizer_slug=request.organizer.slug, plan_id=plan.pk)
    return redirect("assessment", organizer_slug=request.organizer.slug, assessment_id=assessment.pk)


def _publish_confirmation(request, assessment):
    unit, rnd = assessment.unit, assessment.round
    has_optional = assessments.applicable_indicators(framework=rnd.framework, unit=unit).filter(optional=True).exists()
    if assessment.group_id:  # another perspective's: no plan of its own (docs/perspectives.md)
        consequences = [
            _("Version %(version)s becomes read-only. To change an answer later, you start a new version.")
            % {"version": assessment.version},
            _(
                "The principal and the unit's other perspectives see your levels beside theirs on the comparison page, once they have published too."
            ),
        ]
        return _confirm(request, assessment, consequences, has_optional)
    consequences = [
        _("Version %(version)s becomes read-only. To change an answer later, you start a new version.")
        % {"version": assessment.version},
        _(
            "%(unit)s gets its action plan for %(round)s, with suggested activities for every indicator below the top level."
        )
        % {"unit": unit.name, "round": rnd.name},
        _("Actions that are still open in the unit's previous action plan are carried over to the new one."),
        _("The organiser sees the published answers in the overview and in the digital maturity figures."),
    ]
    return _confirm(request, assessment, consequences, has_optional)


def _confirm(request, assessment, consequences, has_optional):
    unit = assessment.unit
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Publish the assessment of %(unit)s?") % {"unit": unit.name},
            "intro": _("Every required indicator is answered.") if has_optional else _("Every indicator is answered."),
            "consequences": consequences,
            "action": reverse("assessment_publish", args=[request.organizer.slug, assessment.pk]),
            "fields": {},
            "submit_label": _("Publish the assessment"),
            "cancel_url": reverse("assessment", args=[request.organizer.slug, assessment.pk]),
        },
    )


def plan_detail(request, plan_id):
    plan = get_plan(request, plan_id)
    if plan.round_id in rounds_withheld(request.access, plan.unit):
        # an assessor whose group has not published: the plan rests on the principal's levels
        ctx = {"unit": plan.unit, "round": plan.round}
        return render(request, "planning/plan_withheld.html", ctx, status=403)
    actions = list(
        plan.actions.select_related("indicator", "carried_from__plan__round", "owner_user")
        .prefetch_related("notes")
        .order_by("priority", "due_date", "id")
    )
    by_status = [(value, label, [a for a in actions if a.status == value]) for value, label in Action.Status.choices]
    planned_activity_ids = {a.activity_id for a in actions if a.activity_id}
    actions_by_indicator = {}
    for a in actions:
        if a.indicator_id:
            actions_by_indicator.setdefault(a.indicator_id, []).append(a)
    suggestions = domain.suggestions(plan=plan)
    lang, preschool = ui_language(), plan.unit.is_preschool_only
    framework = plan.round.framework
    for _indicator, _level, activities in suggestions:
        for act in activities:
            act.text = localized_text(act, "description", preschool=preschool, lang=lang)
    # what works (docs/what-works.md): the figures computed by the goals room's job, one query
    outcome_lines = outcomes.plan_lines(
        organizer=request.organizer, activity_ids=[a.pk for _i, _l, acts in suggestions for a in acts]
    )
    lower, top_gaps = _perspective_gaps(request, plan, suggestions)
    return render(
        request,
        "planning/plan_detail.html",
        {
            "lower_views": lower,
            "top_gaps": top_gaps,
            "plan": plan,
            "unit": plan.unit,
            "round": plan.round,
            "by_status": by_status,
            "actions": actions,
            "suggestions": suggestions,
            "planned_activity_ids": planned_activity_ids,
            "actions_by_indicator": actions_by_indicator,
            "can_plan": request.access.can_plan(plan.unit),
            "today": timezone.localdate(),
            "level_count": framework.level_count,
            "levels": {n: (label, name, css) for n, label, name, css in framework.levels(lang)},
            "has_activities": Activity.objects.filter(indicator__framework=framework).exists(),
            "back_url": _back_to_overview(request),
            # surveys (issue 12): where staff or pupils see the unit much lower than the principal
            "survey_flags": survey_results.flags(unit=plan.unit, round=plan.round, access=request.access),
            "outcome_lines": outcome_lines,
            "outcome_k": outcomes.min_units(request.organizer),
        },
    )


def _perspective_gaps(request, plan, suggestions):
    """Where another published perspective sees the unit lower than the principal: {indicator
    id: [(label, level)]}, and those indicators that have no suggestion (at the top level),
    as [(indicator, [(label, level)])] (docs/perspectives.md). Three queries."""
    comp = comparison.compare(unit=plan.unit, round=plan.round, notes=False)
    if not request.access.sees_other_perspectives(plan.unit, plan.round, {c.key for c in comp.columns}):
        return {}, []
    lower = comparison.lower_views(comp)
    suggested = {indicator.pk for indicator, _level, _activities in suggestions}
    top = [(row.indicator, lower[row.indicator.pk]) for row in comp.rows if row.indicator.pk in lower]
    return lower, [(ind, seen) for ind, seen in top if ind.pk not in suggested]


def _back_to_overview(request):
    """The overview page (with its filters) the user came from, if a link brought it along."""
    back = request.GET.get("back", "")
    prefix = reverse("overview", args=[request.organizer.slug])
    if back.startswith(prefix) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return None


def _indicators(plan):
    return assessments.applicable_indicators(framework=plan.round.framework, unit=plan.unit)


def _suggested_activity(request, plan):
    """The suggested activity ``?activity=<id>`` (or the posted field) names, if any; 404 for an
    id that is not a number or not an activity of the plan's framework."""
    wanted = request.GET.get("activity") or request.POST.get("activity")
    if not wanted:
        return None
    try:
        pk = int(wanted)
    except ValueError:
        raise Http404("No such activity.") from None
    return get_object_or_404(
        Activity.objects.select_related("indicator"), indicator__framework=plan.round.framework, pk=pk
    )


def action_new(request, plan_id):
    plan = get_plan(request, plan_id, "plan")
    activity = _suggested_activity(request, plan)
    initial = {}
    if activity:
        lang = ui_language()
        initial = {
            "title": localized_text(activity, "title", lang=lang),
            "description": localized_text(activity, "description", preschool=plan.unit.is_preschool_only, lang=lang),
            "indicator": activity.indicator,
        }
    elif request.method == "GET" and request.GET.get("indicator", "").isdigit():
        # "Add an action" on a plan row without suggestions: the row's indicator, if it applies
        initial = {"indicator": _indicators(plan).filter(pk=request.GET["indicator"]).first()}
    form = ActionForm(
        request.POST or None,
        initial=initial,
        indicators=_indicators(plan),
        with_status=False,
        preschool=plan.unit.is_preschool_only,
        owner_users=people_of(request.organizer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = domain.add_action(
            plan=plan,
            by=request.user,
            title=data["title"],
            description=data["description"],
            priority=data["priority"],
            owner=data["owner"],
            owner_user=data["owner_user"],
            due_date=data["due_date"],
            indicator=data["indicator"],
            activity=activity,
        )
        messages.success(request, _("The action “%(title)s” is planned.") % {"title": action.title})
        return redirect("plan", organizer_slug=request.organizer.slug, plan_id=plan.pk)
    return render(
        request,
        "planning/action_form.html",
        {
            "form": form,
            "plan": plan,
            "unit": plan.unit,
            "activity": activity,
            "activity_level": plan.round.framework.level_label(activity.to_level) if activity else "",
            "title": _("Plan an action") if activity else _("Add your own action"),
        },
    )


def action_edit(request, action_id):
    action = get_action(request, action_id)
    can_plan = request.access.can_plan(action.unit)
    if request.method == "POST" and not can_plan:
        request.access.require(False)
    form = ActionForm(
        request.POST or None,
        instance=action,
        indicators=_indicators(action.plan),
        with_status=True,
        preschool=action.unit.is_preschool_only,
        owner_users=people_of(request.organizer),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            k: data[k]
            for k in ["title", "description", "indicator", "priority", "owner", "owner_user", "due_date", "status"]
        }
        try:
            domain.update_action(action=action, by=request.user, expected_revision=data["revision"], **fields)
        except domain.Conflict as exc:
            conflict = exc
            # What the user typed stays in the form; with the saved revision in it, saving
            # again replaces the other save knowingly (the saved version is shown above).
            form.data = form.data.copy()
            form.data["revision"] = exc.current.revision
        else:
            messages.success(request, _("Saved."))
            return redirect("plan", organizer_slug=request.organizer.slug, plan_id=action.plan_id)
    return render(
        request,
        "planning/action_edit.html",
        {
            "form": form,
            "action": action,
            "plan": action.plan,
            "unit": action.unit,
            "can_plan": can_plan,
            "conflict": conflict,
            "notes": action.notes.select_related("author"),
            "note_form": NoteForm(initial={"date": timezone.localdate()}),
        },
    )


@require_POST
def note_add(request, action_id):
    action = get_action(request, action_id, "plan")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            domain.add_note(
                action=action, by=request.user, date=form.cleaned_data["date"], text=form.cleaned_data["text"]
            )
        except domain.PlanningError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("The note is saved."))
            return redirect("action_edit", organizer_slug=request.organizer.slug, action_id=action.pk)
    return render(
        request,
        "planning/action_edit.html",
        {
            "form": ActionForm(
                instance=action,
                indicators=_indicators(action.plan),
                with_status=True,
                preschool=action.unit.is_preschool_only,
            ),
            "action": action,
            "plan": action.plan,
            "unit": action.unit,
            "can_plan": True,
            "notes": action.notes.select_related("author"),
            "note_form": form,
        },
        status=400,
    )
