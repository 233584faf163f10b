"""The REST API (django-ninja): /api/v1/..., with its OpenAPI document and browsable docs.

Every operation needs ``Authorization: Bearer <token>``; the token names one organiser and the
operation runs inside its django-scopes scope (``_around``), so another organiser's object is
404 like one that does not exist. Read-write tokens may also create and change units, through
the same form and domain functions as the unit pages. Pages are cursor-paged (``paging``),
GET answers carry an ETag (``If-None-Match`` gives 304), and each token is rate limited
(``ratelimit``: 429 with Retry-After). docs/api.md.
"""

import functools
import io
from typing import Literal

from django.db.models import Exists, F, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django_scopes import scope
from ninja import NinjaAPI, Path, Query, Status, Swagger
from ninja.errors import HttpError
from ninja.security import HttpBearer

from stegvis.assessments.models import Answer, Assessment
from stegvis.core import schoolforms
from stegvis.core.models import record
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Indicator
from stegvis.maturity import figures as maturity
from stegvis.maturity.models import MaturityFigure
from stegvis.organisations import domain as organisations
from stegvis.organisations import imports
from stegvis.organisations.forms import UnitForm
from stegvis.organisations.models import District, Unit
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action, ActionPlan

from . import domain, paging, ratelimit
from . import schemas as s
from .http import conditional

MAX_ID = 2**31 - 1


def Id():
    return Path(..., ge=1, le=MAX_ID)


def Filter(description):
    return Query(None, ge=1, le=MAX_ID, description=description)


def Cursor():
    return Query(None, pattern=paging.CURSOR_PATTERN, description="next_cursor of the previous page")


def Limit():
    return Query(paging.DEFAULT_LIMIT, ge=1, le=paging.MAX_LIMIT, description="Items per page")


ERRORS = {code: s.Error for code in (400, 401, 403, 404, 422, 429)}


class Invalid(Exception):
    """422 with the form's messages by field: {"detail": {"code": ["..."]}}."""

    def __init__(self, detail):
        super().__init__("invalid")
        self.detail = detail


class RateLimited(Exception):
    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait


class BearerToken(HttpBearer):
    """An API token in ``Authorization: Bearer``: resolves to one organiser, counts against the
    token's rate limit, remembers its use, and enters the organiser's scope (left in ``_around``)."""

    def authenticate(self, request, token):
        api_token = domain.resolve(token)
        if api_token is None:
            return None
        wait = ratelimit.hit(api_token.pk)
        if wait:
            raise RateLimited(wait)
        request.organizer = api_token.organizer
        request.api_token = api_token
        entered = scope(organizer=api_token.organizer)
        entered.__enter__()
        request._api_scope = entered
        domain.note_use(api_token=api_token)
        return api_token


def _around(run):
    """Around each operation: leave the organiser's scope the token entered (after the response
    is serialised, so that it is read inside it too), and answer a GET with an ETag and 304."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        finally:
            entered = getattr(request, "_api_scope", None)
            if entered is not None:
                request._api_scope = None
                entered.__exit__(None, None, None)
        patch_vary_headers(response, ["Authorization"])
        return conditional(request, response)

    return wrapper


api = NinjaAPI(
    title="Stegvis API",
    version="1",
    description=(
        "An organiser's districts, units, rounds, published assessments, action plans, overview cells and "
        "maturity figures. Authenticate with `Authorization: Bearer <token>` (an organiser admin makes tokens "
        "in Stegvis under API and open data). See docs/api.md."
    ),
    auth=BearerToken(),
    docs=Swagger(settings={"persistAuthorization": False}),
    urls_namespace="api-v1",
)
api.add_decorator(_around, mode="view")


@api.exception_handler(Invalid)
def _invalid(request, exc):
    return JsonResponse({"detail": exc.detail}, status=422)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = JsonResponse({"detail": "Too many requests: wait before trying again"}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


def _org(request):
    return request.organizer


def _need_write(request):
    if not request.api_token.can_write:
        raise HttpError(403, "This token may only read")


# -- the organiser ---------------------------------------------------------------------------


@api.get("/organizer", response={200: s.OrganizerOut, **ERRORS}, tags=["organizer"])
def organizer(request):
    """The organiser the token belongs to, and the token itself."""
    token = request.api_token
    org = _org(request)
    return {
        "name": org.name,
        "slug": org.slug,
        "token": {"name": token.name, "scope": token.scope, "expires_at": token.expires_at},
    }


# -- districts and units -----------------------------------------------------------------


@api.get("/districts", response={200: s.DistrictPage, **ERRORS}, tags=["districts"])
def districts(request, cursor: str = Cursor(), limit: int = Limit()):
    """The organiser's districts (utbildningsområden)."""
    qs = District.objects.filter(organizer=_org(request)).values("pk", "name")
    return paging.page(qs, cursor=cursor, limit=limit, serialize=lambda rows: [_district(r) for r in rows])


