"""What competence development holds about a person (registered in ``apps.ready``; docs/privacy.md):
their enrolments (which initiative, which tracks, when an evaluation link was mailed), the
meetings they noted and the actions they linked. Whether they answered an evaluation is never
held. Erasing removes the enrolments (they are only about the person) and makes the authorship
of notes and links anonymous."""

from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import Enrolment, Initiative, LinkedAction, SpreadMeeting, TrackChoice


def export_enrolments(*, user, organizer):
    rows = Enrolment.objects.filter(organizer=organizer, user=user).select_related("initiative").order_by("created_at")
    tracks = {}
    for enrolment_id, title in TrackChoice.objects.filter(organizer=organizer, enrolment__user=user).values_list(
        "enrolment_id", "track__title"
    ):
        tracks.setdefault(enrolment_id, []).append(title)
    return [
        {
            "initiative": e.initiative.title,
            "tracks": ", ".join(tracks.get(e.pk, [])),
            "enrolled": when(e.created_at),
            "evaluation_link_sent": when(e.evaluation_sent_on) if e.evaluation_sent_on else "",
        }
        for e in rows
    ]


def erase_enrolments(*, user, organizer):
    Enrolment.objects.filter(organizer=organizer, user=user).delete()
    Enrolment.objects.filter(organizer=organizer, enrolled_by=user).update(enrolled_by=None)
    Initiative.objects.filter(organizer=organizer, created_by=user).update(created_by=None)


def export_notes(*, user, organizer):
    meetings = SpreadMeeting.objects.filter(organizer=organizer, author=user).select_related("initiative")
    links = LinkedAction.objects.filter(organizer=organizer, added_by=user).select_related("initiative", "action")
    return [{"initiative": m.initiative.title, "date": when(m.date), "note": m.note} for m in meetings] + [
        {"initiative": link.initiative.title, "date": when(link.created_at), "note": link.action.title}
        for link in links
    ]


def erase_notes(*, user, organizer):
    SpreadMeeting.objects.filter(organizer=organizer, author=user).update(author=None)
    LinkedAction.objects.filter(organizer=organizer, added_by=user).update(added_by=None)


HOLDERS = [
    Holder(
        key="development_enrolments",
        label=_("Competence development: enrolments"),
        columns=(
            ("initiative", _("Initiative")),
            ("tracks", _("Tracks")),
            ("enrolled", _("Enrolled")),
            ("evaluation_link_sent", _("Evaluation link sent")),
        ),
        export=export_enrolments,
        erase=erase_enrolments,
        order=40,
    ),
    Holder(
        key="development_notes",
        label=_("Competence development: meetings noted and actions linked"),
        columns=(("initiative", _("Initiative")), ("date", _("Date")), ("note", _("Note"))),
        export=export_notes,
        erase=erase_notes,
        order=41,
    ),
]
