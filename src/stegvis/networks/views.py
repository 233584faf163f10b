"""Networks, meetings, minutes, action items and files. Thin views: fetch inside the organiser,
ask ``request.access`` (404 when the user may not see the network, 403 when they may see it but
not do this), then call ``domain``."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.core.csvutil import safe_cell
from stegvis.core.i18n import bilingual
from stegvis.core.pdf import pdf_download, render_pdf
from stegvis.core.uploads import attachment_response
from stegvis.organisations.access import people_of

from . import domain, queries
from .forms import (
    ActionFilter,
    ActionItemForm,
    AgendaForm,
    AttendanceForm,
    CommentForm,
    FileForm,
    MeetingFilter,
    MeetingForm,
    MemberForm,
    MinutesForm,
    NetworkForm,
    StatusForm,
    theme_areas,
)
from .models import ActionItem, Attendance, Meeting, MeetingFile, Network, NetworkMember


def _network(request, network_id):
    network = get_object_or_404(Network, organizer=request.organizer, pk=network_id)
    if not request.access.can_read_network(network):
        raise Http404
    return network


def _meeting(request, meeting_id):
    meeting = get_object_or_404(
        Meeting.objects.select_related("network", "area", "minutes_by"), organizer=request.organizer, pk=meeting_id
    )
    if not request.access.can_read_network(meeting.network):
        raise Http404
    return meeting


def _form_page(request, form, title, cancel_url, submit_label=None, multipart=False):
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "submit_label": submit_label, "multipart": multipart},
    )


def _network_people(network):
    User = get_user_model()
    return User.objects.filter(pk__in=network.members.values("user_id"), is_active=True).order_by("full_name", "email")


# -- networks --------------------------------------------------------------------------------


def network_list(request):
    access = request.access
    access.require(access.can_read_networks or access.can_create_networks)
    networks = access.visible_networks(Network.objects.filter(organizer=request.organizer))
    today = timezone.localdate()
    rows = []
    networks = list(networks)
    counts = queries.people_counts([n.pk for n in networks])
    upcoming = {}
    for meeting in Meeting.objects.filter(
        organizer=request.organizer, network__in=[n.pk for n in networks], date__gte=today
    ).order_by("-date", "-starts_at"):
        upcoming[meeting.network_id] = meeting  # the earliest wins
    mine = access.network_ids()
    for network in networks:
        members, coordinators = counts.get(network.pk, (0, 0))
        rows.append(
            {
                "network": network,
                "members": members,
                "coordinators": coordinators,
                "next": upcoming.get(network.pk),
                "mine": network.pk in mine,
            }
        )
    return render(request, "networks/network_list.html", {"rows": rows, "can_create": access.can_create_networks})


def network_new(request):
    request.access.require(request.access.can_create_networks)
    form = NetworkForm(request.POST or None, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        network = domain.create_network(organizer=request.organizer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The network is created. Appoint its coordinators below."))
        return redirect("network", request.organizer.slug, network.pk)
    return _form_page(request, form, _("New network"), reverse("networks", args=[request.organizer.slug]), _("Create"))


def network_detail(request, network_id):
    network = _network(request, network_id)
    access = request.access
    today = timezone.localdate()
    meetings = list(network.meetings.select_related("area").order_by("-date", "-starts_at"))
    coordinators, members = queries.people_of_network(network)
    coordinate = access.can_coordinate_network(network)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "upcoming": sorted((m for m in meetings if m.date >= today), key=lambda m: (m.date, m.starts_at)),
            "past": [m for m in meetings if m.date < today],
            "coordinators": [(m, access.can_remove_network_member(m)) for m in coordinators],
            "members": [(m, access.can_remove_network_member(m)) for m in members],
            "coordinate": coordinate,
            "member_form": MemberForm(people=_addable(request, network), may_appoint=access.can_manage_network(network))
            if coordinate
            else None,
        },
    )


def network_edit(request, network_id):
    network = _network(request, network_id)
    request.access.require(request.access.can_coordinate_network(network))
    copy = get_object_or_404(Network, organizer=request.organizer, pk=network.pk)
    form = NetworkForm(request.POST or None, instance=copy, organizer=request.organizer)
    if not request.access.can_manage_network(network):
        form.fields["name"].disabled = True  # coordinators change the description and agenda
    if request.method == "POST" and form.is_valid():
        domain.change_network(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("network", request.organizer.slug, network.pk)
    return _form_page(
        request, form, _("Edit the network “%(name)s”") % {"name": network.name}, _network_url(request, network)
    )


def _network_url(request, network):
    return reverse("network", args=[request.organizer.slug, network.pk])


def _addable(request, network):
    """Whom the add form offers: the organiser's people not in the network yet; organiser admins
    also those in it (to change their role)."""
    people = people_of(request.organizer)
    if request.access.can_manage_network(network):
        return people
    return people.exclude(pk__in=network.members.values("user_id"))


@require_POST
def network_member_add(request, network_id):
    network = _network(request, network_id)
    access = request.access
    access.require(access.can_coordinate_network(network))
    form = MemberForm(request.POST, people=_addable(request, network), may_appoint=access.can_manage_network(network))
    if form.is_valid():
        user = form.cleaned_data["user"]
        domain.add_member(network=network, user=user, coordinator=form.as_coordinator(), by=request.user)
        messages.success(request, _("%(name)s is added to the network.") % {"name": user.display_name})
    else:
        messages.error(request, _("Choose a person of the organiser."))
    return redirect(_network_url(request, network))


@require_POST
def network_member_remove(request, network_id, member_id):
    network = _network(request, network_id)
    access = request.access
    access.require(access.can_coordinate_network(network))
    member = get_object_or_404(NetworkMember, organizer=request.organizer, network=network, pk=member_id)
    access.require(access.can_remove_network_member(member))
    domain.remove_member(member=member, by=request.user)
    messages.success(request, _("Removed from the network."))
    return redirect(_network_url(request, network))


# -- meetings ---------------------------------------------------------------------------------


def meeting_new(request, network_id):
    network = _network(request, network_id)
    request.access.require(request.access.can_coordinate_network(network))
    form = MeetingForm(request.POST or None, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        meeting = domain.create_meeting(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, _("The meeting is planned, with the network's default agenda."))
        return redirect("network_meeting", request.organizer.slug, meeting.pk)
    return _form_page(
        request,
        form,
        _("New meeting of %(network)s") % {"network": network.name},
        _network_url(request, network),
        _("Plan the meeting"),
    )


def meeting_list(request):
    access = request.access
    access.require(access.can_read_networks)
    networks = access.visible_networks(Network.objects.filter(organizer=request.organizer))
    areas = theme_areas(request.organizer)
    form = MeetingFilter(request.GET or None, networks=networks, areas=areas)
    meetings = Meeting.objects.filter(organizer=request.organizer, network__in=networks).select_related(
        "network", "area"
    )
    today = timezone.localdate()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["network"]:
            meetings = meetings.filter(network=data["network"])
        if data["area"]:
            meetings = meetings.filter(area=data["area"])
        if data["when"] == "upcoming":
            meetings = meetings.filter(date__gte=today).order_by("date", "starts_at")
        elif data["when"] == "past":
            meetings = meetings.filter(date__lt=today)
    return render(
        request,
        "networks/meeting_list.html",
        {"filter_form": form, "meetings": list(meetings), "today": today},
    )


def meeting_detail(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    access = request.access
    network = meeting.network
    coordinate = access.can_coordinate_network(network)
    contribute = access.can_contribute_to_network(network)
    attendance = list(meeting.attendance.select_related("user"))
    items = list(meeting.action_items.select_related("owner"))
    return render(
        request,
        "networks/meeting_detail.html",
        {
            "meeting": meeting,
            "network": network,
            "area_name": bilingual(meeting.area, "name") if meeting.area else "",
            "agenda": list(meeting.agenda.all()),
            "present": [a for a in attendance if a.status == Attendance.Status.PRESENT],
            "apologies": [a for a in attendance if a.status == Attendance.Status.APOLOGY],
            "items": [(i, access.can_change_action_item(i)) for i in items],
            "files": [(f, access.can_remove_meeting_file(f)) for f in meeting.files.select_related("uploaded_by")],
            "comments": list(meeting.comments.select_related("author")),
            "coordinate": coordinate,
            "contribute": contribute,
            "draft_differs": coordinate and meeting.minutes_draft != meeting.minutes,
            "item_form": ActionItemForm(people=people_of(request.organizer), with_status=False) if coordinate else None,
            "file_form": FileForm() if contribute else None,
            "comment_form": CommentForm() if contribute else None,
            "status_form_choices": ActionItem.Status.choices,
        },
    )


def _meeting_url(request, meeting):
    return reverse("network_meeting", args=[request.organizer.slug, meeting.pk])


def meeting_edit(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_coordinate_network(meeting.network))
    copy = get_object_or_404(Meeting, organizer=request.organizer, pk=meeting.pk)
    form = MeetingForm(request.POST or None, instance=copy, organizer=request.organizer)
    if request.method == "POST" and form.is_valid():
        domain.change_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(_meeting_url(request, meeting))
    return _form_page(request, form, _("Edit the meeting"), _meeting_url(request, meeting))


def meeting_agenda(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_coordinate_network(meeting.network))
    initial = {"agenda": "\n".join(meeting.agenda.values_list("title", flat=True))}
    form = AgendaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        domain.set_agenda(meeting=meeting, titles=form.cleaned_data["agenda"], by=request.user)
        messages.success(request, _("The agenda is saved."))
        return redirect(_meeting_url(request, meeting))
    return _form_page(request, form, _("Agenda: %(theme)s") % {"theme": meeting.theme}, _meeting_url(request, meeting))


def meeting_attendance(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_coordinate_network(meeting.network))
    current = dict(meeting.attendance.values_list("user_id", "status"))
    people = list(_network_people(meeting.network))
    known = {u.pk for u in people}
    people += list(get_user_model().objects.filter(pk__in=[u for u in current if u not in known]))
    form = AttendanceForm(request.POST or None, people=people, current=current)
    if request.method == "POST" and form.is_valid():
        domain.record_attendance(meeting=meeting, statuses=form.statuses(), by=request.user)
        messages.success(request, _("Attendance is saved."))
        return redirect(_meeting_url(request, meeting))
    return _form_page(
        request,
        form,
        _("Who came: %(theme)s") % {"theme": meeting.theme},
        _meeting_url(request, meeting),
    )


def meeting_minutes(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_coordinate_network(meeting.network))
    form = MinutesForm(request.POST or None, initial={"text": meeting.minutes_draft or meeting.minutes})
    if request.method == "POST" and form.is_valid():
        publish = bool(request.POST.get("publish"))
        domain.save_minutes(meeting=meeting, text=form.cleaned_data["text"], by=request.user, publish=publish)
        messages.success(
            request, _("The minutes are published to the network.") if publish else _("The draft is saved.")
        )
        return redirect(_meeting_url(request, meeting))
    return render(request, "networks/minutes_form.html", {"form": form, "meeting": meeting})


def meeting_minutes_pdf(request, meeting_id):
    """The published minutes as PDF, with agenda, attendance and action items."""
    meeting = _meeting(request, meeting_id)
    if not meeting.minutes_published:
        raise Http404
    attendance = list(meeting.attendance.select_related("user"))
    pdf = render_pdf(
        template="networks/minutes_pdf.html",
        context={
            "meeting": meeting,
            "organizer": request.organizer,
            "area_name": bilingual(meeting.area, "name") if meeting.area else "",
            "agenda": list(meeting.agenda.all()),
            "present": [a for a in attendance if a.status == Attendance.Status.PRESENT],
            "apologies": [a for a in attendance if a.status == Attendance.Status.APOLOGY],
            "items": list(meeting.action_items.select_related("owner")),
        },
        request=request,
    )
    return pdf_download(pdf, filename=f"minutes-{meeting.network.pk}-{meeting.date:%Y-%m-%d}.pdf")


# -- action items -----------------------------------------------------------------------------


@require_POST
def action_item_add(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_coordinate_network(meeting.network))
    form = ActionItemForm(request.POST, people=people_of(request.organizer), with_status=False)
    if form.is_valid():
        domain.add_action_item(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, _("The action item is added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_meeting_url(request, meeting) + "#action-items")


def _item(request, item_id):
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting__network", "owner"), organizer=request.organizer, pk=item_id
    )
    if not request.access.can_read_network(item.meeting.network):
        raise Http404
    return item


def action_item_edit(request, item_id):
    """Coordinators change everything of an action item; its owner its status."""
    item = _item(request, item_id)
    access = request.access
    access.require(access.can_change_action_item(item))
    url = _meeting_url(request, item.meeting) + "#action-items"
    if access.can_coordinate_network(item.meeting.network):
        copy = get_object_or_404(ActionItem, organizer=request.organizer, pk=item.pk)
        form = ActionItemForm(request.POST or None, instance=copy, people=people_of(request.organizer))
        if request.method == "POST" and form.is_valid():
            domain.change_action_item(item=item, by=request.user, details=True, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(url)
    else:
        form = StatusForm(request.POST or None, initial={"status": item.status})
        if request.method == "POST" and form.is_valid():
            domain.change_action_item(item=item, by=request.user, status=form.cleaned_data["status"])
            messages.success(request, _("Saved."))
            return redirect(url)
    return _form_page(request, form, _("Action item: %(title)s") % {"title": item.title}, url)


def _filtered_items(request):
    access = request.access
    networks = access.visible_networks(Network.objects.filter(organizer=request.organizer))
    form = ActionFilter(request.GET or None, networks=networks)
    items = (
        ActionItem.objects.filter(organizer=request.organizer, meeting__network__in=networks)
        .select_related("meeting__network", "owner")
        .order_by("-status", "due_date", "id")  # open first, then dropped and done
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["network"]:
            items = items.filter(meeting__network=data["network"])
        if data["status"] == "overdue":
            items = items.filter(status=ActionItem.Status.OPEN, due_date__lt=timezone.localdate())
        elif data["status"]:
            items = items.filter(status=data["status"])
        if data["owner"] == "me":
            items = items.filter(owner=request.user)
    return form, items


def action_item_list(request):
    request.access.require(request.access.can_read_networks)
    form, items = _filtered_items(request)
    return render(
        request,
        "networks/action_list.html",
        {"filter_form": form, "items": list(items), "today": timezone.localdate(), "query": request.GET.urlencode()},
    )


def action_item_export(request):
    """The action items (with the list's filters) as CSV."""
    request.access.require(request.access.can_read_networks)
    _form, items = _filtered_items(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="network-actions-{request.organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Network"), _("Meeting"), _("Theme"), _("What"), _("Owner"), _("Due date"), _("Status")])
    for item in items:
        writer.writerow(
            [
                safe_cell(item.meeting.network.name),
                item.meeting.date.isoformat(),
                safe_cell(item.meeting.theme),
                safe_cell(item.title),
                safe_cell(item.owner.display_name if item.owner else ""),
                item.due_date.isoformat() if item.due_date else "",
                str(item.get_status_display()),
            ]
        )
    return response