@api.get("/districts/{district_id}", response={200: s.DistrictOut, **ERRORS}, tags=["districts"])
def district(request, district_id: int = Id()):
    row = get_object_or_404(District.objects.filter(organizer=_org(request)).values("pk", "name"), pk=district_id)
    return _district(row)


def _district(row):
    return {"id": row["pk"], "name": row["name"]}


UNIT_FIELDS = ("pk", "name", "code", "school_forms", "district_id", "active")


def _unit(row):
    return {
        "id": row["pk"],
        "name": row["name"],
        "code": row["code"],
        "school_forms": schoolforms.to_codes(row["school_forms"]),
        "district_id": row["district_id"],
        "active": row["active"],
    }


@api.get("/units", response={200: s.UnitPage, **ERRORS}, tags=["units"])
def units(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    district: int = Filter(description="Only units of this district"),
    no_district: bool = Query(None, description="true: only units without a district"),
    school_form: s.SchoolForm = Query(None, description="Only units with this school form"),
    active: bool = Query(None, description="true: only active units; false: only inactive"),
    code: str = Query(None, pattern=r"^\d{8}$", description="The unit with this unit code"),
):
    """The organiser's units (skolenheter, förskoleenheter), with filters."""
    qs = Unit.objects.filter(organizer=_org(request))
    if district is not None:
        qs = qs.filter(district_id=district)
    if no_district is not None:
        qs = qs.filter(district__isnull=no_district)
    if school_form is not None:
        bit = schoolforms.to_mask([school_form])
        qs = qs.annotate(has_form=F("school_forms").bitand(bit)).filter(has_form__gt=0)
    if active is not None:
        qs = qs.filter(active=active)
    if code is not None:
        qs = qs.filter(code=code)
    return paging.page(
        qs.values(*UNIT_FIELDS), cursor=cursor, limit=limit, serialize=lambda rows: [_unit(r) for r in rows]
    )


@api.get("/units/{unit_id}", response={200: s.UnitOut, **ERRORS}, tags=["units"])
def unit(request, unit_id: int = Id()):
    return _unit(get_object_or_404(Unit.objects.filter(organizer=_org(request)).values(*UNIT_FIELDS), pk=unit_id))


def _save_unit(request, data, *, unit=None):
    """Through the unit pages' form (``organisations.forms.UnitForm``) and domain functions, so
    the API knows no rules of its own. Returns the unit; 422 with the form's messages."""
    organizer = _org(request)
    form = UnitForm(data=data, organizer=organizer, unit=unit)
    if form.is_valid():
        try:
            if unit is None:
                unit = organisations.create_unit(organizer=organizer, by=None, **form.cleaned_data)
            else:
                unit = organisations.update_unit(unit=unit, by=None, **form.cleaned_data)
        except organisations.OrganisationError as error:
            raise Invalid({"__all__": [str(error)]}) from None
        return unit
    raise Invalid({field: [str(e) for e in errors] for field, errors in form.errors.items()})


def _form_data(values):
    return {
        "name": values["name"],
        "code": values["code"],
        "school_forms": list(values["school_forms"]),
        "district": values["district_id"] or "",
        **({"active": "on"} if values["active"] else {}),
    }


@api.post("/units", response={201: s.UnitOut, **ERRORS}, tags=["units"])
def unit_create(request, payload: s.UnitIn):
    """Create a unit (read-write tokens). The same checks as the unit pages: an eight-digit code
    not used by another unit, at least one school form, a district of the organiser."""
    _need_write(request)
    new = _save_unit(request, _form_data(payload.dict()))
    _audit(request, new, "unit.created")
    return Status(201, _unit(Unit.objects.filter(organizer=_org(request)).values(*UNIT_FIELDS).get(pk=new.pk)))


