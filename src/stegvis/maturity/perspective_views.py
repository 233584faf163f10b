"""The unit's comparison of perspectives in a round, and its discussion notes.

The comparison is computed in ``assessments.comparison`` (a fixed number of queries); this view
adds what a page needs from the rooms below: the action plan to plan an action from a gap, the
principal's draft to revise a level. ``request.access`` decides who sees what
(docs/perspectives.md): a perspective that has not published sees no one else's levels.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.assessments import comparison as perspectives
from stegvis.assessments import perspectives as perspective_domain
from stegvis.assessments.domain import AssessmentError, applicable_indicators
from stegvis.assessments.forms import NoteForm
from stegvis.assessments.models import Assessment, Perspective
from stegvis.assessments.perspective_views import groups_with_status
from stegvis.core.i18n import ui_language
from stegvis.cycles.views import get_round
from stegvis.organisations.models import Unit
from stegvis.planning.models import ActionPlan


def _unit(request, unit_id):
    unit = get_object_or_404(Unit.objects.select_related("district"), organizer=request.organizer, pk=unit_id)
    if not request.access.can_read_perspectives(unit):
        raise Http404
    return unit


def comparison(request, unit_id, round_id):
    unit = _unit(request, unit_id)
    rnd = get_round(request, round_id)
    access = request.access
    full = perspectives.compare(unit=unit, round=rnd)
    published = {c.key for c in full.columns}
    sees = access.sees_other_perspectives(unit, rnd, published)
    comp = full if sees else perspectives.only(full, access.perspective_keys(unit, rnd))
    lang = ui_language()
    framework = rnd.framework
    principal_draft = (
        Assessment.objects.filter(
            unit=unit, round=rnd, perspective=Perspective.PRINCIPAL, group=None, status=Assessment.Status.DRAFT
        ).first()
        if access.can_assess(unit)
        else None
    )
    plan = ActionPlan.objects.filter(unit=unit, round=rnd).first() if access.can_plan(unit) else None
    return render(
        request,
        "maturity/comparison.html",
        {
            "unit": unit,
            "round": rnd,
            "comparison": comp,
            "sees": sees,
            "rows": groups_with_status(unit=unit, round=rnd),
            "radar": perspectives.radar(comp, lang=lang, framework=framework) if len(comp.columns) > 1 else None,
            "levels": {n: (label, name, css) for n, label, name, css in framework.levels(lang)},
            "gap": perspectives.GAP,
            "can_discuss": sees and access.can_discuss(unit),
            "can_revise": access.can_assess(unit) and rnd.is_open and full.has_principal,
            "can_manage": access.can_manage_assessors(unit),
            "principal_draft": principal_draft,
            "plan": plan,
            "note_form": NoteForm(),
        },
    )


@require_POST
def note_add(request, unit_id, round_id, indicator_id):
    unit = _unit(request, unit_id)
    rnd = get_round(request, round_id)
    access = request.access
    published = perspectives.published_keys(unit=unit, round=rnd)
    if not (access.can_discuss(unit) and access.sees_other_perspectives(unit, rnd, published)):
        raise PermissionDenied
    indicator = get_object_or_404(applicable_indicators(framework=rnd.framework, unit=unit), pk=indicator_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            perspective_domain.add_note(
                unit=unit, round=rnd, indicator=indicator, text=form.cleaned_data["text"], by=request.user
            )
            messages.success(request, _("The note is saved."))
        except AssessmentError as exc:
            messages.error(request, str(exc))
    url = reverse("comparison", args=[request.organizer.slug, unit.pk, rnd.pk])
    return redirect(f"{url}#ind-{indicator.pk}")
