"""What the goals room holds about a person (registered in ``ready``; docs/privacy.md).

Local digital plans and the organiser's plan (docs/digital-plans.md): who drafted and who adopted
a plan, and who owns a central action. Erasing keeps the plans (they are the unit's and the
organiser's) and makes the authorship anonymous; a central action the person owned loses its owner.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import CentralAction, DigitalPlan, OrganiserPlan


def export_plans(*, user, organizer):
    unit_plans = [
        {
            "plan": p.unit.name,
            "school_year": p.year_label,
            "version": p.version,
            "drafted_by_the_person": p.created_by_id == user.pk,
            "adopted_by_the_person": p.adopted_by_id == user.pk,
            "adopted": when(p.adopted_at),
        }
        for p in DigitalPlan.objects.filter(organizer=organizer)
        .filter(Q(created_by=user) | Q(adopted_by=user))
        .select_related("unit")
        .order_by("school_year", "unit__name", "version")
    ]
    own = [
        {
            "plan": str(_("The organiser's plan")),
            "school_year": p.year_label,
            "version": p.version,
            "drafted_by_the_person": p.created_by_id == user.pk,
            "adopted_by_the_person": p.adopted_by_id == user.pk,
            "adopted": when(p.adopted_at),
        }
        for p in OrganiserPlan.objects.filter(organizer=organizer)
        .filter(Q(created_by=user) | Q(adopted_by=user))
        .order_by("school_year", "version")
    ]
    return unit_plans + own


def erase_plans(*, user, organizer):
    for model in (DigitalPlan, OrganiserPlan):
        model.objects.filter(organizer=organizer, created_by=user).update(created_by=None)
        model.objects.filter(organizer=organizer, adopted_by=user).update(adopted_by=None)


def export_central_actions(*, user, organizer):
    rows = CentralAction.objects.filter(organizer=organizer, owner=user).select_related("plan").order_by("id")
    return [
        {
            "school_year": a.plan.year_label,
            "title": a.title,
            "due_date": when(a.due_date),
            "status": str(a.get_status_display()),
        }
        for a in rows
    ]


def erase_central_actions(*, user, organizer):
    CentralAction.objects.filter(organizer=organizer, owner=user).update(owner=None)


PLANS_COLUMNS = (
    ("plan", _("Plan")),
    ("school_year", _("School year")),
    ("version", _("Version")),
    ("drafted_by_the_person", _("Drafted by the person")),
    ("adopted_by_the_person", _("Adopted by the person")),
    ("adopted", _("Adopted on")),
)

CENTRAL_ACTIONS_COLUMNS = (
    ("school_year", _("School year")),
    ("title", _("Central action")),
    ("due_date", _("Due date")),
    ("status", _("Status")),
)

HOLDERS = [
    Holder(
        key="digital_plans",
        columns=PLANS_COLUMNS,
        label=_("Digital plans drafted or adopted"),
        export=export_plans,
        erase=erase_plans,
        order=40,
    ),
    Holder(
        key="central_actions",
        columns=CENTRAL_ACTIONS_COLUMNS,
        label=_("Central actions owned"),
        export=export_central_actions,
        erase=erase_central_actions,
        order=41,
    ),
]
