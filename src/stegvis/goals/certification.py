"""Certification (digital certifiering, docs/goals.md): the organiser's rules over levels, and
which units meet them in each round.

A rule counts the indicators of the round's framework it covers (every indicator, an area's,
or chosen codes), leaving out those the unit marked not relevant, and asks of the unit's levels
(from the read model ``PlanCell``):

  every_at_least n   every counted indicator at level n or above (one not assessed fails)
  none_below m       no counted indicator below level m
  some_count k, some_level n   at least k counted indicators at level n or above

Optionally a survey condition: the share of positive answers of a respondent group on an area
is at least x % in the unit, counted only when the unit's responses reach the survey's k (a
hidden figure does not certify). And plan conditions: pluggable checks another part of goals
registers with ``register_plan_check`` (the local digital plan: "the unit has an adopted plan");
a rule lists the keys it requires, and a key nobody registered fails.

Results are stored per rule, round and unit (``Certification``) and recomputed by
``ensure_fresh`` when what they rest on changed (the read model's cells, the round's units, the
rules, the survey figures, the plan checks' signatures).
"""

import zlib
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core.i18n import pick
from stegvis.core.models import record
from stegvis.cycles.models import RoundUnit
from stegvis.frameworks.models import Area, Indicator
from stegvis.overview.models import PlanCell

from . import surveyfigures
from .models import Certification, CertificationRule, CertificationSnapshot

RULE_FIELDS = (
    "name",
    "description",
    "over",
    "area_key",
    "indicator_codes",
    "every_at_least",
    "none_below",
    "some_count",
    "some_level",
    "survey_group",
    "survey_area_key",
    "survey_min_share",
    "plan_checks",
    "active",
)


# -- pluggable plan conditions -----------------------------------------------------------------


@dataclass(frozen=True)
class PlanCheck:
    """``passing(organizer=, rnd=, unit_ids=) -> set of unit ids`` that meet it;
    ``signature(organizer=, rounds=) -> {round_id: anything repr-able}`` changes when the answer may."""

    key: str
    label: object
    passing: object
    signature: object


PLAN_CHECKS = {}


def register_plan_check(*, key, label, passing, signature):
    """Offer a plan condition to certification rules (call from ``GoalsConfig.ready``)."""
    PLAN_CHECKS[key] = PlanCheck(key, label, passing, signature)


# -- domain functions ---------------------------------------------------------------------------


def add_rule(*, organizer, by, **fields):
    """A new certification rule; its results are computed at the next ``ensure_fresh``.

    Side effects: a CertificationRule row, an audit event."""
    rule = CertificationRule.objects.create(
        organizer=organizer, created_by=by, **{k: fields[k] for k in RULE_FIELDS if k in fields}
    )
    record(organizer=organizer, actor=by, verb="certification_rule.added", obj=rule, summary=rule.name)
    return rule


def change_rule(*, rule, by, **fields):
    """Change a rule; every round's results follow at the next ``ensure_fresh`` (its
    ``updated_at`` is part of the signature). Side effects: updates the row, an audit event."""
    for key in RULE_FIELDS:
        if key in fields:
            setattr(rule, key, fields[key])
    rule.save()
    record(organizer=rule.organizer, actor=by, verb="certification_rule.changed", obj=rule, summary=rule.name)
    return rule


def delete_rule(*, rule, by):
    """Delete a rule and its results. Side effects: deletes rows, an audit event; the rounds'
    snapshots are dropped so the rest is recomputed. Refused (ProtectedError) while a goal counts it."""
    record(organizer=rule.organizer, actor=by, verb="certification_rule.deleted", obj=rule, summary=rule.name)
    organizer = rule.organizer
    rule.delete()
    CertificationSnapshot.objects.filter(organizer=organizer).delete()


# -- evaluation ---------------------------------------------------------------------------------


def _sources(*, organizer, rounds):
    """{round_id: signature} in a handful of grouped queries whatever the number of rounds."""
    cells = {
        rnd: (n, t)
        for rnd, n, t in PlanCell.objects.filter(organizer=organizer, round__in=rounds)
        .values("round_id")
        .annotate(n=Count("id"), t=Max("updated_at"))
        .values_list("round_id", "n", "t")
    }
    units = {
        rnd: (n, u)
        for rnd, n, u in RoundUnit.objects.filter(organizer=organizer, round__in=rounds)
        .values("round_id")
        .annotate(n=Count("id"), u=Sum("unit_id"))
        .values_list("round_id", "n", "u")
    }
    rules = CertificationRule.objects.filter(organizer=organizer).aggregate(
        n=Count("id"), t=Max("updated_at"), s=Sum("id")
    )
    surveys = surveyfigures.signature(organizer=organizer, rounds=rounds)
    plans = {key: check.signature(organizer=organizer, rounds=rounds) for key, check in sorted(PLAN_CHECKS.items())}
    result = {}
    for rnd in rounds:
        text = repr(
            (
                cells.get(rnd.pk),
                units.get(rnd.pk),
                rules,
                surveys.get(rnd.pk),
                [(k, v.get(rnd.pk)) for k, v in plans.items()],
            )
        )
        result[rnd.pk] = f"{zlib.crc32(text.encode()):08x}:{len(text)}"
    return result


