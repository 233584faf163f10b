"""State changes of networks and their meetings (docs/networks.md). Keyword-only functions;
each writes an audit event. Who may call which is asked of ``request.access`` by the views."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core.models import record
from stegvis.core.uploads import check_upload
from stegvis.organisations.access import is_member_user

from .models import ActionItem, AgendaItem, Attendance, Comment, Meeting, MeetingFile, Network, NetworkMember


class NetworkError(Exception):
    """A change that cannot be made; ``str(error)`` says why (in the user's language)."""


def _member_of_organizer(organizer, user):
    if user is not None and not is_member_user(user, organizer):
        raise NetworkError(_("Only users of the organiser can be chosen."))


def create_network(*, organizer, by, name, description="", default_agenda=""):
    """A new network of the organiser. Side effects: a Network, an audit event."""
    network = Network.objects.create(
        organizer=organizer, name=name, description=description, default_agenda=default_agenda, created_by=by
    )
    record(organizer=organizer, actor=by, verb="network.created", obj=network, summary=name)
    return network


def change_network(*, network, by, name, description, default_agenda):
    """Rename a network, change its description or default agenda. Side effects: the Network,
    an audit event."""
    network.name, network.description, network.default_agenda = name, description, default_agenda
    network.save(update_fields=["name", "description", "default_agenda"])
    record(organizer=network.organizer, actor=by, verb="network.changed", obj=network, summary=name)
    return network


def add_member(*, network, user, by, coordinator=False):
    """Put a user of the organiser in the network, as a coordinator or a member (an existing
    place changes to that). Side effects: a NetworkMember created or updated, an audit event."""
    _member_of_organizer(network.organizer, user)
    role = NetworkMember.Role.COORDINATOR if coordinator else NetworkMember.Role.MEMBER
    member, _created = NetworkMember.objects.update_or_create(
        organizer=network.organizer, network=network, user=user, defaults={"role": role}
    )
    record(organizer=network.organizer, actor=by, verb=f"network.{role}_added", obj=network, summary=user.email)
    return member


def remove_member(*, member, by):
    """Take a member or coordinator out of the network (attendance and action items stay).
    Side effects: the NetworkMember deleted, an audit event."""
    network = member.network
    email = member.user.email
    member.delete()
    record(organizer=network.organizer, actor=by, verb="network.member_removed", obj=network, summary=email)


def _bump(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)


def create_meeting(*, network, by, date, starts_at, theme, ends_at=None, place="", video_link="", area=None):
    """A new meeting of the network, with the network's default agenda copied as its agenda.
    Side effects: a Meeting, its AgendaItems, an audit event."""
    with transaction.atomic():
        meeting = Meeting.objects.create(
            organizer=network.organizer,
            network=network,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            video_link=video_link,
            theme=theme,
            area=area,
            created_by=by,
        )
        _write_agenda(meeting, network.agenda_lines())
        record(organizer=network.organizer, actor=by, verb="meeting.created", obj=meeting, summary=theme)
    return meeting


def change_meeting(*, meeting, by, date, starts_at, theme, ends_at=None, place="", video_link="", area=None):
    """Change a meeting's time, place, link or theme. Side effects: the Meeting (its calendar
    sequence raised), an audit event."""
    changes = {
        "date": date,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "video_link": video_link,
        "theme": theme,
        "area": area,
    }
    for key, value in changes.items():
        setattr(meeting, key, value)
    meeting.save(update_fields=list(changes))
    _bump(meeting)
    record(organizer=meeting.organizer, actor=by, verb="meeting.changed", obj=meeting, summary=theme)
    return meeting


def _write_agenda(meeting, titles):
    AgendaItem.objects.filter(meeting=meeting).delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(organizer_id=meeting.organizer_id, meeting=meeting, position=i, title=title)
        for i, title in enumerate(titles, start=1)
    )


def set_agenda(*, meeting, titles, by):
    """Replace the meeting's agenda with ``titles`` in this order. Side effects: AgendaItems
    replaced, an audit event."""
    titles = [t.strip() for t in titles if t.strip()]
    with transaction.atomic():
        _write_agenda(meeting, titles)
        record(organizer=meeting.organizer, actor=by, verb="meeting.agenda", obj=meeting, summary=f"{len(titles)}")


