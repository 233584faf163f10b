"""The need behind an initiative, and what followed (docs/development.md). Read only.

- ``indicator_need``: for indicators, the share of units at each level in the latest round in
  which units published (the principal's latest published version per unit), and which units;
  computed from ``assessments`` directly with grouped queries (overview and maturity stand
  above this room).
- ``needs_list``: every indicator of that round's framework with its units at the two lowest
  levels: where an initiative may be needed most.
- ``reflection_need``: the staff's self-reflection for the organiser as a whole in the latest
  school year, only when it passes the reflection room's anonymity rules.
- ``levels_after``: in later rounds, the linked indicators' mean level in the participating
  units against the other units, each figure with its n and hidden below k.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery

from stegvis.assessments.models import Answer, Assessment, Perspective
from stegvis.core.i18n import ui_language
from stegvis.cycles.models import Round
from stegvis.reflection import aggregates as reflection_aggregates
from stegvis.reflection.models import Questionnaire
from stegvis.surveys import anonymity


def _latest_published(organizer):
    """Per assessment row: the id of the latest published principal's version of its unit in
    its round (a correlated subquery, so one grouped query reads only current versions)."""
    return Subquery(
        Assessment.objects.filter(
            organizer=organizer,
            unit_id=OuterRef("assessment__unit_id"),
            round_id=OuterRef("assessment__round_id"),
            perspective=Perspective.PRINCIPAL,
            group__isnull=True,
            status=Assessment.Status.PUBLISHED,
        )
        .order_by("-version")
        .values("pk")[:1]
    )


def _current_answers(organizer, unit_ids):
    return Answer.objects.filter(
        organizer=organizer,
        assessment__unit_id__in=unit_ids,
        assessment_id=_latest_published(organizer),
        level__isnull=False,
    )


def latest_round(*, organizer, framework=None, unit_ids):
    """The newest round (by its opening) in which one of ``unit_ids`` published, or None."""
    rounds = Round.objects.filter(
        organizer=organizer,
        assessments__status=Assessment.Status.PUBLISHED,
        assessments__perspective=Perspective.PRINCIPAL,
        assessments__unit_id__in=unit_ids,
    )
    if framework is not None:
        rounds = rounds.filter(framework=framework)
    return rounds.select_related("framework").order_by("-opens_on", "-pk").first()


@dataclass
class Need:
    indicator: object
    round: object
    units: int = 0  # units with a level on it
    counts: list = field(default_factory=list)  # [(level number, label, name, css, n, share)]
    unit_levels: list = field(default_factory=list)  # [(unit name, level label, css)] lowest first


def indicator_need(*, organizer, indicators, unit_ids):
    """``[Need]`` for each indicator (in order), in the latest round of its framework in which
    one of ``unit_ids`` (the units the reader sees) published. Two grouped queries per framework."""
    unit_ids = list(unit_ids)
    lang = ui_language()
    found = []
    by_framework = {}
    for indicator in indicators:
        by_framework.setdefault(indicator.framework_id, []).append(indicator)
    for items in by_framework.values():
        rnd = latest_round(organizer=organizer, framework=items[0].framework, unit_ids=unit_ids)
        if rnd is None:
            found.extend(Need(indicator=i, round=None) for i in items)
            continue
        answers = _current_answers(organizer, unit_ids).filter(assessment__round=rnd, indicator__in=items)
        grouped = {}
        for indicator_id, level, n in answers.values_list("indicator_id", "level").annotate(n=Count("id")).order_by():
            grouped.setdefault(indicator_id, {})[level] = n
        per_unit = {}
        for indicator_id, name, level in answers.order_by("level", "assessment__unit__name").values_list(
            "indicator_id", "assessment__unit__name", "level"
        ):
            per_unit.setdefault(indicator_id, []).append((name, level))
        levels = rnd.framework.levels(lang)
        for indicator in items:
            counts = grouped.get(indicator.pk, {})
            total = sum(counts.values())
            need = Need(indicator=indicator, round=rnd, units=total)
            css = {}
            for number, label, name, klass in levels:
                n = counts.get(number, 0)
                need.counts.append((number, label, name, klass, n, n / total if total else None))
                css[number] = (label, klass)
            need.unit_levels = [(name, *css.get(level, (level, ""))) for name, level in per_unit.get(indicator.pk, [])]
            found.append(need)
    return found


def needs_list(*, organizer, unit_ids):
    """``(round, [(indicator, units with a level, units at the two lowest levels, share)])`` for
    the indicators of the latest round's framework, the greatest need first. One grouped query."""
    unit_ids = list(unit_ids)
    rnd = latest_round(organizer=organizer, unit_ids=unit_ids)
    if rnd is None:
        return None, []
    low = 2 if rnd.framework.level_count > 3 else 1
    rows = (
        _current_answers(organizer, unit_ids)
        .filter(assessment__round=rnd)
        .values_list("indicator_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals, lows = {}, {}
    for indicator_id, level, n in rows:
        totals[indicator_id] = totals.get(indicator_id, 0) + n
        if level <= low:
            lows[indicator_id] = lows.get(indicator_id, 0) + n
    indicators = rnd.framework.indicators.select_related("area").order_by("area__order", "order")
    found = [
        (i, totals[i.pk], lows.get(i.pk, 0), lows.get(i.pk, 0) / totals[i.pk]) for i in indicators if i.pk in totals
    ]
    found.sort(key=lambda row: (-row[3], row[0].area.order, row[0].order))
    return rnd, found


def reflection_need(*, organizer, framework):
    """The organiser's self-reflection in the latest school year with answers, as
    ``{"year", "people", "areas": [(name, mean, n)]}``, or None (no questionnaire, no answers,
    or fewer people than the smallest group shown)."""
    questionnaire = Questionnaire.objects.filter(framework=framework).first()
    if questionnaire is None:
        return None
    years = reflection_aggregates.years(organizer=organizer, questionnaire=questionnaire)
    if not years:
        return None
    pic = reflection_aggregates.picture(organizer=organizer, questionnaire=questionnaire, year=years[0])
    total = pic["organiser"]
    if total is None:
        return None
    lang = ui_language()
    areas = [
        (area["name"], total.mean(area["key"]), sum(total.counts.get(area["key"], [])))
        for area in questionnaire.areas(lang)
    ]
    return {"year": years[0], "people": total.people, "levels": questionnaire.level_count, "areas": areas}


@dataclass
class After:
    round: object
    indicator: object
    taking_part: tuple  # (mean or None, n units, hidden)
    others: tuple


def levels_after(*, organizer, initiative, participating_unit_ids, unit_ids):
    """For each round opened on or after the initiative started, per linked indicator: the mean
    level in the participating units and in the other units (of ``unit_ids``, the units the
    reader sees), each with its number of units; a group of fewer than k units is hidden.
    One grouped query."""
    indicators = list(initiative.indicators.select_related("area"))
    if not indicators:
        return []
    unit_ids = set(unit_ids)
    k = anonymity.K_DEFAULT
    rows = (
        _current_answers(organizer, list(unit_ids))
        .filter(indicator__in=indicators, assessment__round__opens_on__gte=initiative.starts_on)
        .values_list("assessment__round_id", "indicator_id", "assessment__unit_id", "level")
    )
    cells = {}
    for round_id, indicator_id, unit_id, level in rows:
        side = "in" if unit_id in participating_unit_ids else "out"
        cells.setdefault((round_id, indicator_id), {"in": [], "out": []})[side].append(level)
    rounds = {r.pk: r for r in Round.objects.filter(organizer=organizer, pk__in={key[0] for key in cells})}
    by_id = {i.pk: i for i in indicators}

    def figure(levels):
        n = len(levels)
        if n < k:
            return (None, n, n > 0)
        return (sum(levels) / n, n, False)

    found = [
        After(round=rounds[r], indicator=by_id[i], taking_part=figure(c["in"]), others=figure(c["out"]))
        for (r, i), c in cells.items()
    ]
    found.sort(key=lambda a: (a.round.opens_on, a.indicator.area.order, a.indicator.order))
    return found
