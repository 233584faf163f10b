"""The organiser's rounds: list, open, edit, close. Thin views over ``cycles.domain``."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import domain
from .forms import RoundForm
from .models import Round


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
        "core/form_page.html",
        {
            "form": form,
            "title": _("Edit round %(name)s") % {"name": rnd.name},
            "cancel_url": reverse("rounds", args=[request.organizer.slug]),
        },
    )


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