def record_attendance(*, meeting, statuses, by):
    """Who came and who sent apologies: ``statuses`` maps each user of the network to
    "present", "apology" or "" (not recorded). Users outside the network are refused.
    Side effects: Attendance rows replaced, an audit event."""
    allowed = set(NetworkMember.objects.filter(network=meeting.network).values_list("user_id", flat=True))
    allowed |= set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    if not set(statuses) <= allowed:
        raise NetworkError(_("Attendance can be recorded only for the network's members."))
    with transaction.atomic():
        Attendance.objects.filter(meeting=meeting, user_id__in=list(statuses)).delete()
        Attendance.objects.bulk_create(
            Attendance(organizer_id=meeting.organizer_id, meeting=meeting, user_id=user_id, status=status)
            for user_id, status in statuses.items()
            if status in Attendance.Status.values
        )
        present = sum(1 for s in statuses.values() if s == Attendance.Status.PRESENT)
        record(organizer=meeting.organizer, actor=by, verb="meeting.attendance", obj=meeting, summary=f"{present}")


def save_minutes(*, meeting, text, by, publish=False):
    """Save the minutes' draft; with ``publish`` the draft becomes the published minutes the
    members read (published again after a change, the members see the new text).
    Side effects: the Meeting, an audit event."""
    meeting.minutes_draft = text
    fields = ["minutes_draft"]
    if publish:
        meeting.minutes = text
        meeting.minutes_published_at = timezone.now()
        meeting.minutes_by = by
        fields += ["minutes", "minutes_published_at", "minutes_by"]
    meeting.save(update_fields=fields)
    verb = "meeting.minutes_published" if publish else "meeting.minutes_saved"
    record(organizer=meeting.organizer, actor=by, verb=verb, obj=meeting)
    return meeting


def add_action_item(*, meeting, title, by, owner=None, due_date=None):
    """An action item of the meeting; its owner (a user of the organiser) gets reminders.
    Side effects: an ActionItem, an audit event."""
    _member_of_organizer(meeting.organizer, owner)
    item = ActionItem.objects.create(
        organizer=meeting.organizer, meeting=meeting, title=title, owner=owner, due_date=due_date, created_by=by
    )
    record(organizer=meeting.organizer, actor=by, verb="network_action.created", obj=item, summary=title)
    return item


def change_action_item(*, item, by, status, title=None, owner=None, due_date=None, details=False):
    """Change an action item's status (and, with ``details``, its title, owner and due date).
    A new due date is a new reminder. Side effects: the ActionItem, an audit event."""
    item.status = status
    fields = ["status"]
    if details:
        _member_of_organizer(item.organizer, owner)
        item.title, item.owner, item.due_date = title, owner, due_date
        fields += ["title", "owner", "due_date"]
    item.save(update_fields=fields)
    record(organizer=item.organizer, actor=by, verb="network_action.changed", obj=item, summary=status)
    return item


def add_file(*, meeting, upload, by):
    """Store an uploaded file with the meeting, after ``core.uploads.check_upload`` passed (a
    refused file raises ``ValidationError`` and nothing is stored). Side effects: a file under
    MEDIA_ROOT/networks/, a MeetingFile, an audit event."""
    kind = check_upload(upload)
    stored = MeetingFile(
        organizer=meeting.organizer,
        meeting=meeting,
        name=upload.name[:255],
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    stored.file.save(upload.name, upload, save=False)
    stored.save()
    record(organizer=meeting.organizer, actor=by, verb="meeting.file_added", obj=meeting, summary=stored.name)
    return stored


def remove_file(*, meeting_file, by):
    """Remove a meeting's file. Side effects: the stored file and its MeetingFile deleted, an
    audit event."""
    meeting = meeting_file.meeting
    name = meeting_file.name
    meeting_file.file.delete(save=False)
    meeting_file.delete()
    record(organizer=meeting.organizer, actor=by, verb="meeting.file_removed", obj=meeting, summary=name)


def add_comment(*, meeting, text, by):
    """A comment on the meeting. Side effects: a Comment, an audit event."""
    comment = Comment.objects.create(organizer=meeting.organizer, meeting=meeting, author=by, text=text)
    record(organizer=meeting.organizer, actor=by, verb="meeting.comment", obj=meeting)
    return comment
