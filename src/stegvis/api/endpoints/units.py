"""Districts and units; units also written (read-write tokens) through the unit pages' form and domain functions."""

import io

from django.db.models import F
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from stegvis.core import schoolforms
from stegvis.organisations import domain as organisations
from stegvis.organisations import imports
from stegvis.organisations.forms import UnitForm
from stegvis.organisations.models import District, Unit

from .. import paging
from .. import schemas as s
from .common import ERRORS, Cursor, Filter, Id, Invalid, Limit, audit, need_write, org

router = Router()


@router.get("/districts", response={200: s.DistrictPage, **ERRORS}, tags=["districts"])
def districts(request, cursor: str = Cursor(), limit: int = Limit()):
    """The organiser's districts (utbildningsområden)."""
    qs = District.objects.filter(organizer=org(request)).values("pk", "name")
    return paging.page(qs, cursor=cursor, limit=limit, serialize=lambda rows: [_district(r) for r in rows])


@router.get("/districts/{district_id}", response={200: s.DistrictOut, **ERRORS}, tags=["districts"])
def district(request, district_id: int = Id()):
    row = get_object_or_404(District.objects.filter(organizer=org(request)).values("pk", "name"), pk=district_id)
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


@router.get("/units", response={200: s.UnitPage, **ERRORS}, tags=["units"])
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
    qs = Unit.objects.filter(organizer=org(request))
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


@router.get("/units/{unit_id}", response={200: s.UnitOut, **ERRORS}, tags=["units"])
def unit(request, unit_id: int = Id()):
    return _unit(get_object_or_404(Unit.objects.filter(organizer=org(request)).values(*UNIT_FIELDS), pk=unit_id))


def _save_unit(request, data, *, unit=None):
    """Through the unit pages' form (``organisations.forms.UnitForm``) and domain functions, so
    the API knows no rules of its own. Returns the unit; 422 with the form's messages."""
    organizer = org(request)
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


@router.post("/units", response={201: s.UnitOut, **ERRORS}, tags=["units"])
def unit_create(request, payload: s.UnitIn):
    """Create a unit (read-write tokens). The same checks as the unit pages: an eight-digit code
    not used by another unit, at least one school form, a district of the organiser."""
    need_write(request)
    new = _save_unit(request, _form_data(payload.dict()))
    audit(request, new, "unit.created")
    return Status(201, _unit(Unit.objects.filter(organizer=org(request)).values(*UNIT_FIELDS).get(pk=new.pk)))


@router.patch("/units/{unit_id}", response={200: s.UnitOut, **ERRORS}, tags=["units"])
def unit_update(request, payload: s.UnitPatch, unit_id: int = Id()):
    """Change a unit (read-write tokens): only the fields given change; ``district_id: null``
    takes the unit out of its district. The same checks as the unit pages."""
    need_write(request)
    current = get_object_or_404(Unit, organizer=org(request), pk=unit_id)
    values = _unit(Unit.objects.filter(pk=current.pk).values(*UNIT_FIELDS).get()) | {"district_id": current.district_id}
    values.update(payload.dict(exclude_unset=True))
    if values.get("name") is None or values.get("code") is None or values.get("school_forms") is None:
        raise Invalid({"__all__": ["name, code and school_forms cannot be null"]})
    if values.get("active") is None:
        raise Invalid({"active": ["active cannot be null"]})
    _save_unit(request, _form_data(values), unit=current)
    audit(request, current, "unit.changed")
    return _unit(Unit.objects.filter(pk=current.pk).values(*UNIT_FIELDS).get())


@router.post(
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
    need_write(request)
    organizer = org(request)
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
        audit(request, organizer, "units.imported")
    return {
        "dry_run": payload.dry_run,
        "created": [p.row.code for p in plan.new],
        "changed": [p.row.code for p in plan.changed],
        "unchanged": plan.unchanged,
        "skipped": [{"code": k.code, "name": k.name, "reason": k.reason_text()} for k in plan.skipped],
        "warnings": warnings,
    }
