"""Pages of competence development: thin views; rules asked of ``request.access``, changes made
by ``domain`` (docs/development.md)."""

import csv
import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.core.csvutil import safe_cell
from stegvis.core.i18n import ui_language
from stegvis.core.pdf import pdf_download, render_pdf
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Framework, Indicator
from stegvis.organisations import access as access_rules
from stegvis.organisations.models import Unit
from stegvis.planning.models import Action
from stegvis.surveys import custom as custom_surveys

from . import domain, forms, needs
from .models import Enrolment, Goal, Initiative, LinkedAction, Track, TrackChoice


def _data(request):
    return request.POST if request.method == "POST" else None


def _read(request):
    request.access.require(request.access.can_read_development)


def _initiative(request, initiative_id):
    _read(request)
    return get_object_or_404(
        Initiative.objects.select_related("owner_district", "owner_unit", "evaluation"),
        organizer=request.organizer,
        pk=initiative_id,
    )


def _owned(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    request.access.require(request.access.can_own_initiative(initiative))
    return initiative


def _my_enrolment(request, initiative):
    return Enrolment.objects.filter(organizer=request.organizer, initiative=initiative, user=request.user).first()


def _visible_unit_ids(request):
    return list(
        request.access.visible_units(Unit.objects.filter(organizer=request.organizer)).values_list("pk", flat=True)
    )


def _frameworks(organizer):
    return Framework.objects.filter(pk__in=Round.objects.filter(organizer=organizer).values("framework_id"))


def _back(initiative, anchor=""):
    return (
        redirect("initiative", initiative.organizer.slug, initiative.pk)
        if not anchor
        else redirect(f"/{initiative.organizer.slug}/development/{initiative.pk}/#{anchor}")
    )


# -- the list and one's own path ----------------------------------------------------------


def initiatives(request):
    """Every initiative of the organiser, filtered by status and a search word; CSV export."""
    _read(request)
    form = forms.InitiativeFilter(request.GET or None)
    rows = (
        Initiative.objects.filter(organizer=request.organizer)
        .select_related("owner_district", "owner_unit")
        .annotate(participants=Count("enrolments", distinct=True), track_count=Count("tracks", distinct=True))
    )
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            word = form.cleaned_data["q"]
            rows = rows.filter(Q(title__icontains=word) | Q(purpose__icontains=word))
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="initiatives-{request.organizer.slug}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [_("Title"), _("Status"), _("Starts"), _("Ends"), _("Budget (SEK)"), _("Participants"), _("Tracks")]
        )
        for i in rows:
            writer.writerow(
                [
                    safe_cell(i.title),
                    i.get_status_display(),
                    i.starts_on,
                    i.ends_on,
                    i.budget or "",
                    i.participants,
                    i.track_count,
                ]
            )
        return response
    return render(
        request,
        "development/initiative_list.html",
        {"initiatives": rows, "filter_form": form, "can_create": request.access.can_create_initiative},
    )


def mine(request):
    """Min kompetensutveckling: the initiatives the user takes part in, their tracks, and when an
    evaluation link was mailed to them (whether they answered is not known to Stegvis)."""
    _read(request)
    enrolments = list(
        Enrolment.objects.filter(organizer=request.organizer, user=request.user)
        .select_related("initiative", "initiative__evaluation")
        .order_by("-initiative__starts_on")
    )
    choices = {}
    for choice in (
        TrackChoice.objects.filter(enrolment__in=enrolments).select_related("track").order_by("track__starts_at")
    ):
        choices.setdefault(choice.enrolment_id, []).append(choice.track)
    rows = [{"enrolment": e, "initiative": e.initiative, "tracks": choices.get(e.pk, [])} for e in enrolments]
    open_ones = [
        i
        for i in Initiative.objects.filter(organizer=request.organizer, status=Initiative.Status.OPEN)
        .exclude(enrolments__user=request.user)
        .prefetch_related("target_districts", "target_units")
        if request.access.in_target_group(i)
    ]
    return render(
        request, "development/mine.html", {"rows": rows, "open_initiatives": open_ones, "now": timezone.now()}
    )


