"""The unit's picture: levels per indicator and area for a round, and the round before."""

from stegvis.assessments.models import Answer, Assessment, Perspective
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
    if latest is None:
        return None
    return {
        key: (None if nr else level)
        for key, level, nr in Answer.objects.filter(assessment_id=latest).values_list(
            "indicator__key", "level", "not_relevant"
        )
    }


def area_averages(*, indicators, levels):
    """{area_key: mean level over answered indicators} for ``(area_key, indicator_key)`` pairs."""
    sums = {}
    for area_key, ind_key in indicators:
        value = levels.get(ind_key) if levels else None
        if value is not None:
            total, count = sums.get(area_key, (0, 0))
            sums[area_key] = (total + value, count + 1)
    return {key: round(total / count, 2) for key, (total, count) in sums.items()}


def unit_picture(*, unit, rounds):
    """The latest round with a published assessment and the one before it, as chart data.

    ``rounds`` is newest first. Returns None when nothing is published.
    """
    found = []
    for rnd in rounds:
        levels = published_levels(unit=unit, round=rnd)
        if levels is not None:
            found.append((rnd, levels))
        if len(found) == 2:
            break
    if not found:
        return None
    current_round, current = found[0]
    previous_round, previous = found[1] if len(found) > 1 else (None, None)
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