@api.patch("/units/{unit_id}", response={200: s.UnitOut, **ERRORS}, tags=["units"])
def unit_update(request, payload: s.UnitPatch, unit_id: int = Id()):
    """Change a unit (read-write tokens): only the fields given change; ``district_id: null``
    takes the unit out of its district. The same checks as the unit pages."""
    _need_write(request)
    current = get_object_or_404(Unit, organizer=_org(request), pk=unit_id)
    values = _unit(Unit.objects.filter(pk=current.pk).values(*UNIT_FIELDS).get()) | {"district_id": current.district_id}
    values.update(payload.dict(exclude_unset=True))
    if values.get("name") is None or values.get("code") is None or values.get("school_forms") is None:
        raise Invalid({"__all__": ["name, code and school_forms cannot be null"]})
    if values.get("active") is None:
        raise Invalid({"active": ["active cannot be null"]})
    _save_unit(request, _form_data(values), unit=current)
    _audit(request, current, "unit.changed")
    return _unit(Unit.objects.filter(pk=current.pk).values(*UNIT_FIELDS).get())


@api.post(
    "/unit-imports",
    response={200: s.UnitImportOut, **ERRORS},
    tags=["units"],
)
def units_import(request, payload: s.UnitImportIn):
    """Import a file of units (read-write tokens), exactly as the unit import page does
    (``organisations.imports.parse_units``, ``compare`` and ``domain.import_units``): units are
    matched by unit code, created or updated, never deleted. With ``dry_run`` (the default) it
    only says what would change. A file with problems answers 422 with every problem and its
    place (``{"detail": [{"place": "Line 3", "message": "..."}]}``); nothing is written then."""
    _need_write(request)
    organizer = _org(request)
    districts = list(District.objects.filter(organizer=organizer).order_by("name"))
    upload = io.BytesIO(payload.file.encode("utf-8"))
    result = imports.parse_units(
        upload, districts=districts, municipality=payload.municipality, organisation=payload.organisation
    )
    if not result.ok:
        problems = [{"place": str(place) if place else "", "message": str(message)} for place, message in result.errors]
        return Status(422, {"detail": problems})
    existing = {u.code: u for u in Unit.objects.filter(organizer=organizer)}
    try:
        plan = imports.compare(
            result.rows, existing=existing, districts={d.pk: d for d in districts}, skipped=result.skipped
        )
    except imports.DistrictGone as gone:  # a district deleted while the file was read
        raise Invalid({"__all__": [f"Unknown district on {gone.row.place}"]}) from None
    warnings = [str(w) for w in imports.duplicate_names(result.rows, plan=plan, existing=existing)]
    if not payload.dry_run:
        try:
            organisations.import_units(organizer=organizer, by=None, rows=result.rows, skipped=result.skipped)
        except organisations.OrganisationError as error:
            raise Invalid({"__all__": [str(error)]}) from None
        _audit(request, organizer, "units.imported")
    return {
        "dry_run": payload.dry_run,
        "created": [p.row.code for p in plan.new],
        "changed": [p.row.code for p in plan.changed],
        "unchanged": plan.unchanged,
        "skipped": [{"code": k.code, "name": k.name, "reason": k.reason_text()} for k in plan.skipped],
        "warnings": warnings,
    }


def _audit(request, obj, what):
    token = request.api_token
    record(
        organizer=_org(request),
        actor=None,
        verb="api_token.wrote",
        obj=obj,
        summary=f"{what} with the API token “{token.name}” (#{token.pk})",
    )


# -- rounds and their indicators ---------------------------------------------------------


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


@api.get("/rounds", response={200: s.RoundPage, **ERRORS}, tags=["rounds"])
def rounds(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    status: Literal["open", "closed"] = Query(None, description="Only open or only closed rounds"),
):
    """The organiser's assessment rounds (omgångar)."""
    qs = Round.objects.filter(organizer=_org(request)).select_related("framework")
    if status is not None:
        qs = qs.filter(status=status)
    return paging.page(qs, cursor=cursor, limit=limit, serialize=lambda rows: [_round(r) for r in rows])


@api.get("/rounds/{round_id}", response={200: s.RoundOut, **ERRORS}, tags=["rounds"])
def round_detail(request, round_id: int = Id()):
    return _round(get_object_or_404(Round.objects.select_related("framework"), organizer=_org(request), pk=round_id))


@api.get("/rounds/{round_id}/indicators", response={200: list[s.IndicatorOut], **ERRORS}, tags=["rounds"])
def round_indicators(request, round_id: int = Id()):
    """The indicators of the round's framework, in order, with their area."""
    rnd = get_object_or_404(Round, organizer=_org(request), pk=round_id)
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


