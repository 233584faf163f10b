"""Measurable goals with their baseline, target, values per round (and what each rests on) and
status, computed as the goals pages compute them (``goals.values``, ``goals.progress``)."""

from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router

from stegvis.goals import progress, values
from stegvis.goals.models import Goal, Measure

from .. import paging
from .. import schemas as s
from .common import ERRORS, Cursor, Filter, Id, Limit, org

router = Router()


def _fresh(request):
    """The stored goal values brought up to date, as the goals pages do before they read them."""
    organizer = org(request)
    values.ensure_fresh(
        organizer=organizer, rounds=[r for r in values.organizer_rounds(organizer) if not r.is_upcoming]
    )


def _value(goal, value):
    return {
        "round_id": value.round_id,
        "value": value.value,
        "base": value.base,
        "of": value.of,
        "rests_on": "actions" if goal.measure == Measure.ACTIONS_DONE else "units",
        "comment": value.comment,
    }


def _goals(request, rows):
    by_goal = values.values_by_goal(organizer=org(request), goals=rows)
    today = timezone.localdate()
    items = []
    for goal in rows:
        vals = by_goal.get(goal.pk, [])
        last = progress.latest(vals)
        items.append(
            {
                "id": goal.pk,
                "parent_id": goal.parent_id,
                "title": goal.title,
                "description": goal.description,
                "scope": goal.scope,
                "district_id": goal.district_id,
                "unit_id": goal.unit_id,
                "measure": goal.measure,
                "indicator_code": goal.indicator_code,
                "area_key": goal.area_key,
                "level": goal.level,
                "baseline_round_id": goal.baseline_round_id,
                "baseline_value": goal.baseline_value,
                "baseline_base": goal.baseline_base,
                "target_value": goal.target_value,
                "target_date": goal.target_date,
                "latest": _value(goal, last) if last else None,
                "status": progress.status(goal, vals, today),
                "values": [_value(goal, v) for v in vals],
            }
        )
    return items


def _queryset(request):
    return Goal.objects.filter(organizer=org(request)).select_related("baseline_round")


@router.get("/goals", response={200: s.GoalPage, **ERRORS}, tags=["goals"])
def goals(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    scope: Literal["organizer", "district", "unit"] = Query(None, description="Only goals of this kind"),
    district: int = Filter(description="Only this district's goals"),
    unit: int = Filter(description="Only this unit's goals"),
    parent: int = Filter(description="Only the sub-goals of this goal"),
    status: s.GoalStatus = Query(None, description="Only goals with this status (filters the page's goals)"),
):
    """The organiser's measurable goals (mätbara mål) and sub-goals: baseline, target, the value
    in each round since the baseline with what it rests on, the latest value and the status
    (docs/goals.md). ``status`` filters within each page, so a page may hold fewer items."""
    _fresh(request)
    qs = _queryset(request)
    if scope is not None:
        qs = qs.filter(scope=scope)
    if district is not None:
        qs = qs.filter(district_id=district)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if parent is not None:
        qs = qs.filter(parent_id=parent)

    def serialize(rows):
        items = _goals(request, rows)
        return [i for i in items if i["status"] == status] if status is not None else items

    return paging.page(qs, cursor=cursor, limit=limit, serialize=serialize)


@router.get("/goals/{goal_id}", response={200: s.GoalOut, **ERRORS}, tags=["goals"])
def goal(request, goal_id: int = Id()):
    goal = get_object_or_404(_queryset(request), pk=goal_id)
    _fresh(request)
    return _goals(request, [goal])[0]
