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


# -- goals (goals room, docs/goals.md) --

GoalMeasure = Literal["share_at_level", "mean_level", "maturity_index", "actions_done", "units_published"]
GoalStatus = Literal["reached", "on_track", "at_risk", "missed", "no_data"]


class GoalValueOut(Schema):
    round_id: int
    value: float | None = Field(description="null: nothing to measure in that round")
    base: int = Field(description="What the value rests on: units (actions for actions_done) that have one")
    of: int = Field(description="Units in the goal's scope in the round")
    rests_on: Literal["units", "actions"]
    comment: str = Field(description="The follow-up comment written for the round")


class GoalOut(Schema):
    id: int
    parent_id: int | None = Field(description="The goal this one is a sub-goal of")
    title: str
    description: str
    scope: Literal["organizer", "district", "unit"]
    district_id: int | None
    unit_id: int | None
    measure: GoalMeasure
    indicator_code: str = Field(description='The indicator measured (by code), or ""')
    area_key: str = Field(description='The area measured (by key), or ""')
    level: int | None = Field(description="For share_at_level: the level counted as reached")
    baseline_round_id: int
    baseline_value: float | None
    baseline_base: int = Field(description="Units the baseline rests on")
    target_value: float
    target_date: datetime.date
    latest: GoalValueOut | None = Field(description="The newest round with a value")
    status: GoalStatus
    values: list[GoalValueOut] = Field(description="One per round followed, oldest first")


class GoalPage(Schema):
    items: list[GoalOut]
    next_cursor: str | None


# -- survey aggregates (surveys room, docs/anonymity.md) --


class SurveyOut(Schema):
    id: int
    round_id: int
    respondent_group: str
    k: int = Field(description="The smallest number of answers a figure may rest on (never below 5)")
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    state: Literal["upcoming", "open", "closed"]
    responses: int = Field(description="Responses the figures rest on (at their last refresh)")
    refreshed_at: datetime.datetime | None = Field(description="When the figures were last computed")
    unit_ids: list[int]


class SurveyPage(Schema):
    items: list[SurveyOut]
    next_cursor: str | None


class SurveyCell(Schema):
    key: str = Field(description="The area's key (or the indicator's code)")
    percent: int | None = Field(description="Share of positive answers; null when hidden or nothing answered")
    hidden: bool = Field(description="Suppressed: below k, or hidden so that no hidden figure can be worked out")
    base: int | None = Field(description="Answers the figure rests on; null when hidden")


class SurveyRow(Schema):
    kind: Literal["unit", "district", "organizer"]
    unit_id: int | None
    district_id: int | None
    responses: int
    expected: int | None
    rate: int | None = Field(description="Response rate in %, where the number expected is known")
    cells: list[SurveyCell]


class SurveyResultsOut(Schema):
    survey_id: int
    k: int
    area_keys: list[str]
    rows: list[SurveyRow] = Field(description="Units, each district after its units, the organiser last")


class SurveyCode(Schema):
    code: str = Field(description="A group code the survey's links carried (a row per code from two codes)")
    responses: int
    percent: int | None
    hidden: bool


class SurveyGroupOut(Schema):
    survey_id: int
    respondent_group: str
    responses: int
    expected: int | None
    rate: int | None
    k: int
    codes: list[SurveyCode]


class SurveyIndicatorCell(Schema):
    survey_id: int
    asked: bool = Field(description="The group was asked about it")
    percent: int | None
    hidden: bool
    base: int | None
    gap: bool = Field(description="Much lower than the principal's level")


class SurveyIndicatorRow(Schema):
    indicator_id: int
    indicator_code: str
    area_key: str
    cells: list[SurveyIndicatorCell]


class SurveyAreaCell(Schema):
    survey_id: int
    asked: bool
    percent: int | None
    hidden: bool
    base: int | None


class SurveyAreaRow(Schema):
    area_key: str
    cells: list[SurveyAreaCell]


class UnitSurveyResultsOut(Schema):
    unit_id: int
    round_id: int
    groups: list[SurveyGroupOut]
    indicators: list[SurveyIndicatorRow]
    areas: list[SurveyAreaRow]
