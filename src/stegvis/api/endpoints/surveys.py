"""Survey aggregates with the anonymity rules applied exactly as the result pages apply them
(``surveys.results``: k, complementary suppression; never free text; docs/anonymity.md)."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from stegvis.cycles.models import Round
from stegvis.organisations.access import ApiTokenAccess
from stegvis.organisations.models import Unit
from stegvis.surveys import anonymity, results
from stegvis.surveys.models import Survey, SurveyUnit

from .. import paging
from .. import schemas as s
from .common import ERRORS, MAX_ID, Cursor, Filter, Id, Limit, org

router = Router()


def _surveys(rows):
    units = {}
    for survey_id, unit_id in (
        SurveyUnit.objects.filter(survey__in=[r.pk for r in rows])
        .order_by("unit_id")
        .values_list("survey_id", "unit_id")
    ):
        units.setdefault(survey_id, []).append(unit_id)
    return [
        {
            "id": r.pk,
            "round_id": r.round_id,
            "respondent_group": r.respondent_group,
            "k": anonymity.effective_k(r.k),
            "opens_at": r.opens_at,
            "closes_at": r.closes_at,
            "state": r.state,
            "responses": r.refreshed_count,
            "refreshed_at": r.refreshed_at,
            "unit_ids": units.get(r.pk, []),
        }
        for r in rows
    ]


@router.get("/surveys", response={200: s.SurveyPage, **ERRORS}, tags=["surveys"])
def surveys(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    round: int = Filter(description="Only this round's surveys"),
    unit: int = Filter(description="Only surveys that ask this unit"),
):
    """The organiser's anonymous surveys (enkäter): group, window, k and how many responses the
    figures rest on."""
    qs = Survey.objects.filter(organizer=org(request))
    if round is not None:
        qs = qs.filter(round_id=round)
    if unit is not None:
        qs = qs.filter(survey_units__unit_id=unit)
    return paging.page(qs, cursor=cursor, limit=limit, serialize=_surveys)


def _cell(key, cell):
    hidden = bool(cell["hidden"])
    return {
        "key": key,
        "percent": None if hidden else cell["percent"],
        "hidden": hidden,
        "base": None if hidden or cell["percent"] is None else cell["base"],
    }


@router.get("/surveys/{survey_id}/results", response={200: s.SurveyResultsOut, **ERRORS}, tags=["surveys"])
def survey_results(request, survey_id: int = Id()):
    """One survey per unit, district and the whole organiser: per area the share of positive
    answers, as the survey's result page shows it. A figure resting on fewer than k answers is
    hidden, and so are the next-smallest where a hidden one could be worked out from a total
    (``hidden``: true, ``percent`` and ``base`` null)."""
    survey = get_object_or_404(
        Survey.objects.select_related("round__framework", "organizer"), organizer=org(request), pk=survey_id
    )
    data = results.organiser_results(survey=survey, access=ApiTokenAccess(api_token=request.api_token), lang="sv")
    keys = data["area_keys"]

    def row(r, kind):
        return {
            "kind": kind,
            "unit_id": r["unit"].pk if kind == "unit" else None,
            "district_id": r.get("district_id"),
            "responses": r["responses"],
            "expected": r["expected"],
            "rate": r["rate"],
            "cells": [_cell(key, c) for key, c in zip(keys, r["cells"], strict=True)],
        }

    rows = [row(r, r["kind"]) for r in data["rows"]]
    if data["total"] is not None:
        rows.append(row(data["total"], "organizer"))
    return {"survey_id": survey.pk, "k": data["k"], "area_keys": keys, "rows": rows}


@router.get("/units/{unit_id}/survey-results", response={200: s.UnitSurveyResultsOut, **ERRORS}, tags=["surveys"])
def unit_survey_results(
    request,
    unit_id: int = Id(),
    round: int = Query(..., ge=1, le=MAX_ID, description="The round"),
):
    """One unit's surveys in a round, as the unit's result page shows them: per respondent group
    its responses (and per group code from two codes), per indicator and per area the share of
    positive answers, and where it is much lower than the principal's level (``gap``). Below k a
    figure is hidden; free text is never given."""
    unit = get_object_or_404(Unit, organizer=org(request), pk=unit_id)
    rnd = get_object_or_404(Round.objects.select_related("framework"), organizer=org(request), pk=round)
    data = results.unit_results(
        unit=unit, round=rnd, lang="sv", access=ApiTokenAccess(api_token=request.api_token), with_free_text=False
    )
    groups = data["groups"]

    def cells(row_cells, *, with_gap):
        found = []
        for group, c in zip(groups, row_cells, strict=True):
            hidden = bool(c["hidden"])
            cell = {
                "survey_id": group.survey.pk,
                "asked": c["asked"],
                "percent": None if hidden else c["percent"],
                "hidden": hidden,
                "base": None if hidden or c["percent"] is None else c["base"],
            }
            if with_gap:
                cell["gap"] = bool(c["gap"])
            found.append(cell)
        return found

    return {
        "unit_id": unit.pk,
        "round_id": rnd.pk,
        "groups": [
            {
                "survey_id": g.survey.pk,
                "respondent_group": g.key,
                "responses": g.responses,
                "expected": g.expected,
                "rate": g.rate,
                "k": g.k,
                "codes": [
                    {"code": code, "responses": n, "percent": None if hidden else pct, "hidden": hidden}
                    for code, n, pct, hidden in g.codes
                ],
            }
            for g in groups
        ],
        "indicators": [
            {
                "indicator_id": r["indicator"].pk,
                "indicator_code": r["indicator"].code,
                "area_key": r["indicator"].area.key,
                "cells": cells(r["cells"], with_gap=True),
            }
            for r in data["rows"]
        ],
        "areas": [{"area_key": a["area"].key, "cells": cells(a["cells"], with_gap=False)} for a in data["areas"]],
    }
