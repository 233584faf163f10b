"""The year wheel, own events and the feeds. Thin views over ``calendar.domain`` and ``sources``."""

import datetime
import itertools

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stegvis.organisations import door
from stegvis.organisations.access import Access
from stegvis.organisations.domain import note_token_use

from . import domain, feeds, wheel
from .forms import EventForm, WheelFilter, school_year_label
from .models import Event, Feed
from .sources import KINDS, Reader, events, reader_for

SCHOOL_YEAR_STARTS = 8  # August


def school_year_of(day):
    return day.year if day.month >= SCHOOL_YEAR_STARTS else day.year - 1


def year_wheel(request):
    """The organiser's year: the wheel and the same events as a list, filtered by district and kind."""
    access = request.access
    access.require(access.can_see_calendar)
    organizer = request.organizer
    today = timezone.localdate()
    current = school_year_of(today)
    districts = access.visible_districts(organizer.districts.all()).order_by("name")
    form = WheelFilter(
        request.GET or None, districts=districts, years=range(current - 3, current + 3), initial={"year": current}
    )
    year, district, kinds = current, None, []
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or current
        district = form.cleaned_data["district"]
        kinds = form.cleaned_data["kind"]
    start = datetime.date(year, SCHOOL_YEAR_STARTS, 1)
    end = datetime.date(year + 1, SCHOOL_YEAR_STARTS, 1) - datetime.timedelta(days=1)
    reader = reader_for(access, organizer)
    if district is not None:
        reader = reader.narrowed_to(organizer=organizer, district_id=district.pk)
    rows = events(organizer=organizer, reader=reader, start=start, end=end, kinds=kinds)
    label = school_year_label(year)
    by_month = [
        (month, [(e, wheel.swatch(e.kind)) for e in group])
        for month, group in itertools.groupby(rows, key=lambda e: max(e.starts_on, start).replace(day=1))
    ]
    return render(
        request,
        "calendar/wheel.html",
        {
            "form": form,
            "label": label,
            "svg": wheel.year_wheel(start=start, end=end, rows=rows, today=today, title=label, desc_id="wheel-list"),
            "legend": [(k, wheel.swatch(k.code)) for k in KINDS.values() if not kinds or k.code in kinds],
            "by_month": by_month,
            "count": len(rows),
            "today": today,
            "district": district,
        },
    )


# -- own events (organiser admins) -----------------------------------------------------------


def _event_form_page(request, form, title, submit_label=None):
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel_url": reverse("calendar", args=[request.organizer.slug]),
        },
    )


def event_new(request):
    request.access.require(request.access.can_manage_calendar)
    form = EventForm(request.POST or None, organizer=request.organizer, districts=request.organizer.districts.all())
    if request.method == "POST" and form.is_valid():
        domain.add_event(organizer=request.organizer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The event is added to the year wheel."))
        return redirect("calendar", organizer_slug=request.organizer.slug)
    return _event_form_page(request, form, _("Add an event to the year wheel"), _("Add"))


def event_edit(request, event_id):
    request.access.require(request.access.can_manage_calendar)
    event = get_object_or_404(Event, organizer=request.organizer, pk=event_id)
    copy = get_object_or_404(Event, organizer=request.organizer, pk=event_id)  # the form writes onto its instance
    form = EventForm(
        request.POST or None, instance=copy, organizer=request.organizer, districts=request.organizer.districts.all()
    )
    if request.method == "POST" and form.is_valid():
        domain.change_event(event=event, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("calendar", organizer_slug=request.organizer.slug)
    return _event_form_page(request, form, _("Edit the event “%(title)s”") % {"title": event.title})


@require_POST
def event_delete(request, event_id):
    request.access.require(request.access.can_manage_calendar)
    event = get_object_or_404(Event, organizer=request.organizer, pk=event_id)
    domain.remove_event(event=event, by=request.user)
    messages.success(request, _("The event is removed."))
    return redirect("calendar", organizer_slug=request.organizer.slug)


# -- feeds -----------------------------------------------------------------------------------


def my_feed(request):
    """The user's personal feed: create (a new address; the old one stops working) or revoke."""
    request.access.require(request.access.can_see_calendar)
    return _feed_page(request, user=request.user, organiser_feed=False)


def organiser_feed(request):
    """The organiser's feed of the whole wheel, managed by organiser admins."""
    request.access.require(request.access.can_manage_calendar)
    return _feed_page(request, user=None, organiser_feed=True)


def _feed_page(request, *, user, organiser_feed):
    organizer = request.organizer
    feed = domain.live_feed(organizer=organizer, user=user)
    address = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            feed, token = domain.create_feed(organizer=organizer, user=user, by=request.user)
            address = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
        elif action == "revoke" and feed is not None:
            domain.revoke_feed(feed=feed, by=request.user)
            messages.success(request, _("The feed is turned off: its address no longer works."))
            return redirect(request.path)
        else:
            messages.error(request, _("Nothing was changed."))
            return redirect(request.path)
    return render(
        request,
        "calendar/feed.html",
        {
            "feed": feed,
            "address": address,
            "webcal": address and "webcal://" + address.split("://", 1)[1],
            "organiser_feed": organiser_feed,
        },
    )


@door.accepts(domain.PURPOSE)
def feed(request):
    """``/t/<token>/calendar.ics``: the feed the token opens. A personal feed holds what
    concerns its user now (their roles read afresh); a user without a role here gets 404."""
    organizer = request.organizer
    row = Feed.objects.filter(organizer=organizer, token=request.token).select_related("user").first()
    if row is None:
        raise Http404
    if row.user_id is None:
        reader, name, language = Reader(all=True), gettext_lazy("Year wheel – %(name)s"), "sv"
    else:
        if not row.user.is_active:
            raise Http404
        access = Access.for_user(user=row.user, organizer=organizer)
        if not access.can_see_calendar:
            raise Http404
        reader, name, language = reader_for(access, organizer), gettext_lazy("Stegvis – %(name)s"), row.user.language
    with translation.override(language if language in ("sv", "en") else "sv"):
        body = feeds.build(
            organizer=organizer,
            reader=reader,
            name=str(name) % {"name": organizer.name},
            base_url=request.build_absolute_uri("/"),
        )
    note_token_use(access_token=request.token)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="stegvis.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response
