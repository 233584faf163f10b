"""The organiser's plan's central actions in the year wheel and the feeds (docs/calendar.md,
docs/digital-plans.md). Registered by ``sources.register_builtin``: calendar stands above the
goals room, so the source lives here and reads goals' central actions."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stegvis.goals.models import CentralAction
from stegvis.goals.plans import central_action_ref, current_central_actions


def central_action_events(*, organizer, reader, start, end):
    """The due dates of the central actions in each school year's newest organiser's plan
    (not the dropped ones), for who may read the organiser's plan (``Access.can_read_organiser_plan``:
    admins, viewers, district leads) and in the organiser's feed. A district filter leaves them
    out: the plan is the whole organiser's. One query.

    The UID outlives a new version of the plan (``goals.plans.central_action_ref``), so a
    subscribed calendar keeps one event; the content (title, date, status, owner) raises its
    SEQUENCE."""
    from .sources import CalendarEvent

    if reader.only_district is not None or not (reader.all or reader.organiser_plan):
        return
    rows = (
        current_central_actions(organizer=organizer)
        .filter(due_date__gte=start, due_date__lte=end)
        .exclude(status=CentralAction.Status.DROPPED)
        .select_related("plan", "owner")
        .order_by("due_date", "pk")
    )
    for action in rows:
        ref = central_action_ref(pk=action.pk, origin=action.origin)
        lines = [_("Status: %(status)s") % {"status": action.get_status_display()}]
        if action.owner is not None:
            lines.append(_("Owner: %(name)s") % {"name": action.owner.display_name})
        done = action.status == CentralAction.Status.DONE
        yield CalendarEvent(
            uid=f"central-action-{ref}@stegvis",
            kind="central_action",
            title=(_("Done: %(title)s") if done else _("Due: %(title)s")) % {"title": action.title},
            starts_on=action.due_date,
            description="\n".join(lines),
            url=reverse("organiser_plan_version", args=[organizer.slug, action.plan_id]) + "#central-support",
            content=f"{action.title}|{action.due_date}|{action.status}|{action.owner_id}",
        )