def ensure_fresh(*, organizer, rounds):
    """Recompute the certifications of the rounds whose data changed. Returns those rounds.

    Side effects: replaces Certification rows of stale rounds, writes CertificationSnapshot rows."""
    rounds = [r for r in rounds if not r.is_upcoming]
    if not rounds:
        return []
    snapshots = dict(
        CertificationSnapshot.objects.filter(organizer=organizer, round__in=rounds).values_list("round_id", "source")
    )
    sources = _sources(organizer=organizer, rounds=rounds)
    stale = []
    for rnd in rounds:
        if snapshots.get(rnd.pk) != sources[rnd.pk]:
            compute_round(organizer=organizer, rnd=rnd)
            CertificationSnapshot.objects.update_or_create(
                organizer=organizer, round=rnd, defaults={"source": sources[rnd.pk]}
            )
            stale.append(rnd)
    return stale


def compute_round(*, organizer, rnd, rules=None):
    """Every rule's result for every unit of the round. Side effects: replaces Certification rows."""
    rules = list(rules if rules is not None else CertificationRule.objects.filter(organizer=organizer))
    unit_ids = list(RoundUnit.objects.filter(organizer=organizer, round=rnd).values_list("unit_id", flat=True))
    rows = []
    if rules and unit_ids:
        data = _RoundLevels(organizer=organizer, rnd=rnd)
        for rule in rules:
            for unit_id, (certified, missing) in evaluate(rule=rule, data=data, unit_ids=unit_ids).items():
                rows.append(
                    Certification(
                        organizer=organizer, rule=rule, round=rnd, unit_id=unit_id, certified=certified, missing=missing
                    )
                )
    with transaction.atomic():
        Certification.objects.filter(organizer=organizer, round=rnd).delete()
        Certification.objects.bulk_create(rows, batch_size=2000)


class _RoundLevels:
    """The round's levels per unit, read once for every rule (two queries)."""

    def __init__(self, *, organizer, rnd):
        self.organizer, self.rnd = organizer, rnd
        self.indicators = {
            pk: (code, area)
            for pk, code, area in Indicator.objects.filter(framework_id=rnd.framework_id).values_list(
                "pk", "code", "area__key"
            )
        }
        self.cells = defaultdict(dict)  # unit -> {code: level or None}; not relevant left out
        for unit_id, ind, level, not_relevant in PlanCell.objects.filter(organizer=organizer, round=rnd).values_list(
            "unit_id", "indicator_id", "level", "not_relevant"
        ):
            if not not_relevant and ind in self.indicators:
                self.cells[unit_id][self.indicators[ind]] = level
        self._surveys = {}

    def survey(self, group, area_key):
        """``({unit_id: UnitFigure}, units the survey pages hide)``: a unit hidden there as a
        complement is not judged on its figure either (``surveyfigures.tree_hidden``)."""
        if (group, area_key) not in self._surveys:
            figures = surveyfigures.by_unit(organizer=self.organizer, rnd=self.rnd, group=group, area_key=area_key)
            self._surveys[(group, area_key)] = (figures, surveyfigures.tree_hidden(figures))
        return self._surveys[(group, area_key)]


def _covered(rule):
    if rule.over == CertificationRule.Over.AREA:
        return lambda code, area: area == rule.area_key
    if rule.over == CertificationRule.Over.INDICATORS:
        codes = set(rule.codes())
        return lambda code, area: code in codes
    return lambda code, area: True


def evaluate(*, rule, data, unit_ids):
    """{unit_id: (certified, missing)} for one rule; ``missing`` lists what the unit lacks."""
    covered = _covered(rule)
    survey, survey_hidden = data.survey(rule.survey_group, rule.survey_area_key) if rule.survey_group else (None, ())
    plan_passing = {}
    for key in rule.plan_checks or []:
        check = PLAN_CHECKS.get(key)
        plan_passing[key] = check.passing(organizer=data.organizer, rnd=data.rnd, unit_ids=unit_ids) if check else set()
    result = {}
    for unit_id in unit_ids:
        cells = data.cells.get(unit_id)
        missing = []
        if not cells:
            missing.append(["unpublished"])
        else:
            levels = sorted((code, level) for (code, area), level in cells.items() if covered(code, area))
            if not levels:
                missing.append(["no_indicators"])
            if rule.every_at_least:
                for code, level in levels:
                    if level is None or level < rule.every_at_least:
                        missing.append(["below", code, level])
            if rule.none_below:
                for code, level in levels:
                    if level is not None and level < rule.none_below:
                        missing.append(["under", code, level])
            if rule.some_count and rule.some_level:
                reached = sum(1 for _code, level in levels if level is not None and level >= rule.some_level)
                if reached < rule.some_count:
                    missing.append(["few", reached])
        if survey is not None:
            figure = survey.get(unit_id)
            if figure is None or not figure.responses:
                missing.append(["survey_none"])
            elif not figure.shown or unit_id in survey_hidden:
                missing.append(["survey_hidden"])
            elif figure.share is None or figure.share < (rule.survey_min_share or 0):
                missing.append(["survey", round(figure.share or 0)])
        for key, passing in plan_passing.items():
            if unit_id not in passing:
                missing.append(["plan", key])
        result[unit_id] = (not missing, missing)
    return result


