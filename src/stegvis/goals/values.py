"""A goal's value in each round, computed from the data (docs/goals.md).

  share_at_level   share (%) of the units in scope that have a level on the indicator (or, for
                   an area, a mean level over the area's answered indicators) at or above the
                   goal's level; rests on the units that have one
  mean_level       mean over those units of the level (or the area mean)
  maturity_index   the maturity index of the scope (docs/maturity.md), total or one area
  actions_done     share (%) of the actions in the scope's plans of the round that are done
                   (dropped actions are left out); rests on the actions
  units_published  share (%) of the round's units in scope whose principal has published
  units_certified  share (%) of the round's units in scope certified under the goal's
                   certification rule (certification.py); rests on the round's units
  survey_positive  share (%) of positive answers of a respondent group on one question or an
                   area's questions, pooled over the units in scope whose own responses reach
                   the survey's k (surveyfigures.py); hidden (None) when the pool rests on fewer
                   than k responses; rests on the responses

Values are kept in ``GoalValue`` and recomputed by ``ensure_fresh`` when what they rest on
changed (the publications and actions that feed the read model, the round's units, the goals): the goals page
reads stored rows.
"""

import zlib
from collections import defaultdict
from statistics import fmean

from django.db import transaction
from django.db.models import Count, Max, Sum

from stegvis.assessments.models import Assessment, Perspective
from stegvis.cycles.models import Round, RoundUnit
from stegvis.frameworks.models import Indicator
from stegvis.maturity import figures as maturity
from stegvis.overview.models import PlanCell
from stegvis.planning.models import Action

from . import certification, surveyfigures
from .models import Certification, CertificationSnapshot, Goal, GoalSnapshot, GoalValue, Measure

CELL_MEASURES = {Measure.SHARE_AT_LEVEL, Measure.MEAN_LEVEL}


def rounds_of(goal, rounds):
    """The rounds a goal follows: its baseline round and every later round that has started."""
    start = goal.baseline_round.opens_on
    return [r for r in rounds if r.opens_on >= start and not r.is_upcoming]


def organizer_rounds(organizer):
    return list(Round.objects.filter(organizer=organizer).order_by("opens_on", "id"))


def _per_round(queryset, round_field, stamp):
    """{round_id: (rows, newest stamp)} in one grouped query."""
    return {
        rnd: (n, t)
        for rnd, n, t in queryset.values(round_field)
        .annotate(n=Count("id"), t=Max(stamp))
        .values_list(round_field, "n", "t")
    }


def _sources(*, organizer, rounds):
    """{round_id: signature} of what the goal values in each round rest on, in four grouped queries
    whatever the number of rounds: the actions, the publications, the round's units (and their
    districts), and the goals themselves. The read model (PlanCell) changes only when an
    assessment is published or an action changes, so the first two cover it."""
    actions = _per_round(
        Action.objects.filter(organizer=organizer, plan__round__in=rounds), "plan__round_id", "updated_at"
    )
    published = _per_round(
        Assessment.objects.filter(organizer=organizer, round__in=rounds, status=Assessment.Status.PUBLISHED),
        "round_id",
        "published_at",
    )
    # which units, and in which districts (a unit that moves district moves a district goal's value)
    units = {
        rnd: (n, u, d)
        for rnd, n, u, d in RoundUnit.objects.filter(organizer=organizer, round__in=rounds)
        .values("round_id")
        .annotate(n=Count("id"), u=Sum("unit_id"), d=Sum("unit__district_id"))
        .values_list("round_id", "n", "u", "d")
    }
    goals = Goal.objects.filter(organizer=organizer).aggregate(n=Count("id"), t=Max("updated_at"))
    # survey figures and certifications (kept fresh by ``ensure_fresh`` before this is read)
    surveys = surveyfigures.signature(organizer=organizer, rounds=rounds)
    certified = dict(
        CertificationSnapshot.objects.filter(organizer=organizer, round__in=rounds).values_list("round_id", "source")
    )
    result = {}
    for rnd in rounds:
        text = repr(
            (
                actions.get(rnd.pk),
                published.get(rnd.pk),
                units.get(rnd.pk),
                goals,
                surveys.get(rnd.pk),
                certified.get(rnd.pk),
            )
        )
        result[rnd.pk] = f"{zlib.crc32(text.encode()):08x}:{len(text)}"
    return result


