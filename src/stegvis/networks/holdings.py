"""What the networks room holds about a person (registered in ``ready``; docs/privacy.md):
their places in networks, their attendance, the action items they own, and the minutes,
comments and files they wrote or added. Erasing removes their places and attendance (only
about them) and keeps the rest, which belongs to the network: owners and authors become empty
and pages show "deleted user"."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import ActionItem, Attendance, Comment, Meeting, MeetingFile, Network, NetworkMember


def export_places(*, user, organizer):
    rows = NetworkMember.objects.filter(organizer=organizer, user=user).select_related("network")
    return [{"network": m.network.name, "role": str(m.get_role_display()), "added": when(m.added_at)} for m in rows]


def erase_places(*, user, organizer):
    NetworkMember.objects.filter(organizer=organizer, user=user).delete()
    Network.objects.filter(organizer=organizer, created_by=user).update(created_by=None)


def export_attendance(*, user, organizer):
    rows = Attendance.objects.filter(organizer=organizer, user=user).select_related("meeting__network")
    return [
        {"network": a.meeting.network.name, "meeting": when(a.meeting.date), "status": str(a.get_status_display())}
        for a in rows.order_by("meeting__date", "id")
    ]


def erase_attendance(*, user, organizer):
    Attendance.objects.filter(organizer=organizer, user=user).delete()


def export_action_items(*, user, organizer):
    rows = (
        ActionItem.objects.filter(organizer=organizer)
        .filter(Q(owner=user) | Q(created_by=user))
        .select_related("meeting__network")
        .order_by("created_at", "id")
    )
    return [
        {
            "network": i.meeting.network.name,
            "meeting": when(i.meeting.date),
            "title": i.title,
            "owned_by_the_person": i.owner_id == user.pk,
            "due": when(i.due_date),
            "status": str(i.get_status_display()),
        }
        for i in rows
    ]


def erase_action_items(*, user, organizer):
    ActionItem.objects.filter(organizer=organizer, owner=user).update(owner=None)
    ActionItem.objects.filter(organizer=organizer, created_by=user).update(created_by=None)


def export_writing(*, user, organizer):
    out = [
        {"network": m.network.name, "meeting": when(m.date), "what": str(_("Minutes")), "text": m.minutes}
        for m in Meeting.objects.filter(organizer=organizer, minutes_by=user).select_related("network")
    ]
    out += [
        {"network": c.meeting.network.name, "meeting": when(c.meeting.date), "what": str(_("Comment")), "text": c.text}
        for c in Comment.objects.filter(organizer=organizer, author=user).select_related("meeting__network")
    ]
    out += [
        {"network": f.meeting.network.name, "meeting": when(f.meeting.date), "what": str(_("File")), "text": f.name}
        for f in MeetingFile.objects.filter(organizer=organizer, uploaded_by=user).select_related("meeting__network")
    ]
    return out


def erase_writing(*, user, organizer):
    Meeting.objects.filter(organizer=organizer, minutes_by=user).update(minutes_by=None)
    Meeting.objects.filter(organizer=organizer, created_by=user).update(created_by=None)
    Comment.objects.filter(organizer=organizer, author=user).update(author=None)
    MeetingFile.objects.filter(organizer=organizer, uploaded_by=user).update(uploaded_by=None)


HOLDERS = [
    Holder(
        key="network_places",
        label=_("Places in networks"),
        columns=(("network", _("Network")), ("role", _("Role")), ("added", _("Added"))),
        export=export_places,
        erase=erase_places,
        order=40,
    ),
    Holder(
        key="network_attendance",
        label=_("Attendance at network meetings"),
        columns=(("network", _("Network")), ("meeting", _("Meeting")), ("status", _("Status"))),
        export=export_attendance,
        erase=erase_attendance,
        order=41,
    ),
    Holder(
        key="network_action_items",
        label=_("Network action items owned or added"),
        columns=(
            ("network", _("Network")),
            ("meeting", _("Meeting")),
            ("title", _("What")),
            ("owned_by_the_person", _("Owned by the person")),
            ("due", _("Due date")),
            ("status", _("Status")),
        ),
        export=export_action_items,
        erase=erase_action_items,
        order=42,
    ),
    Holder(
        key="network_writing",
        label=_("Minutes, comments and files in networks"),
        columns=(("network", _("Network")), ("meeting", _("Meeting")), ("what", _("What")), ("text", _("Text"))),
        export=export_writing,
        erase=erase_writing,
        order=43,
    ),
]