# -- needs ----------------------------------------------------------------------------------


def needs_page(request):
    """Where the need is greatest: indicators by their share of units at the lowest levels in the
    latest round (the units the user sees)."""
    _read(request)
    rnd, rows = needs.needs_list(organizer=request.organizer, unit_ids=_visible_unit_ids(request))
    return render(
        request,
        "development/needs.html",
        {"round": rnd, "rows": rows, "can_create": request.access.can_create_initiative},
    )


def need(request, indicator_id):
    """One indicator's need: the share of units at each level, which units, the staff's
    self-reflection; a link that creates an initiative for it."""
    _read(request)
    indicator = get_object_or_404(
        Indicator.objects.select_related("area", "framework"),
        pk=indicator_id,
        framework__in=_frameworks(request.organizer),
    )
    found = needs.indicator_need(
        organizer=request.organizer, indicators=[indicator], unit_ids=_visible_unit_ids(request)
    )
    initiatives_for = Initiative.objects.filter(organizer=request.organizer, indicators=indicator)
    return render(
        request,
        "development/need.html",
        {
            "indicator": indicator,
            "need": found[0],
            "reflection": needs.reflection_need(organizer=request.organizer, framework=indicator.framework)
            if request.access.can_read_reflection_organiser
            else None,
            "initiatives": initiatives_for,
            "can_create": request.access.can_create_initiative,
        },
    )


# -- creating and changing --------------------------------------------------------------------


def initiative_new(request):
    """A new initiative; ``?indicator=<id>`` (from a need) prefills the linked indicator and
    shows its need beside the form."""
    _read(request)
    request.access.require(request.access.can_create_initiative)
    frameworks = _frameworks(request.organizer)
    initial = {"status": Initiative.Status.PLANNED}
    shown_need = []
    wanted = request.GET.get("indicator", "")
    if wanted.isdigit():
        indicator = Indicator.objects.filter(pk=int(wanted), framework__in=frameworks).first()
        if indicator is not None:
            initial["indicators"] = [indicator]
            shown_need = needs.indicator_need(
                organizer=request.organizer, indicators=[indicator], unit_ids=_visible_unit_ids(request)
            )
    form = forms.InitiativeForm(
        _data(request), initial=initial, access=request.access, organizer=request.organizer, frameworks=frameworks
    )
    if request.method == "POST" and form.is_valid():
        fields, relations = form.split()
        try:
            initiative = domain.create_initiative(
                organizer=request.organizer, by=request.user, fields=fields, relations=relations
            )
        except domain.DevelopmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The initiative was created. Now add its goals and tracks."))
            return redirect("initiative", request.organizer.slug, initiative.pk)
    if request.method == "POST":  # the form came back with errors: the need of what was chosen
        picked = list(form.cleaned_data.get("indicators") or [])
        if picked:
            shown_need = needs.indicator_need(
                organizer=request.organizer, indicators=picked, unit_ids=_visible_unit_ids(request)
            )
    return render(
        request,
        "development/initiative_form.html",
        {"form": form, "needs": shown_need, "title": _("New initiative")},
    )


def initiative_edit(request, initiative_id):
    initiative = _owned(request, initiative_id)
    form = forms.InitiativeForm(
        _data(request),
        initial=forms.InitiativeForm.initial_of(initiative),
        access=request.access,
        organizer=request.organizer,
        frameworks=_frameworks(request.organizer),
    )
    if not request.access.can_manage:  # keep the owner that is there, even if not offered
        current = forms.InitiativeForm.initial_of(initiative)["owner"]
        if current and current not in dict(form.fields["owner"].choices):
            raise Http404
    if request.method == "POST" and form.is_valid():
        fields, relations = form.split()
        try:
            domain.update_initiative(initiative=initiative, by=request.user, fields=fields, relations=relations)
        except domain.DevelopmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The initiative was saved."))
            return redirect("initiative", request.organizer.slug, initiative.pk)
    return render(
        request,
        "development/initiative_form.html",
        {"form": form, "initiative": initiative, "title": _("Change the initiative")},
    )