# -- files and comments -----------------------------------------------------------------------


@require_POST
def meeting_file_add(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_contribute_to_network(meeting.network))
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            domain.add_file(meeting=meeting, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:  # pragma: no cover - the form checked it already
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file is shared with the network."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(_meeting_url(request, meeting) + "#files")


def _file(request, file_id):
    meeting_file = get_object_or_404(
        MeetingFile.objects.select_related("meeting__network"), organizer=request.organizer, pk=file_id
    )
    if not request.access.can_read_network(meeting_file.meeting.network):
        raise Http404
    return meeting_file


def meeting_file(request, file_id):
    meeting_file = _file(request, file_id)
    return attachment_response(meeting_file.file, filename=meeting_file.name, content_type=meeting_file.content_type)


@require_POST
def meeting_file_remove(request, file_id):
    meeting_file = _file(request, file_id)
    request.access.require(request.access.can_remove_meeting_file(meeting_file))
    meeting = meeting_file.meeting
    domain.remove_file(meeting_file=meeting_file, by=request.user)
    messages.success(request, _("The file is removed."))
    return redirect(_meeting_url(request, meeting) + "#files")


@require_POST
def meeting_comment(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    request.access.require(request.access.can_contribute_to_network(meeting.network))
    form = CommentForm(request.POST)
    if form.is_valid():
        domain.add_comment(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Your comment is added."))
    else:
        for error in form.errors.get("text", []):
            messages.error(request, error)
    return redirect(_meeting_url(request, meeting) + "#comments")