def ensure_fresh(*, organizer, rounds):
    """Recompute every goal's value in the rounds whose data changed since the values were
    computed. Returns the rounds recomputed.

    Side effects: writes GoalValue and GoalSnapshot rows (the comments are kept)."""
    rounds = list(rounds)
    if not rounds:
        return []
    if Goal.objects.filter(organizer=organizer, measure=Measure.UNITS_CERTIFIED).exists():
        certification.ensure_fresh(organizer=organizer, rounds=rounds)
    snapshots = dict(
        GoalSnapshot.objects.filter(organizer=organizer, round__in=rounds).values_list("round_id", "source")
    )
    sources = _sources(organizer=organizer, rounds=rounds)
    stale = []
    for rnd in rounds:
        if snapshots.get(rnd.pk) != sources[rnd.pk]:
            compute_round(organizer=organizer, rnd=rnd)
            GoalSnapshot.objects.update_or_create(organizer=organizer, round=rnd, defaults={"source": sources[rnd.pk]})
            stale.append(rnd)
    return stale


def compute_round(*, organizer, rnd):
    """Every goal's value in one round (goals whose baseline round is later are skipped)."""
    goals = [
        g
        for g in Goal.objects.filter(organizer=organizer).select_related("baseline_round")
        if g.baseline_round.opens_on <= rnd.opens_on
    ]
    if not goals or rnd.is_upcoming:
        return
    data = RoundData(organizer=organizer, rnd=rnd, goals=goals)
    with transaction.atomic():
        for goal in goals:
            value, base, of = data.value_of(goal)
            GoalValue.objects.update_or_create(
                organizer=organizer, goal=goal, round=rnd, defaults={"value": value, "base": base, "of": of}
            )


def value_in(*, goal, rnd):
    """(value, base, of) of one goal in one round, computed now (the baseline when a goal is set)."""
    return RoundData(organizer=goal.organizer, rnd=rnd, goals=[goal]).value_of(goal)


