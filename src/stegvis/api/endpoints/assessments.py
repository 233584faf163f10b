"""Published assessments with their answers (drafts are never shown)."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from stegvis.assessments.models import Answer, Assessment

from .. import paging
from .. import schemas as s
from .common import ERRORS, Cursor, Filter, Id, org

router = Router()


def _assessments(rows):
    answers = {}
    for assessment_id, indicator_id, code, level, not_relevant, comment in (
        Answer.objects.filter(assessment__in=[a.pk for a in rows])
        .order_by("indicator__area__order", "indicator__order", "pk")
        .values_list("assessment_id", "indicator_id", "indicator__code", "level", "not_relevant", "comment")
    ):
        answers.setdefault(assessment_id, []).append(
            {
                "indicator_id": indicator_id,
                "indicator_code": code,
                "level": level,
                "not_relevant": not_relevant,
                "comment": comment,
            }
        )
    return [
        {
            "id": a.pk,
            "unit_id": a.unit_id,
            "round_id": a.round_id,
            "perspective": a.perspective,
            "version": a.version,
            "published_at": a.published_at,
            "answers": answers.get(a.pk, []),
        }
        for a in rows
    ]


def _published(request):
    return Assessment.objects.filter(organizer=org(request), status=Assessment.Status.PUBLISHED).only(
        "pk", "unit_id", "round_id", "perspective", "version", "published_at"
    )


@router.get("/assessments", response={200: s.AssessmentPage, **ERRORS}, tags=["assessments"])
def assessments(
    request,
    cursor: str = Cursor(),
    limit: int = Query(50, ge=1, le=100, description="Assessments per page"),
    round: int = Filter(description="Only this round"),
    unit: int = Filter(description="Only this unit"),
    perspective: s.PerspectiveCode = Query(None, description="Only this perspective"),
    latest: bool = Query(True, description="Only the newest published version of each (default true)"),
):
    """Published assessments with their answers (drafts are never shown)."""
    qs = _published(request)
    if round is not None:
        qs = qs.filter(round_id=round)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if perspective is not None:
        qs = qs.filter(perspective=perspective)
    if latest:
        newer = Assessment.objects.filter(
            organizer=org(request),
            status=Assessment.Status.PUBLISHED,
            unit_id=OuterRef("unit_id"),
            round_id=OuterRef("round_id"),
            perspective=OuterRef("perspective"),
            version__gt=OuterRef("version"),
        )
        qs = qs.filter(~Exists(newer))
    return paging.page(qs, cursor=cursor, limit=limit, serialize=_assessments)


@router.get("/assessments/{assessment_id}", response={200: s.AssessmentOut, **ERRORS}, tags=["assessments"])
def assessment(request, assessment_id: int = Id()):
    return _assessments([get_object_or_404(_published(request), pk=assessment_id)])[0]
