"""Action plans and their actions."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from stegvis.planning.models import Action, ActionPlan

from .. import paging
from .. import schemas as s
from .common import ERRORS, Cursor, Filter, Id, Limit, org

router = Router()


ACTION_FIELDS = (
    "pk",
    "plan_id",
    "unit_id",
    "indicator_id",
    "indicator__code",
    "title",
    "description",
    "priority",
    "owner",
    "due_date",
    "status",
    "carried_from_id",
    "updated_at",
)


def _action(row):
    return {
        "id": row["pk"],
        "plan_id": row["plan_id"],
        "unit_id": row["unit_id"],
        "indicator_id": row["indicator_id"],
        "indicator_code": row["indicator__code"],
        "title": row["title"],
        "description": row["description"],
        "priority": row["priority"],
        "owner": row["owner"],
        "due_date": row["due_date"],
        "status": row["status"],
        "carried_from_id": row["carried_from_id"],
        "updated_at": row["updated_at"],
    }


def _plans(rows):
    actions = {}
    for row in (
        Action.objects.filter(plan__in=[p.pk for p in rows])
        .order_by("priority", "due_date", "pk")
        .values(*ACTION_FIELDS)
    ):
        actions.setdefault(row["plan_id"], []).append(_action(row))
    return [
        {
            "id": p.pk,
            "unit_id": p.unit_id,
            "round_id": p.round_id,
            "assessment_id": p.assessment_id,
            "created_at": p.created_at,
            "actions": actions.get(p.pk, []),
        }
        for p in rows
    ]


@router.get("/action-plans", response={200: s.PlanPage, **ERRORS}, tags=["action plans"])
def action_plans(
    request,
    cursor: str = Cursor(),
    limit: int = Query(50, ge=1, le=100, description="Plans per page"),
    round: int = Filter(description="Only this round"),
    unit: int = Filter(description="Only this unit"),
):
    """The units' action plans with their actions."""
    qs = ActionPlan.objects.filter(organizer=org(request))
    if round is not None:
        qs = qs.filter(round_id=round)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    return paging.page(qs, cursor=cursor, limit=limit, serialize=_plans)


@router.get("/action-plans/{plan_id}", response={200: s.PlanOut, **ERRORS}, tags=["action plans"])
def action_plan(request, plan_id: int = Id()):
    return _plans([get_object_or_404(ActionPlan, organizer=org(request), pk=plan_id)])[0]


@router.get("/actions", response={200: s.ActionPage, **ERRORS}, tags=["action plans"])
def actions(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    round: int = Filter(description="Only actions of this round's plans"),
    unit: int = Filter(description="Only this unit"),
    status: Literal["planned", "in_progress", "done", "dropped"] = Query(None, description="Only this status"),
):
    """Actions across the units' plans."""
    qs = Action.objects.filter(organizer=org(request))
    if round is not None:
        qs = qs.filter(plan__round_id=round)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if status is not None:
        qs = qs.filter(status=status)
    return paging.page(
        qs.values(*ACTION_FIELDS), cursor=cursor, limit=limit, serialize=lambda r: [_action(x) for x in r]
    )