class RoundData:
    """What one round's goal values are computed from, read once for all the goals."""

    def __init__(self, *, organizer, rnd, goals):
        self.organizer = organizer
        self.rnd = rnd
        self.units = dict(
            RoundUnit.objects.filter(organizer=organizer, round=rnd).values_list("unit_id", "unit__district_id")
        )
        measures = {g.measure for g in goals}
        self.cells = defaultdict(dict)  # unit_id -> {indicator_id: level}
        self.indicators = {}
        if measures & CELL_MEASURES:
            self.indicators = {
                pk: (code, area_key)
                for pk, code, area_key in Indicator.objects.filter(framework_id=rnd.framework_id).values_list(
                    "pk", "code", "area__key"
                )
            }
            for unit_id, indicator_id, level in PlanCell.objects.filter(
                organizer=organizer, round=rnd, level__isnull=False, not_relevant=False
            ).values_list("unit_id", "indicator_id", "level"):
                self.cells[unit_id][indicator_id] = level
        self.actions = defaultdict(lambda: [0, 0])  # unit_id -> [done, counted]
        if Measure.ACTIONS_DONE in measures:
            for unit_id, status, n in (
                Action.objects.filter(organizer=organizer, plan__round=rnd)
                .exclude(status=Action.Status.DROPPED)
                .values("plan__unit_id", "status")
                .annotate(n=Count("id"))
                .values_list("plan__unit_id", "status", "n")
            ):
                self.actions[unit_id][1] += n
                if status == Action.Status.DONE:
                    self.actions[unit_id][0] += n
        self.published = set()
        if Measure.UNITS_PUBLISHED in measures:
            self.published = set(
                Assessment.objects.filter(
                    organizer=organizer,
                    round=rnd,
                    perspective=Perspective.PRINCIPAL,
                    status=Assessment.Status.PUBLISHED,
                ).values_list("unit_id", flat=True)
            )
        self.certified = defaultdict(set)  # rule_id -> certified unit ids
        if Measure.UNITS_CERTIFIED in measures:
            certification.ensure_fresh(organizer=organizer, rounds=[rnd])
            for rule_id, unit_id in Certification.objects.filter(
                organizer=organizer, round=rnd, certified=True
            ).values_list("rule_id", "unit_id"):
                self.certified[rule_id].add(unit_id)
        self.surveys = {}  # (group, area, question) -> {unit_id: UnitFigure}
        self.survey_hidden = {}  # the same key -> units the survey pages hide (tree_hidden)
        for goal in goals:
            if goal.measure == Measure.SURVEY_POSITIVE:
                key = (goal.respondent_group, goal.area_key, goal.question_key)
                if key not in self.surveys:
                    self.surveys[key] = surveyfigures.by_unit(
                        organizer=organizer, rnd=rnd, group=key[0], area_key=key[1], question_key=key[2]
                    )
        self.maturity = {}
        if Measure.MATURITY_INDEX in measures:
            maturity.ensure_fresh(organizer=organizer, rounds=[rnd])
            for scope in maturity.Scope.UNIT, maturity.Scope.DISTRICT, maturity.Scope.ORGANIZER:
                for (_round_id, scope_id), areas in maturity.figures(
                    organizer=organizer, rounds=[rnd], scope=scope
                ).items():
                    self.maturity[(scope, scope_id)] = areas

    def scope_units(self, goal):
        if goal.scope == Goal.Scope.UNIT:
            return [goal.unit_id] if goal.unit_id in self.units else []
        if goal.scope == Goal.Scope.DISTRICT:
            return [u for u, d in self.units.items() if d == goal.district_id]
        return list(self.units)

    def unit_level(self, unit_id, goal):
        """The unit's level on the goal's indicator, or its mean over the goal's area; None if none."""
        levels = self.cells.get(unit_id, {})
        if goal.indicator_code:
            found = [lv for ind, lv in levels.items() if self.indicators.get(ind, ("", ""))[0] == goal.indicator_code]
            return found[0] if found else None
        in_area = [lv for ind, lv in levels.items() if self.indicators.get(ind, ("", ""))[1] == goal.area_key]
        return fmean(in_area) if in_area else None

    def value_of(self, goal):
        units = self.scope_units(goal)
        of = len(units)
        if goal.measure in CELL_MEASURES:
            levels = [lv for lv in (self.unit_level(u, goal) for u in units) if lv is not None]
            if not levels:
                return None, 0, of
            if goal.measure == Measure.MEAN_LEVEL:
                return fmean(levels), len(levels), of
            reached = sum(1 for lv in levels if lv >= (goal.level or 0))
            return 100 * reached / len(levels), len(levels), of
        if goal.measure == Measure.ACTIONS_DONE:
            done = sum(self.actions[u][0] for u in units)
            counted = sum(self.actions[u][1] for u in units)
            return (100 * done / counted if counted else None), counted, of
        if goal.measure == Measure.UNITS_PUBLISHED:
            if not of:
                return None, 0, of
            return 100 * sum(1 for u in units if u in self.published) / of, of, of
        if goal.measure == Measure.UNITS_CERTIFIED:
            if not of:
                return None, 0, of
            certified = self.certified.get(goal.certification_rule_id, set())
            return 100 * sum(1 for u in units if u in certified) / of, of, of
        if goal.measure == Measure.SURVEY_POSITIVE:
            figures = self.surveys.get((goal.respondent_group, goal.area_key, goal.question_key), {})
            key = (goal.respondent_group, goal.area_key, goal.question_key)
            if key not in self.survey_hidden:
                self.survey_hidden[key] = surveyfigures.tree_hidden(figures)
            value, responses, _units = surveyfigures.pooled(figures, units, self.survey_hidden[key])
            return value, responses, of
        if goal.measure == Measure.MATURITY_INDEX:
            scope = {
                Goal.Scope.UNIT: (maturity.Scope.UNIT, goal.unit_id),
                Goal.Scope.DISTRICT: (maturity.Scope.DISTRICT, goal.district_id),
                Goal.Scope.ORGANIZER: (maturity.Scope.ORGANIZER, goal.organizer_id),
            }[goal.scope]
            areas = self.maturity.get(scope, {})
            value, count = areas.get(goal.area_key or maturity.TOTAL, (None, 0))
            return value, count, of
        raise ValueError(goal.measure)


def values_by_goal(*, organizer, goals):
    """{goal_id: [GoalValue, ...] oldest round first} for the goals (one query)."""
    result = defaultdict(list)
    for value in (
        GoalValue.objects.filter(organizer=organizer, goal__in=goals)
        .select_related("round", "comment_by")
        .order_by("round__opens_on", "round_id")
    ):
        result[value.goal_id].append(value)
    return result
