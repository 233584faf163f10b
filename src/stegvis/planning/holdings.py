"""What the planning room holds about a person: actions they added or changed last, and the
follow-up notes they wrote (registered in ``ready``; docs/privacy.md). Erasing keeps the actions
and notes (they are the unit's plan) and makes their authorship anonymous."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import Action, Note


def export_actions(*, user, organizer):
    rows = (
        Action.objects.filter(organizer=organizer)
        .filter(Q(created_by=user) | Q(updated_by=user))
        .select_related("plan__unit", "plan__round")
        .order_by("created_at", "id")
    )
    return [
        {
            "unit": a.plan.unit.name,
            "round": a.plan.round.name,
            "title": a.title,
            "owner": a.owner,
            "added_by_the_person": a.created_by_id == user.pk,
            "changed_last_by_the_person": a.updated_by_id == user.pk,
            "added": when(a.created_at),
        }
        for a in rows
    ]


def erase_actions(*, user, organizer):
    Action.objects.filter(organizer=organizer, created_by=user).update(created_by=None)
    Action.objects.filter(organizer=organizer, updated_by=user).update(updated_by=None)


def export_notes(*, user, organizer):
    rows = Note.objects.filter(organizer=organizer, author=user).select_related("action").order_by("date", "id")
    return [{"action": n.action.title, "date": when(n.date), "note": n.text} for n in rows]


def erase_notes(*, user, organizer):
    Note.objects.filter(organizer=organizer, author=user).update(author=None)


ACTIONS_COLUMNS = (
    ("unit", _("Unit")),
    ("round", _("Round")),
    ("title", _("Title")),
    ("owner", _("Owner")),
    ("added_by_the_person", _("Added by the person")),
    ("changed_last_by_the_person", _("Changed last by the person")),
    ("added", _("Added")),
)


NOTES_COLUMNS = (
    ("action", _("Action")),
    ("date", _("Date")),
    ("note", _("Note")),
)


HOLDERS = [
    Holder(
        key="actions",
        columns=ACTIONS_COLUMNS,
        label=_("Actions added or changed"),
        export=export_actions,
        erase=erase_actions,
        order=30,
    ),
    Holder(
        key="notes",
        columns=NOTES_COLUMNS,
        label=_("Follow-up notes written"),
        export=export_notes,
        erase=erase_notes,
        order=31,
    ),
]
