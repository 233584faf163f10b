"""The shapes of the REST API's requests and responses (pydantic, through django-ninja).

They are the OpenAPI document's schemas: schemathesis checks every response against them.
"""

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from stegvis.assessments.models import Perspective
from stegvis.core import schoolforms

SchoolForm = Literal[tuple(schoolforms.SCHOOL_FORMS)]
PerspectiveCode = Literal[tuple(Perspective.values)]


class Error(Schema):
    detail: Any = Field(description="What went wrong: a message, or a list of problems by field")


class TokenInfo(Schema):
    name: str
    scope: Literal["read", "write"]
    expires_at: datetime.datetime | None


class OrganizerOut(Schema):
    name: str
    slug: str
    token: TokenInfo


class DistrictOut(Schema):
    id: int
    name: str


class DistrictPage(Schema):
    items: list[DistrictOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class UnitOut(Schema):
    id: int
    name: str
    code: str = Field(description="Skolenhetskod, eight digits")
    school_forms: list[SchoolForm]
    district_id: int | None
    active: bool


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class UnitIn(Schema):
    name: str = Field(max_length=200)
    code: str = Field(max_length=8, description="Skolenhetskod, eight digits")
    school_forms: list[SchoolForm] = Field(min_length=1)
    district_id: int | None = Field(None, ge=1, le=2**31 - 1)
    active: bool = True


class UnitPatch(Schema):
    name: str | None = Field(None, max_length=200)
    code: str | None = Field(None, max_length=8)
    school_forms: list[SchoolForm] | None = None
    district_id: int | None = Field(None, ge=1, le=2**31 - 1, description="null: no district")
    active: bool | None = None


class RoundOut(Schema):
    id: int
    name: str
    framework_key: str
    framework_version: str
    level_count: int
    opens_on: datetime.date
    deadline: datetime.date | None
    closes_on: datetime.date | None
    status: Literal["open", "closed"]
    state: Literal["upcoming", "open", "closed"]
    expected_perspectives: list[str]


class RoundPage(Schema):
    items: list[RoundOut]
    next_cursor: str | None


class IndicatorOut(Schema):
    id: int
    code: str
    area_key: str
    title_sv: str
    title_en: str
    school_forms: list[SchoolForm]
    optional: bool


class AnswerOut(Schema):
    indicator_id: int
    indicator_code: str
    level: int | None
    not_relevant: bool
    comment: str


class AssessmentOut(Schema):
    id: int
    unit_id: int
    round_id: int
    perspective: PerspectiveCode
    version: int
    published_at: datetime.datetime | None
    answers: list[AnswerOut]


class AssessmentPage(Schema):
    items: list[AssessmentOut]
    next_cursor: str | None


class ActionOut(Schema):
    id: int
    plan_id: int
    unit_id: int
    indicator_id: int | None
    indicator_code: str | None
    title: str
    description: str
    priority: int
    owner: str
    due_date: datetime.date | None
    status: Literal["planned", "in_progress", "done", "dropped"]
    carried_from_id: int | None
    updated_at: datetime.datetime


class ActionPage(Schema):
    items: list[ActionOut]
    next_cursor: str | None


class PlanOut(Schema):
    id: int
    unit_id: int
    round_id: int
    assessment_id: int
    created_at: datetime.datetime
    actions: list[ActionOut]


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


class CellOut(Schema):
    unit_id: int
    district_id: int | None
    indicator_id: int
    level: int | None
    not_relevant: bool
    state: Literal["na", "none", "planned", "done"]
    priority: int | None


class CellPage(Schema):
    items: list[CellOut]
    next_cursor: str | None


class FigureOut(Schema):
    round_id: int
    scope: Literal["unit", "district", "organizer"]
    scope_id: int
    area_key: str = Field(description='An area\'s key, or "" for the total')
    value: float = Field(ge=0, le=100)
    unit_count: int


class FigurePage(Schema):
    items: list[FigureOut]
    next_cursor: str | None


class NationalOut(Schema):
    round_id: int
    area_key: str
    value: float = Field(ge=0, le=100)
    unit_count: int


class NationalList(Schema):
    items: list[NationalOut]
    withheld_round_ids: list[int] = Field(
        description="Rounds with a national figure that rests on too few other organisers or units to be shown"
    )


class UnitImportIn(Schema):
    file: str = Field(
        max_length=5 * 1024 * 1024,
        description="The file's content as text: Stegvis's unit CSV or Skolverket's register JSON (docs/unit-import.md)",
    )
    municipality: str = Field("", pattern=r"^\d{0,4}$", description="Keep only units of this municipality code")
    organisation: str = Field("", pattern=r"^\d{0,12}$", description="Keep only units of this organisation number")
    dry_run: bool = Field(True, description="true (default): only say what would change")


class ImportSkipped(Schema):
    code: str
    name: str
    reason: str


class UnitImportOut(Schema):
    dry_run: bool
    created: list[str] = Field(description="Unit codes of the units created (or that would be)")
    changed: list[str] = Field(description="Unit codes of the units changed (or that would be)")
    unchanged: int
    skipped: list[ImportSkipped]
    warnings: list[str]
