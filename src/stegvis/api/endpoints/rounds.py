"""Rounds and their indicators."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from stegvis.core import schoolforms
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Indicator

from .. import paging
from .. import schemas as s
from .common import ERRORS, Cursor, Id, Limit, org

router = Router()


def _round(r):
    return {
        "id": r.pk,
        "name": r.name,
        "framework_key": r.framework.key,
        "framework_version": r.framework.version,
        "level_count": r.framework.level_count,
        "opens_on": r.opens_on,
        "deadline": r.deadline,
        "closes_on": r.closes_on,
        "status": r.status,
        "state": r.state,
        "expected_perspectives": list(r.expected_perspectives or []),
    }


@router.get("/rounds", response={200: s.RoundPage, **ERRORS}, tags=["rounds"])
def rounds(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    status: Literal["open", "closed"] = Query(None, description="Only open or only closed rounds"),
):
    """The organiser's assessment rounds (omgångar)."""
    qs = Round.objects.filter(organizer=org(request)).select_related("framework")
    if status is not None:
        qs = qs.filter(status=status)
    return paging.page(qs, cursor=cursor, limit=limit, serialize=lambda rows: [_round(r) for r in rows])


@router.get("/rounds/{round_id}", response={200: s.RoundOut, **ERRORS}, tags=["rounds"])
def round_detail(request, round_id: int = Id()):
    return _round(get_object_or_404(Round.objects.select_related("framework"), organizer=org(request), pk=round_id))


@router.get("/rounds/{round_id}/indicators", response={200: list[s.IndicatorOut], **ERRORS}, tags=["rounds"])
def round_indicators(request, round_id: int = Id()):
    """The indicators of the round's framework, in order, with their area."""
    rnd = get_object_or_404(Round, organizer=org(request), pk=round_id)
    rows = (
        Indicator.objects.filter(framework_id=rnd.framework_id)
        .order_by("area__order", "order", "pk")
        .values_list("pk", "code", "area__key", "title_sv", "title_en", "school_forms", "optional")
    )
    return [
        {
            "id": pk,
            "code": code,
            "area_key": area,
            "title_sv": sv,
            "title_en": en,
            "school_forms": schoolforms.to_codes(forms),
            "optional": optional,
        }
        for pk, code, area, sv, en, forms, optional in rows
    ]
