"""The unit's picture: levels per indicator and area for a round, and the round before on the
same framework lineage."""

from django.utils.translation import gettext as _

from stegvis.assessments.models import Answer, Assessment, Perspective
from stegvis.core import charts
from stegvis.core.i18n import bilingual
from stegvis.cycles.lineage import key_map, same_lineage
from stegvis.frameworks.models import Area


def published_levels(*, unit, round):
    """{indicator_key: level or None (not relevant)} from the latest published principal version."""
    latest = (
        Assessment.objects.filter(
            unit=unit, round=round, perspective=Perspective.PRINCIPAL, status=Assessment.Status.PUBLISHED
        )
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    return None if latest is None else _levels(latest)


def _levels(assessment_id):
    return {
        key: (None if nr else level)
        for key, level, nr in Answer.objects.filter(assessment_id=assessment_id).values_list(
            "indicator__key", "level", "not_relevant"
        )
    }


def _latest_published(unit):
    """{round_id: id of the latest published principal version} of the unit, in one query."""
    return dict(
        Assessment.objects.filter(unit=unit, perspective=Perspective.PRINCIPAL, status=Assessment.Status.PUBLISHED)
        .order_by("round_id", "version")
        .values_list("round_id", "pk")
    )  # the highest version of a round comes last and wins


def area_averages(*, indicators, levels):
    """{area_key: mean level over answered indicators} for ``(area_key, indicator_key)`` pairs."""
    sums = {}
    for area_key, ind_key in indicators:
        value = levels.get(ind_key) if levels else None
        if value is not None:
            total, count = sums.get(area_key, (0, 0))
            sums[area_key] = (total + value, count + 1)
    return {key: round(total / count, 2) for key, (total, count) in sums.items()}


def unit_picture(*, unit, rounds, round=None):
    """A round with a published assessment and the round before it on the same framework
    lineage (with a published assessment too), as chart data. The previous round's indicators
    are followed to the current version's (``Indicator.previous_key``); a round on another
    framework is never "the round before".

    ``rounds`` is newest first. ``round``: the round to show (the page's ``?round=``); by
    default the newest with a published assessment. Returns None when nothing is published
    (in ``round``, when given).
    """
    latest = _latest_published(unit)  # one query, however many rounds

    def levels_in(rnd):
        return _levels(latest[rnd.pk]) if rnd.pk in latest else None

    if round is not None:
        current = levels_in(round)
        if current is None:
            return None
        current_round = round
    else:
        current_round, current = next(
            ((r, levels) for r in rounds if (levels := levels_in(r)) is not None),
            (None, None),
        )
        if current_round is None:
            return None
    previous_round, previous = None, None
    earlier = sorted(
        (
            r
            for r in same_lineage(rounds, current_round)
            if (r.opens_on, r.pk) < (current_round.opens_on, current_round.pk)
        ),
        key=lambda r: (r.opens_on, r.pk),
        reverse=True,
    )
    for rnd in earlier:
        levels = levels_in(rnd)
        if levels is not None:
            previous_round = rnd
            mapping = key_map(older=rnd.framework, newer=current_round.framework)
            previous = {key: levels[old] for key, old in mapping.items() if old in levels}
            break
    framework = current_round.framework
    areas = list(Area.objects.filter(framework=framework).order_by("order"))
    every = list(framework.indicators.select_related("area").order_by("area__order", "order"))
    keys = [(i.area.key, i.key) for i in every]
    indicators = [i for i in every if i.key in current or (previous and i.key in previous)]
    cur_avg = area_averages(indicators=keys, levels=current)
    prev_avg = area_averages(indicators=keys, levels=previous) if previous else {}
    return {
        "round": current_round,
        "previous_round": previous_round,
        "framework": framework,
        "areas": [(a, cur_avg.get(a.key), prev_avg.get(a.key)) for a in areas],
        "indicators": [
            (i, current.get(i.key), (previous or {}).get(i.key), i.key in current and current[i.key] is None)
            for i in indicators
        ],
    }


def withhold(picture, rounds):
    """``(picture, withheld_round)``: the picture as it may be shown when the levels of the rounds
    with ids ``rounds`` are withheld from the reader (``assessments.perspectives.rounds_withheld``):
    none when its round is withheld (that round comes back to say why), without the round before
    when only that one is."""
    if not picture or not rounds:
        return picture, None
    if picture["round"].pk in rounds:
        return None, picture["round"]
    if picture["previous_round"] and picture["previous_round"].pk in rounds:
        picture = {
            **picture,
            "previous_round": None,
            "areas": [(a, cur, None) for a, cur, _prev in picture["areas"]],
            "indicators": [(i, cur, None, nr) for i, cur, _prev, nr in picture["indicators"]],
        }
    return picture, None


def unit_charts(*, unit, picture, lang):
    """The unit's two radar charts (areas, indicators) for a picture from ``unit_picture``: the same on
    the unit page and in the unit report PDF."""
    top = picture["framework"].level_count
    framework = picture["framework"]
    rings = [label for _n, label, _name, _css in framework.levels(lang)]
    in_labels = framework.mean_text if framework.level_scale() else None
    series_area = [charts.Series(picture["round"].name, [c for _a, c, _p in picture["areas"]], "current")]
    series_ind = [charts.Series(picture["round"].name, [c for _i, c, _p, _nr in picture["indicators"]], "current")]
    if picture["previous_round"]:
        prev = picture["previous_round"].name
        series_area.append(charts.Series(prev, [p for _a, _c, p in picture["areas"]], "previous"))
        series_ind.append(charts.Series(prev, [p for _i, _c, p, _nr in picture["indicators"]], "previous"))
    return {
        "radar_areas": charts.radar(
            title=_("Level per area, %(unit)s") % {"unit": unit.name},
            axes=[bilingual(a, "name", lang) for a, _c, _p in picture["areas"]],
            series=series_area,
            max_value=top,
            ring_labels=rings,
            value_format=in_labels,
        ),
        "radar_indicators": charts.radar(
            title=_("Level per indicator, %(unit)s") % {"unit": unit.name},
            axes=[i.code for i, _c, _p, _nr in picture["indicators"]],
            series=series_ind,
            max_value=top,
            size=560,
            ring_labels=rings,
            value_format=in_labels,
        ),
    }