# -- the initiative's page ----------------------------------------------------------------------


def initiative(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    access = request.access
    owner = access.can_own_initiative(initiative)
    mine = _my_enrolment(request, initiative)
    tracks = _tracks(initiative)
    goals = list(initiative.goals.all())
    enrolments = list(initiative.enrolments.select_related("user")) if owner else []
    chosen = {}
    if owner:
        for enrolment_id, title in TrackChoice.objects.filter(enrolment__initiative=initiative).values_list(
            "enrolment_id", "track__title"
        ):
            chosen.setdefault(enrolment_id, []).append(title)
    my_tracks = set(TrackChoice.objects.filter(enrolment=mine).values_list("track_id", flat=True)) if mine else set()
    unit_ids = _visible_unit_ids(request)
    indicators = list(initiative.indicators.select_related("area", "framework"))
    participant_ids = initiative.enrolments.values_list("user_id", flat=True)
    participating = access_rules.unit_ids_of_users(organizer=request.organizer, user_ids=participant_ids)
    takes_part = access.can_take_part_in(initiative, enrolled=mine is not None)
    linked = list(
        LinkedAction.objects.filter(initiative=initiative, action__unit_id__in=unit_ids).select_related("action__unit")
    )
    context = {
        "initiative": initiative,
        "owner": owner,
        "mine": mine,
        "my_tracks": my_tracks,
        "goals": goals,
        "tracks": tracks,
        "enrolments": [(e, chosen.get(e.pk, [])) for e in enrolments],
        "participant_count": initiative.enrolments.count(),
        "needs": needs.indicator_need(organizer=request.organizer, indicators=indicators, unit_ids=unit_ids),
        "reflection": needs.reflection_need(organizer=request.organizer, framework=indicators[0].framework)
        if indicators and access.can_read_reflection_organiser
        else None,
        "can_enrol": mine is None and takes_part,
        "can_spread": owner or mine is not None,
        "can_results": access.can_read_initiative_results(initiative),
        "linked": linked,
        "meetings": list(initiative.spread_meetings.select_related("author")),
        "after": needs.levels_after(
            organizer=request.organizer, initiative=initiative, participating_unit_ids=participating, unit_ids=unit_ids
        ),
        "roles": [
            label for value, label in access_rules.target_group_roles() if value in (initiative.target_roles or [])
        ],
        "evaluation_state": initiative.evaluation.state if initiative.evaluation_id else None,
    }
    if owner:
        context.update(
            goal_form=forms.GoalForm(prefix="goal"),
            track_form=forms.TrackForm(prefix="track"),
            enrol_form=forms.EnrolOtherForm(prefix="enrol", people=access_rules.people_of(request.organizer)),
            evaluation_form=forms.EvaluationForm(
                prefix="evaluation", initial={"closes_on": timezone.localdate() + datetime.timedelta(days=14)}
            ),
        )
    if context["can_spread"]:
        context.update(
            action_form=forms.LinkActionForm(prefix="action", actions=_linkable_actions(request)),
            meeting_form=forms.SpreadMeetingForm(prefix="meeting", initial={"date": timezone.localdate()}),
        )
    return render(request, "development/initiative_detail.html", context)


def _tracks(initiative):
    """The tracks with the places taken and left (``taken``, ``left``: None without a limit)."""
    tracks = list(initiative.tracks.annotate(taken=Count("choices")))
    for t in tracks:
        t.left = None if t.capacity is None else max(t.capacity - t.taken, 0)
    return tracks


def _linkable_actions(request):
    units = request.access.visible_units(Unit.objects.filter(organizer=request.organizer))
    return (
        Action.objects.filter(organizer=request.organizer, unit__in=units)
        .select_related("unit")
        .order_by("unit__name", "title", "pk")
    )


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def goal_add(request, initiative_id):
    initiative = _owned(request, initiative_id)
    form = forms.GoalForm(request.POST, prefix="goal")
    if form.is_valid():
        if initiative.evaluation_id:
            messages.error(request, _("The evaluation has been opened: its goals can no longer change."))
        else:
            domain.add_goal(initiative=initiative, by=request.user, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return _back(initiative, "goals")


@require_POST
def goal_remove(request, initiative_goal_id):
    _read(request)
    goal = get_object_or_404(
        Goal.objects.select_related("initiative"), organizer=request.organizer, pk=initiative_goal_id
    )
    request.access.require(request.access.can_own_initiative(goal.initiative))
    try:
        domain.remove_goal(goal=goal, by=request.user)
    except domain.DevelopmentError as exc:
        messages.error(request, str(exc))
    return _back(goal.initiative, "goals")


@require_POST
def track_add(request, initiative_id):
    initiative = _owned(request, initiative_id)
    form = forms.TrackForm(request.POST, prefix="track")
    if form.is_valid():
        domain.add_track(initiative=initiative, by=request.user, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return _back(initiative, "tracks")


@require_POST
def track_remove(request, track_id):
    _read(request)
    track = get_object_or_404(Track.objects.select_related("initiative"), organizer=request.organizer, pk=track_id)
    request.access.require(request.access.can_own_initiative(track.initiative))
    domain.remove_track(track=track, by=request.user)
    return _back(track.initiative, "tracks")


@require_POST
def enrol(request, initiative_id):
    """Enrol oneself (in the target group, while the initiative is open for enrolment)."""
    initiative = _initiative(request, initiative_id)
    request.access.require(request.access.can_take_part_in(initiative, enrolled=False))
    domain.enrol(initiative=initiative, user=request.user, by=request.user)
    messages.success(request, _("You are enrolled. Choose your tracks."))
    if initiative.tracks.exists():
        return redirect("initiative_tracks_choose", request.organizer.slug, initiative.pk)
    return _back(initiative)


@require_POST
def enrol_other(request, initiative_id):
    initiative = _owned(request, initiative_id)
    form = forms.EnrolOtherForm(request.POST, prefix="enrol", people=access_rules.people_of(request.organizer))
    if form.is_valid():
        _e, created = domain.enrol(initiative=initiative, user=form.cleaned_data["user"], by=request.user)
        if not created:
            messages.info(request, _("That person was enrolled already."))
    else:
        _form_errors(request, form)
    return _back(initiative, "participants")


@require_POST
def withdraw(request, enrolment_id):
    _read(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("initiative"), organizer=request.organizer, pk=enrolment_id
    )
    if enrolment.user_id != request.user.pk:
        request.access.require(request.access.can_own_initiative(enrolment.initiative))
    domain.withdraw(enrolment=enrolment, by=request.user)
    return _back(enrolment.initiative)


def tracks_choose(request, initiative_id):
    """The participant chooses tracks within the limit; a full track is refused by name."""
    initiative = _initiative(request, initiative_id)
    enrolment = _my_enrolment(request, initiative)
    request.access.require(enrolment is not None)
    current = list(TrackChoice.objects.filter(enrolment=enrolment).values_list("track_id", flat=True))
    form = forms.ChooseTracksForm(_data(request), initial={"tracks": current}, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            domain.choose_tracks(enrolment=enrolment, tracks=list(form.cleaned_data["tracks"]), by=request.user)
        except domain.DevelopmentError as exc:
            form.add_error("tracks", str(exc))
        else:
            messages.success(request, _("Your tracks were saved."))
            return redirect("initiative", request.organizer.slug, initiative.pk)
    tracks = _tracks(initiative)
    return render(request, "development/tracks_choose.html", {"initiative": initiative, "form": form, "tracks": tracks})


def participants_export(request, initiative_id):
    """The participants and their tracks as CSV (for the owner)."""
    initiative = _owned(request, initiative_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{initiative.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("E-mail"), _("Tracks"), _("Evaluation link sent")])
    chosen = {}
    for enrolment_id, title in TrackChoice.objects.filter(enrolment__initiative=initiative).values_list(
        "enrolment_id", "track__title"
    ):
        chosen.setdefault(enrolment_id, []).append(title)
    for e in initiative.enrolments.select_related("user"):
        writer.writerow(
            [
                safe_cell(e.user.full_name),
                safe_cell(e.user.email),
                safe_cell(", ".join(chosen.get(e.pk, []))),
                e.evaluation_sent_on or "",
            ]
        )
    return response


# -- the evaluation ------------------------------------------------------------------------------


@require_POST
def evaluation_open(request, initiative_id):
    initiative = _owned(request, initiative_id)
    form = forms.EvaluationForm(request.POST, prefix="evaluation")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(initiative, "evaluation")
    try:
        domain.open_evaluation(initiative=initiative, closes_at=form.closes_at(), by=request.user, request=request)
    except domain.DevelopmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The evaluation is open; every participant was mailed a personal link."))
    return _back(initiative, "evaluation")


@require_POST
def evaluation_close(request, initiative_id):
    initiative = _owned(request, initiative_id)
    try:
        domain.close_evaluation(initiative=initiative, by=request.user)
    except domain.DevelopmentError as exc:
        messages.error(request, str(exc))
    return _back(initiative, "evaluation")


def _results_context(request, initiative):
    result = custom_surveys.results(survey=initiative.evaluation, with_texts=True)
    by_key = result.by_key()
    goals = [(goal, by_key.get(domain.goal_key(goal))) for goal in initiative.goals.all()]
    comments = by_key.get(domain.COMMENT_KEY)
    steps = [s["sv" if ui_language() == "sv" else "en"] for s in custom_surveys.EXTENT_SCALE["steps"]]
    return {
        "initiative": initiative,
        "result": result,
        "goals": goals,
        "comments": comments,
        "steps": steps,
        "generated_at": timezone.now(),
    }


def results(request, initiative_id):
    """The evaluation against each goal: n, the answers per step, the positive share; figures
    below k hidden; quotes only where at least ten answered."""
    initiative = _initiative(request, initiative_id)
    request.access.require(request.access.can_read_initiative_results(initiative))
    if not initiative.evaluation_id:
        raise Http404
    return render(request, "development/results.html", _results_context(request, initiative))


def report(request, initiative_id):
    """The evaluation report for the board, as PDF."""
    initiative = _initiative(request, initiative_id)
    request.access.require(request.access.can_read_initiative_results(initiative))
    if not initiative.evaluation_id:
        raise Http404
    context = _results_context(request, initiative)
    context["lang"] = ui_language()
    pdf = render_pdf(template="development/report_pdf.html", context=context, request=request)
    return pdf_download(pdf, filename=f"evaluation-{initiative.pk}.pdf")


# -- spreading -----------------------------------------------------------------------------------


def _spreader(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    allowed = request.access.can_own_initiative(initiative) or _my_enrolment(request, initiative) is not None
    request.access.require(allowed)
    return initiative


@require_POST
def action_link(request, initiative_id):
    initiative = _spreader(request, initiative_id)
    form = forms.LinkActionForm(request.POST, prefix="action", actions=_linkable_actions(request))
    if form.is_valid():
        domain.link_action(initiative=initiative, action=form.cleaned_data["action"], by=request.user)
    else:
        _form_errors(request, form)
    return _back(initiative, "spreading")


@require_POST
def action_unlink(request, linked_id):
    _read(request)
    link = get_object_or_404(
        LinkedAction.objects.select_related("initiative", "action"), organizer=request.organizer, pk=linked_id
    )
    _spreader(request, link.initiative_id)
    if link.action.unit_id not in _visible_unit_ids(request):
        raise Http404
    domain.unlink_action(link=link, by=request.user)
    return _back(link.initiative, "spreading")


@require_POST
def spread_add(request, initiative_id):
    initiative = _spreader(request, initiative_id)
    form = forms.SpreadMeetingForm(request.POST, prefix="meeting")
    if form.is_valid():
        domain.add_spread_meeting(initiative=initiative, by=request.user, **form.cleaned_data)
    else:
        _form_errors(request, form)
    return _back(initiative, "spreading")
