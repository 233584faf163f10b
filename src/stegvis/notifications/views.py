"""Pages of notifications: a round's reminder rules, "send a reminder now" (knacka på axeln),
one's own notification preferences, and the one-click unsubscribe behind the token door.
Thin: access, then ``domain``, then a template."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from stegvis.assessments.status import PUBLISHED, unit_statuses
from stegvis.core.i18n import ui_language
from stegvis.cycles.models import Round
from stegvis.organisations import door
from stegvis.organisations.models import Unit

from . import domain, kinds, tokens
from .forms import NudgeForm, PreferencesForm, RulesForm
from .models import Preference


def _round(request, round_id):
    rnd = get_object_or_404(Round, organizer=request.organizer, pk=round_id)
    request.access.require(request.access.can_remind)
    return rnd


def _status_url(request, rnd):
    return reverse("overview_status", args=[request.organizer.slug]) + f"?round={rnd.pk}"


def rules(request, round_id):
    rnd = _round(request, round_id)
    current = domain.rules_for(rnd)
    initial = {
        "days_before": ", ".join(str(d) for d in current.days_before),
        "days_after": current.days_after,
        "action_days_before": current.action_days_before,
        "action_overdue": current.action_overdue,
        "follow_up": current.follow_up,
        "digest": current.digest,
        "digest_survey_rate": current.digest_survey_rate,
    }
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        domain.change_rules(rules=current, by=request.user, **form.cleaned_data)
        messages.success(request, _("The reminder rules are saved."))
        return redirect("reminder_rules", organizer_slug=request.organizer.slug, round_id=rnd.pk)
    return render(
        request,
        "notifications/rules.html",
        {
            "round": rnd,
            "form": form,
            "bounced": domain.bounced_mails(organizer=request.organizer),
            "status_url": _status_url(request, rnd),
        },
    )


def nudge(request, round_id):
    """Send a reminder now to the principals of the chosen units (or of all that have not published)."""
    rnd = _round(request, round_id)
    if not rnd.is_open:
        messages.error(request, _("The round is not open: there is nothing to remind about."))
        return redirect(_status_url(request, rnd))
    data = request.POST if request.method == "POST" else request.GET
    units = request.access.organiser_units(Unit.objects.filter(organizer=request.organizer))
    statuses = unit_statuses(organizer=request.organizer, round=rnd, unit_ids=units.values_list("pk", flat=True))
    unpublished = {u for u, info in statuses.items() if info.status != PUBLISHED}
    if data.get("unpublished"):
        chosen = sorted(unpublished)
    else:
        chosen = sorted({int(u) for u in data.getlist("unit") if u.isdigit()} & unpublished)
    left_out = len({u for u in data.getlist("unit") if u.isdigit()}) - len(chosen) if not data.get("unpublished") else 0
    recipients = domain.nudge_recipients(organizer=request.organizer, round=rnd, unit_ids=chosen)
    choices = [(pk, name) for pk, name, _p in recipients]
    if request.method == "POST":
        form = NudgeForm(request.POST, unit_choices=choices)
    else:
        form = NudgeForm(initial={"unit": chosen, "batch": domain.new_batch()}, unit_choices=choices)
    if request.method == "POST" and "send" in request.POST and form.is_valid():
        ids = domain.send_nudges(
            organizer=request.organizer,
            round=rnd,
            unit_ids=form.cleaned_data["unit"],
            personal_line=form.cleaned_data["personal_line"],
            batch=form.cleaned_data["batch"],
            by=request.user,
        )
        messages.success(request, ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", len(ids)) % {"n": len(ids)})
        return redirect(_status_url(request, rnd))
    personal_line = form.data.get("personal_line", "") if form.is_bound else ""
    return render(
        request,
        "notifications/nudge.html",
        {
            "round": rnd,
            "form": form,
            "recipients": recipients,
            "reachable": sum(1 for _pk, _n, p in recipients if p),
            "left_out": left_out,
            "preview": domain.preview(
                organizer=request.organizer,
                round=rnd,
                personal_line=personal_line,
                by=request.user,
                language=ui_language(),
            ),
            "status_url": _status_url(request, rnd),
        },
    )


def preferences(request):
    request.access.require(request.access.can_set_notifications)
    pref = domain.preference_of(organizer=request.organizer, user=request.user)
    form = PreferencesForm(request.POST or None, muted=pref.muted)
    if request.method == "POST" and form.is_valid():
        domain.set_preferences(organizer=request.organizer, user=request.user, muted=form.muted())
        messages.success(request, _("Your choices are saved."))
        return redirect("notification_preferences", organizer_slug=request.organizer.slug)
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no CSRF token; the token is the key
@door.accepts(tokens.PURPOSE)
def unsubscribe(request, kind):
    """GET: a page with one button (link checkers open links); POST: the kind is switched off
    (also the mail client's one-click ``List-Unsubscribe=One-Click``)."""
    pref = request.access.target
    if not isinstance(pref, Preference) or kind not in kinds.LABELS:
        raise Http404
    done = mandatory = False
    if request.method == "POST":
        done = domain.unsubscribe(pref=pref, kind=kind)
        mandatory = not done
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kind_label": kinds.LABELS[kind],
            "mandatory": kind in kinds.MANDATORY,
            "done": done,
            "refused": mandatory,
            "muted": kind in pref.muted,
            "preferences_url": reverse("notification_preferences", args=[request.organizer.slug]),
        },
    )
