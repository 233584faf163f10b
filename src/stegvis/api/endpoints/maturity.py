"""The maturity figures and the national comparison."""

from typing import Literal

from ninja import Query, Router
from ninja.errors import HttpError

from stegvis.cycles.models import Round
from stegvis.maturity import figures as maturity
from stegvis.maturity.models import MaturityFigure

from .. import paging
from .. import schemas as s
from .common import ERRORS, Cursor, Filter, org

router = Router()


def _rounds_for_figures(request, round_id):
    rounds = Round.objects.filter(organizer=org(request)).select_related("framework")
    if round_id is not None:
        rounds = rounds.filter(pk=round_id)
    rounds = list(rounds)
    if round_id is not None and not rounds:
        raise HttpError(404, "Not Found")
    return rounds


@router.get("/maturity", response={200: s.FigurePage, **ERRORS}, tags=["maturity"])
def maturity_figures(
    request,
    cursor: str = Cursor(),
    limit: int = Query(500, ge=1, le=2000, description="Figures per page"),
    round: int = Filter(description="Only this round"),
    scope: Literal["unit", "district", "organizer"] = Query(None, description="Only this level of figures"),
    area: str = Query(None, pattern=r"^[a-z0-9_-]{0,60}$", description='Only this area ("" for the totals)'),
):
    """The maturity index (0-100) per unit, district and organiser, per round, per area and in
    total (``area_key`` ""). ``unit_count``: how many units a figure is the mean of. The formula:
    docs/maturity.md."""
    rounds = _rounds_for_figures(request, round)
    maturity.ensure_fresh(organizer=org(request), rounds=rounds)
    qs = MaturityFigure.objects.filter(organizer=org(request), round__in=rounds)
    if scope is not None:
        qs = qs.filter(scope=scope)
    if area is not None:
        qs = qs.filter(area_key=area)
    fields = ("pk", "round_id", "scope", "scope_id", "area_key", "value", "unit_count")
    return paging.page(
        qs.values(*fields),
        cursor=cursor,
        limit=limit,
        serialize=lambda rows: [{k: r[k] for k in fields if k != "pk"} for r in rows],
    )


@router.get("/maturity/national", response={200: s.NationalList, **ERRORS}, tags=["maturity"])
def maturity_national(request, round: int = Filter(description="Only this round")):
    """The national comparison figures for the organiser's rounds, only where the other sharing
    organisers alone reach the minimum (the same rule as the maturity pages, docs/maturity.md)."""
    rounds = _rounds_for_figures(request, round)
    national = maturity.national(rounds=rounds, organizer=org(request))
    items = [
        {"round_id": round_id, "area_key": area, "value": value, "unit_count": count}
        for round_id, by_area in sorted(national.values.items())
        for area, (value, count) in sorted(by_area.items())
    ]
    return {"items": items, "withheld_round_ids": sorted(national.withheld)}
