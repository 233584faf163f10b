"""The other perspectives' assessor groups of a unit in a round: invite, remove, start.

Thin views over ``perspectives`` (the domain) and ``domain.start_assessment(group=...)``;
``request.access`` decides who may (docs/perspectives.md). The comparison itself is read in
``maturity.perspective_views``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.core.i18n import ui_language
from stegvis.cycles.views import get_round
from stegvis.organisations.access import people_of
from stegvis.organisations.models import Unit

from . import domain, perspectives
from .forms import AssessorForm, GroupForm
from .models import Assessment, Assessor, AssessorGroup


def _unit_for_managers(request, unit_id):
    unit = get_object_or_404(Unit, organizer=request.organizer, pk=unit_id)
    request.access.require_unit(unit)
    request.access.require(request.access.can_manage_assessors(unit))
    return unit


def _group(request, group_id):
    return get_object_or_404(
        AssessorGroup.objects.select_related("unit", "round__framework"), organizer=request.organizer, pk=group_id
    )


def groups_with_status(*, unit, round):
    """The unit's assessor groups in the round with their assessors and current assessment
    (three queries, whatever the number of groups)."""
    groups = list(AssessorGroup.objects.filter(unit=unit, round=round).order_by("perspective", "name", "pk"))
    assessors = {}
    for a in (
        Assessor.objects.filter(group__in=groups)
        .select_related("user", "invitation__accepted_by")
        .order_by("group_id", "pk")
    ):
        assessors.setdefault(a.group_id, []).append(a)
    versions = {}
    for a in Assessment.objects.filter(group__in=groups).order_by("version"):
        versions.setdefault(a.group_id, []).append(a)
    return [
        {
            "group": g,
            "assessors": assessors.get(g.pk, []),
            "current": domain.current_version(versions.get(g.pk, [])),
            "published": any(not a.is_draft for a in versions.get(g.pk, [])),
        }
        for g in groups
    ]


def perspective_groups(request, unit_id, round_id):
    """The principal's page: the perspectives invited to assess the unit in the round."""
    unit = _unit_for_managers(request, unit_id)
    rnd = get_round(request, round_id)
    group_form = GroupForm(request.POST or None)
    if request.method == "POST" and group_form.is_valid():
        try:
            group = perspectives.create_group(
                unit=unit,
                round=rnd,
                perspective=group_form.cleaned_data["perspective"],
                name=group_form.cleaned_data["name"],
                by=request.user,
            )
        except domain.AssessmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(group)s can now be given assessors.") % {"group": group.label})
            return redirect("perspectives", organizer_slug=request.organizer.slug, unit_id=unit.pk, round_id=rnd.pk)
    people = people_of(request.organizer)
    expected = [
        str(label)
        for code, label in GroupForm().fields["perspective"].choices
        if code in (rnd.expected_perspectives or [])
    ]
    return render(
        request,
        "assessments/perspectives.html",
        {
            "unit": unit,
            "round": rnd,
            "rows": groups_with_status(unit=unit, round=rnd),
            "group_form": group_form,
            "assessor_form": AssessorForm(people=people),
            "expected": expected,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def assessor_add(request, group_id):
    group = _group(request, group_id)
    _unit_for_managers(request, group.unit_id)
    form = AssessorForm(request.POST, people=people_of(request.organizer))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        data = form.cleaned_data
        try:
            assessor = perspectives.add_assessor(
                group=group,
                by=request.user,
                user=data["user"],
                email=data["email"],
                full_name=data["full_name"],
                language=ui_language(),
                request=request,
            )
        except domain.AssessmentError as exc:
            messages.error(request, str(exc))
        else:
            if assessor.invitation_id:
                messages.success(
                    request,
                    _("An invitation went to %(email)s; %(group)s can assess once it is accepted.")
                    % {"email": assessor.invitation.email, "group": group.label},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s assesses as %(group)s.") % {"name": assessor.user.display_name, "group": group.label},
                )
    return redirect(
        "perspectives", organizer_slug=request.organizer.slug, unit_id=group.unit_id, round_id=group.round_id
    )


@require_POST
def assessor_remove(request, assessor_id):
    assessor = get_object_or_404(
        Assessor.objects.select_related("group", "user", "invitation"), organizer=request.organizer, pk=assessor_id
    )
    group = assessor.group
    _unit_for_managers(request, group.unit_id)
    perspectives.remove_assessor(assessor=assessor, by=request.user)
    messages.success(request, _("The assessor was removed from %(group)s.") % {"group": group.label})
    return redirect(
        "perspectives", organizer_slug=request.organizer.slug, unit_id=group.unit_id, round_id=group.round_id
    )


@require_POST
def perspective_start(request, group_id):
    """An assessor starts (or continues) the group's assessment, or a new version of it."""
    group = _group(request, group_id)
    access = request.access
    if not access.can_assess(group.unit, perspective=group.perspective, group=group):
        if access.can_read_perspectives(group.unit):
            raise PermissionDenied
        raise Http404
    try:
        draft, created = domain.start_assessment(unit=group.unit, round=group.round, group=group, by=request.user)
    except domain.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("org_home", organizer_slug=request.organizer.slug)
    if created and draft.version > 1:
        messages.info(request, _("Version %(n)s started from the published answers.") % {"n": draft.version})
    first_area = group.round.framework.areas.first()
    return redirect(
        "assessment_area", organizer_slug=request.organizer.slug, assessment_id=draft.pk, area_key=first_area.key
    )
