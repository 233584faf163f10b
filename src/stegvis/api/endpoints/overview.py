"""The overview grid's cells."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from stegvis.cycles.models import Round
from stegvis.overview.models import PlanCell

from .. import paging
from .. import schemas as s
from .common import ERRORS, MAX_ID, Cursor, Filter, org

router = Router()


CELL_FIELDS = ("pk", "unit_id", "district_id", "indicator_id", "level", "not_relevant", "state", "priority")


@router.get("/overview-cells", response={200: s.CellPage, **ERRORS}, tags=["overview"])
def overview_cells(
    request,
    round: int = Query(..., ge=1, le=MAX_ID, description="The round"),
    cursor: str = Cursor(),
    limit: int = Query(500, ge=1, le=2000, description="Cells per page"),
    unit: int = Filter(description="Only this unit"),
    district: int = Filter(description="Only units of this district"),
    indicator: int = Filter(description="Only this indicator"),
):
    """The overview grid's cells of a round: one per unit and indicator, with the level reached
    and the plan state (na: not assessed or not relevant; none: nothing planned; planned; done)."""
    rnd = get_object_or_404(Round, organizer=org(request), pk=round)
    qs = PlanCell.objects.filter(organizer=org(request), round=rnd)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if district is not None:
        qs = qs.filter(district_id=district)
    if indicator is not None:
        qs = qs.filter(indicator_id=indicator)
    return paging.page(
        qs.values(*CELL_FIELDS),
        cursor=cursor,
        limit=limit,
        serialize=lambda rows: [{k: r[k] for k in CELL_FIELDS if k != "pk"} for r in rows],
    )