# -- published assessments ----------------------------------------------------------------


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
    return Assessment.objects.filter(organizer=_org(request), status=Assessment.Status.PUBLISHED).only(
        "pk", "unit_id", "round_id", "perspective", "version", "published_at"
    )


@api.get("/assessments", response={200: s.AssessmentPage, **ERRORS}, tags=["assessments"])
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
            organizer=_org(request),
            status=Assessment.Status.PUBLISHED,
            unit_id=OuterRef("unit_id"),
            round_id=OuterRef("round_id"),
            perspective=OuterRef("perspective"),
            version__gt=OuterRef("version"),
        )
        qs = qs.filter(~Exists(newer))
    return paging.page(qs, cursor=cursor, limit=limit, serialize=_assessments)


@api.get("/assessments/{assessment_id}", response={200: s.AssessmentOut, **ERRORS}, tags=["assessments"])
def assessment(request, assessment_id: int = Id()):
    return _assessments([get_object_or_404(_published(request), pk=assessment_id)])[0]


# -- action plans and actions -----------------------------------------------------------------

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


@api.get("/action-plans", response={200: s.PlanPage, **ERRORS}, tags=["action plans"])
def action_plans(
    request,
    cursor: str = Cursor(),
    limit: int = Query(50, ge=1, le=100, description="Plans per page"),
    round: int = Filter(description="Only this round"),
    unit: int = Filter(description="Only this unit"),
):
    """The units' action plans with their actions."""
    qs = ActionPlan.objects.filter(organizer=_org(request))
    if round is not None:
        qs = qs.filter(round_id=round)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    return paging.page(qs, cursor=cursor, limit=limit, serialize=_plans)


@api.get("/action-plans/{plan_id}", response={200: s.PlanOut, **ERRORS}, tags=["action plans"])
def action_plan(request, plan_id: int = Id()):
    return _plans([get_object_or_404(ActionPlan, organizer=_org(request), pk=plan_id)])[0]


@api.get("/actions", response={200: s.ActionPage, **ERRORS}, tags=["action plans"])
def actions(
    request,
    cursor: str = Cursor(),
    limit: int = Limit(),
    round: int = Filter(description="Only actions of this round's plans"),
    unit: int = Filter(description="Only this unit"),
    status: Literal["planned", "in_progress", "done", "dropped"] = Query(None, description="Only this status"),
):
    """Actions across the units' plans."""
    qs = Action.objects.filter(organizer=_org(request))
    if round is not None:
        qs = qs.filter(plan__round_id=round)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if status is not None:
        qs = qs.filter(status=status)
    return paging.page(
        qs.values(*ACTION_FIELDS), cursor=cursor, limit=limit, serialize=lambda r: [_action(x) for x in r]
    )


# -- the overview's cells and the maturity figures ---------------------------------------------

CELL_FIELDS = ("pk", "unit_id", "district_id", "indicator_id", "level", "not_relevant", "state", "priority")


@api.get("/overview-cells", response={200: s.CellPage, **ERRORS}, tags=["overview"])
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
    rnd = get_object_or_404(Round, organizer=_org(request), pk=round)
    qs = PlanCell.objects.filter(organizer=_org(request), round=rnd)
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


def _rounds_for_figures(request, round_id):
    rounds = Round.objects.filter(organizer=_org(request)).select_related("framework")
    if round_id is not None:
        rounds = rounds.filter(pk=round_id)
    rounds = list(rounds)
    if round_id is not None and not rounds:
        raise HttpError(404, "Not Found")
    return rounds


@api.get("/maturity", response={200: s.FigurePage, **ERRORS}, tags=["maturity"])
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
    maturity.ensure_fresh(organizer=_org(request), rounds=rounds)
    qs = MaturityFigure.objects.filter(organizer=_org(request), round__in=rounds)
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


@api.get("/maturity/national", response={200: s.NationalList, **ERRORS}, tags=["maturity"])
def maturity_national(request, round: int = Filter(description="Only this round")):
    """The national comparison figures for the organiser's rounds, only where the other sharing
    organisers alone reach the minimum (the same rule as the maturity pages, docs/maturity.md)."""
    rounds = _rounds_for_figures(request, round)
    national = maturity.national(rounds=rounds, organizer=_org(request))
    items = [
        {"round_id": round_id, "area_key": area, "value": value, "unit_count": count}
        for round_id, by_area in sorted(national.values.items())
        for area, (value, count) in sorted(by_area.items())
    ]
    return {"items": items, "withheld_round_ids": sorted(national.withheld)}
