"""The council indicator (docs/goals.md): the one measure the organiser reports to the council
(kommunfullmäktige) as the indicator of its goal for digitalisation ("följs upp med indikatorn
Digital mognad"). By default the maturity index; the organiser may choose another measure. Its
value for the whole organiser in every round is computed like a goal's (``values.RoundData``),
and the goals on the same measure are the goals that feed it."""

from stegvis.core.models import record

from . import values
from .models import CouncilIndicator, Goal, Measure

FIELDS = (
    "title",
    "measure",
    "indicator_code",
    "area_key",
    "level",
    "respondent_group",
    "question_key",
    "certification_rule",
    "target_value",
)


def indicator_of(organizer):
    """The organiser's council indicator, or the default (the maturity index, not saved)."""
    found = CouncilIndicator.objects.filter(organizer=organizer).select_related("certification_rule").first()
    return found or CouncilIndicator(organizer=organizer, measure=Measure.MATURITY_INDEX)


def set_indicator(*, organizer, by, **fields):
    """Choose the council indicator. Side effects: creates or updates the CouncilIndicator row,
    an audit event."""
    indicator, _created = CouncilIndicator.objects.update_or_create(
        organizer=organizer, defaults={**{k: fields[k] for k in FIELDS if k in fields}, "updated_by": by}
    )
    record(
        organizer=organizer,
        actor=by,
        verb="council_indicator.set",
        obj=indicator,
        summary=indicator.title or indicator.get_measure_display(),
    )
    return indicator


def as_goal(indicator):
    """An unsaved organiser goal on the indicator's measure, for ``values.RoundData``."""
    return Goal(
        organizer=indicator.organizer,
        scope=Goal.Scope.ORGANIZER,
        measure=indicator.measure,
        indicator_code=indicator.indicator_code,
        area_key=indicator.area_key,
        level=indicator.level,
        respondent_group=indicator.respondent_group,
        question_key=indicator.question_key,
        certification_rule_id=indicator.certification_rule_id,
        target_value=indicator.target_value or 0,
    )


def series(indicator):
    """[(round, value, base, of)] for every started round, oldest first."""
    organizer = indicator.organizer
    goal = as_goal(indicator)
    result = []
    for rnd in values.organizer_rounds(organizer):
        if rnd.is_upcoming:
            continue
        value, base, of = values.RoundData(organizer=organizer, rnd=rnd, goals=[goal]).value_of(goal)
        result.append((rnd, value, base, of))
    return result


def feeding_goals(indicator):
    """The goals on the indicator's measure (with their sub-goals), organiser's first."""
    goals = Goal.objects.filter(organizer=indicator.organizer, measure=indicator.measure)
    if indicator.measure == Measure.UNITS_CERTIFIED and indicator.certification_rule_id:
        goals = goals.filter(certification_rule_id=indicator.certification_rule_id)
    ids = set(goals.values_list("pk", flat=True))
    both = Goal.objects.filter(organizer=indicator.organizer, parent_id__in=ids) | Goal.objects.filter(pk__in=ids)
    order = {Goal.Scope.ORGANIZER: 0, Goal.Scope.DISTRICT: 1, Goal.Scope.UNIT: 2}
    return sorted(
        both.select_related("district", "unit", "baseline_round", "parent").distinct(),
        key=lambda g: (order[g.scope], g.target_date, g.pk),
    )
