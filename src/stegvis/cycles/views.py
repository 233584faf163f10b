"""The organiser's rounds: list, open, edit, close. Thin views over ``cycles.domain``."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import domain
from .forms import FollowUpForm, RoundForm
from .models import FollowUpDate, Round


def get_round(request, round_id):
    return get_object_or_404(Round.objects.select_related("framework"), organizer=request.organizer, pk=round_id)


# -- rounds ----------------------------------------------------------------------------------


def round_new(request):
    request.access.require(request.access.can_manage)
    form = RoundForm(request.POST or None, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        rnd = domain.open_round(organizer=request.organizer, by=request.user, **form.cleaned_data)
        if rnd.is_upcoming:
            messages.success(
                request,
                _("The round “%(name)s” is upcoming: it opens on %(date)s.")
                % {"name": rnd.name, "date": rnd.opens_on.isoformat()},
            )
        else:
            messages.success(request, _("The round “%(name)s” is open.") % {"name": rnd.name})
        return redirect("rounds", organizer_slug=request.organizer.slug)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Open a round"),
            "submit_label": _("Open the round"),
            "cancel_url": reverse("rounds", args=[request.organizer.slug]),
        },
    )


def round_edit(request, round_id):
    request.access.require(request.access.can_manage)
    rnd = get_round(request, round_id)
    # The form edits a copy: validating a model form writes its values onto the instance, and
    # change_round compares the stored round with the new values.
    form = RoundForm(request.POST or None, instance=get_round(request, round_id), organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        domain.change_round(round=rnd, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("rounds", organizer_slug=request.organizer.slug)
    return render(
        request,
        "cycles/round_edit.html",
        {
            "form": form,
            "round": rnd,
            "follow_ups": list(rnd.follow_ups.all()),
            "units_outside": list(domain.units_outside(round=rnd)) if rnd.status == Round.Status.OPEN else [],
            "title": _("Edit round %(name)s") % {"name": rnd.name},
            "cancel_url": reverse("rounds", args=[request.organizer.slug]),
        },
    )


@require_POST
def round_units_add(request, round_id):
    """Add units that are not in an open round (created while it was closed, or imported
    without joining the open rounds)."""
    request.access.require(request.access.can_manage)
    rnd = get_round(request, round_id)
    edit_url = reverse("round_edit", args=[request.organizer.slug, rnd.pk]) + "#units"
    if rnd.status != Round.Status.OPEN:
        messages.error(request, _("A closed round keeps the units it had. Reopen it to add units."))
        return redirect(edit_url)
    try:
        chosen = [int(v) for v in request.POST.getlist("unit")]
    except ValueError:
        chosen = []
    if not chosen:
        messages.error(request, _("Choose at least one unit to add."))
        return redirect(edit_url)
    added = domain.add_units_to_round(round=rnd, unit_ids=chosen, by=request.user)
    messages.success(
        request,
        ngettext("%(count)d unit added to the round.", "%(count)d units added to the round.", added) % {"count": added},
    )
    return redirect(edit_url)


# -- follow-up dates -------------------------------------------------------------------------


def get_follow_up(request, rnd, follow_up_id):
    return get_object_or_404(FollowUpDate, organizer=request.organizer, round=rnd, pk=follow_up_id)


def follow_up_new(request, round_id):
    request.access.require(request.access.can_manage)
    rnd = get_round(request, round_id)
    form = FollowUpForm(request.POST or None, round=rnd)
    if request.method == "POST" and form.is_valid():
        domain.add_follow_up(round=rnd, by=request.user, **form.cleaned_data)
        messages.success(request, _("The follow-up date is added."))
        return redirect("round_edit", organizer_slug=request.organizer.slug, round_id=rnd.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Add a follow-up date to %(name)s") % {"name": rnd.name},
            "intro": _("A day when the units follow up their action plans, for example a mid-year review."),
            "submit_label": _("Add"),
            "cancel_url": reverse("round_edit", args=[request.organizer.slug, rnd.pk]),
        },
    )


def follow_up_edit(request, round_id, follow_up_id):
    request.access.require(request.access.can_manage)
    rnd = get_round(request, round_id)
    follow_up = get_follow_up(request, rnd, follow_up_id)
    # a copy for the form, as in round_edit: change_follow_up compares with what is stored
    form = FollowUpForm(request.POST or None, instance=get_follow_up(request, rnd, follow_up_id), round=rnd)
    if request.method == "POST" and form.is_valid():
        domain.change_follow_up(follow_up=follow_up, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("round_edit", organizer_slug=request.organizer.slug, round_id=rnd.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("Edit the follow-up date"),
            "cancel_url": reverse("round_edit", args=[request.organizer.slug, rnd.pk]),
        },
    )


@require_POST
def follow_up_delete(request, round_id, follow_up_id):
    request.access.require(request.access.can_manage)
    rnd = get_round(request, round_id)
    follow_up = get_follow_up(request, rnd, follow_up_id)
    domain.remove_follow_up(follow_up=follow_up, by=request.user)
    messages.success(request, _("The follow-up date is removed."))
    return redirect("round_edit", organizer_slug=request.organizer.slug, round_id=rnd.pk)


@require_POST
def round_status(request, round_id):
    request.access.require(request.access.can_manage)
    rnd = get_round(request, round_id)
    status = request.POST.get("status")
    if status == Round.Status.CLOSED and rnd.is_open and request.POST.get("confirmed") != "yes":
        return _close_confirmation(request, rnd)
    if status not in Round.Status.values:
        messages.error(request, _("Unknown status."))
    else:
        domain.set_round_status(round=rnd, status=status, by=request.user)
        if status == Round.Status.CLOSED:
            messages.success(request, _("The round “%(name)s” is closed.") % {"name": rnd.name})
        else:
            messages.success(request, _("The round “%(name)s” is open again.") % {"name": rnd.name})
    return redirect("rounds", organizer_slug=request.organizer.slug)


def _close_confirmation(request, rnd):
    """Closing a round asks first and says what follows; the page posts again with confirmed=yes."""
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Close the round “%(name)s”?") % {"name": rnd.name},
            "consequences": [
                _("Nobody can change the assessments or start new ones in this round any more."),
                _("Assessments that are not published by then stay unpublished drafts and count in no figures."),
                _("Action plans go on: units keep following up their actions."),
                _("You can reopen the round later if you need to."),
            ],
            "action": reverse("round_status", args=[request.organizer.slug, rnd.pk]),
            "fields": {"status": Round.Status.CLOSED},
            "submit_label": _("Close the round"),
            "cancel_url": reverse("rounds", args=[request.organizer.slug]),
            "danger": True,
        },
    )
