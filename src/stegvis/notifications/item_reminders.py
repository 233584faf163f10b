"""Reminders that wait for no round (docs/notifications.md): to the owners of open network
action items (``networks.ActionItem``, docs/networks.md) and of the organiser's plan's open
central actions (``goals.CentralAction``, docs/digital-plans.md). Each owner hears once a week
before the due date and once when it has passed; a new due date is a new trigger. Two queries
per kind and organiser, none per item; ``domain.remind_organizer`` sends what they return.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stegvis.goals.models import CentralAction
from stegvis.goals.plans import central_action_ref, current_central_actions
from stegvis.networks.models import ActionItem
from stegvis.organisations.access import ReminderRecipients

from . import kinds
from .due import Due, Later

NETWORK_ACTION_DAYS_BEFORE = 7  # a network action item's owner hears this many days before its due date
CENTRAL_ACTION_DAYS_BEFORE = 7  # a central action's owner hears this many days before its due date


def open_network_items(today):
    return ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        due_date__isnull=False,
        due_date__lte=today + timedelta(days=NETWORK_ACTION_DAYS_BEFORE),
        owner__isnull=False,
        owner__is_active=True,
    )


def open_central_actions(today, organizer=None):
    return current_central_actions(organizer=organizer).filter(
        status__in=CentralAction.OPEN_STATUSES,
        due_date__isnull=False,
        due_date__lte=today + timedelta(days=CENTRAL_ACTION_DAYS_BEFORE),
        owner__isnull=False,
        owner__is_active=True,
    )


def _owner_mail(*, kind, name, ref, user_id, title, due_date, today, why, path, context):
    """The Due of one item's owner: "due" before the date, "overdue" after it."""
    overdue = due_date < today
    trigger = "overdue" if overdue else "due"
    return Due(
        kind=kind,
        user_id=user_id,
        key=f"{name}-{trigger}:{ref}:{user_id}:{due_date}",
        template=f"notifications/mail/{name.replace('-', '_')}",
        subject=(
            Later(_("Overdue: %(title)s"), title=title)
            if overdue
            else Later(_("Due %(date)s: %(title)s"), title=title, date=due_date)
        ),
        why=why,
        path=path,
        context={"title": title, "due": due_date, "overdue": overdue, **context},
    )


def network_action_mails(*, organizer, today):
    """[Due] for the owners of the organiser's open network action items."""
    rows = list(
        open_network_items(today)
        .filter(organizer=organizer)
        .values_list("pk", "title", "due_date", "owner_id", "meeting_id", "meeting__network__name")
    )
    if not rows:
        return []
    who = ReminderRecipients.of(organizer)
    return [
        _owner_mail(
            kind=kinds.NETWORK_ACTION,
            name="network-action",
            ref=pk,
            user_id=user_id,
            title=title,
            due_date=due_date,
            today=today,
            why=Later(_("You get this mail because you own an action item of %(network)s."), network=network),
            path=reverse("network_meeting", args=[organizer.slug, meeting_id]) + "#action-items",
            context={"network": network},
        )
        for pk, title, due_date, user_id, meeting_id, network in rows
        if user_id in who.members  # else no longer a member of the organiser
    ]


def central_action_mails(*, organizer, today):
    """[Due] for the owners of the open central actions of the organiser's plan (each school
    year's newest version, ``goals.plans.current_central_actions``). The key names the action
    by ``central_action_ref``, so the copy in a new version of the plan is not reminded again."""
    rows = list(
        open_central_actions(today, organizer).values_list("pk", "title", "due_date", "owner_id", "plan_id", "origin")
    )
    if not rows:
        return []
    who = ReminderRecipients.of(organizer)
    why = Later(
        _("You get this mail because you own a central action of %(organizer)s's plan."), organizer=organizer.name
    )
    return [
        _owner_mail(
            kind=kinds.CENTRAL_ACTION,
            name="central-action",
            ref=central_action_ref(pk=pk, origin=origin),
            user_id=user_id,
            title=title,
            due_date=due_date,
            today=today,
            why=why,
            path=reverse("organiser_plan_version", args=[organizer.slug, plan_id]) + "#central-support",
            context={},
        )
        for pk, title, due_date, user_id, plan_id, origin in rows
        if user_id in who.members  # else no longer a member of the organiser
    ]