# -- reading ------------------------------------------------------------------------------------


def certified_units(*, organizer, rnd, rules=None):
    """{unit_id: [rule, ...]} of the units certified in the round under the (active) rules."""
    qs = Certification.objects.filter(organizer=organizer, round=rnd, certified=True, rule__active=True)
    if rules is not None:
        qs = qs.filter(rule__in=rules)
    result = defaultdict(list)
    for c in qs.select_related("rule").order_by("rule__name"):
        result[c.unit_id].append(c.rule)
    return dict(result)


def missing_text(rule, missing):
    """What a unit lacks, in words, one line per condition not met."""
    lines = []
    below = [m for m in missing if m[0] == "below"]
    under = [m for m in missing if m[0] == "under"]
    for item in missing:
        kind = item[0]
        if kind == "unpublished":
            lines.append(_("No published assessment in the round."))
        elif kind == "no_indicators":
            lines.append(_("None of the rule's indicators is assessed."))
        elif kind == "few":
            lines.append(
                _("%(n)s indicators at level %(level)s or above, %(k)s needed.")
                % {"n": item[1], "level": rule.some_level, "k": rule.some_count}
            )
        elif kind == "survey_none":
            lines.append(_("No survey answers from the group."))
        elif kind == "survey_hidden":
            lines.append(_("Too few survey responses to be counted (anonymity threshold)."))
        elif kind == "survey":
            lines.append(
                _("%(share)s %% positive survey answers, %(min)s %% needed.")
                % {"share": item[1], "min": rule.survey_min_share}
            )
        elif kind == "plan":
            check = PLAN_CHECKS.get(item[1])
            lines.append(_("Not met: %(check)s.") % {"check": check.label if check else item[1]})
    if below:
        codes = ", ".join(f"{m[1]} ({m[2] if m[2] is not None else '–'})" for m in below)
        lines.append(_("Below level %(level)s: %(codes)s.") % {"level": rule.every_at_least, "codes": codes})
    if under:
        codes = ", ".join(f"{m[1]} ({m[2]})" for m in under)
        lines.append(
            _("Below the lowest level allowed, %(level)s: %(codes)s.") % {"level": rule.none_below, "codes": codes}
        )
    return lines


def _area_name(rule, key):
    """An area's name in the organiser's frameworks (its key when none has it)."""
    area = (
        Area.objects.filter(key=key, framework__round__organizer_id=rule.organizer_id)
        .order_by("-framework__round__opens_on")
        .first()
    )
    return pick(area.name_sv, area.name_en) if area else key


def rule_text(rule):
    """The rule's conditions in words."""
    over = {
        CertificationRule.Over.ALL: _("every indicator"),
        CertificationRule.Over.AREA: _("the indicators of the area %(area)s")
        % {"area": _area_name(rule, rule.area_key)},
        CertificationRule.Over.INDICATORS: _("the indicators %(codes)s") % {"codes": ", ".join(rule.codes())},
    }[rule.over]
    parts = []
    if rule.every_at_least:
        parts.append(_("every one at level %(n)s or above") % {"n": rule.every_at_least})
    if rule.none_below:
        parts.append(_("none below level %(n)s") % {"n": rule.none_below})
    if rule.some_count and rule.some_level:
        parts.append(_("at least %(k)s at level %(n)s or above") % {"k": rule.some_count, "n": rule.some_level})
    text = _("Over %(over)s: %(conditions)s.") % {"over": over, "conditions": ", ".join(parts) or "–"}
    if rule.survey_group:
        text += " " + _(
            "Survey (%(group)s): at least %(share)s %% positive answers%(area)s, counted only where the unit reaches the anonymity threshold."
        ) % {
            "group": rule.survey_group,
            "share": rule.survey_min_share or 0,
            "area": (" " + _("on the area %(area)s") % {"area": _area_name(rule, rule.survey_area_key)})
            if rule.survey_area_key
            else "",
        }
    for key in rule.plan_checks or []:
        check = PLAN_CHECKS.get(key)
        text += " " + str(check.label if check else key) + "."
    return text


CERTIFIED = gettext_lazy("Certified")
