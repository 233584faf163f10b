"""Where a goal stands: reached, on track, at risk, missed, or not yet measured (docs/goals.md).

The expected value at a round is the straight line from the baseline (at the baseline round's
opening date) to the target (at the target date); a goal is on track when its latest value is
at least that (at most, for a goal that aims lower than its baseline)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LABELS = {
    "reached": _("Reached"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "missed": _("Missed"),
    "no_data": _("Not measured yet"),
}


def latest(values):
    measured = [v for v in values if v.value is not None]
    return measured[-1] if measured else None


def expected_at(goal, day):
    if goal.baseline_value is None:
        return None
    start, end = goal.baseline_round.opens_on, goal.target_date
    if day >= end or end <= start:
        return goal.target_value
    share = max(0.0, (day - start).days / (end - start).days)
    return goal.baseline_value + (goal.target_value - goal.baseline_value) * share


def status(goal, values, today=None):
    """One of LABELS' keys."""
    today = today or timezone.localdate()
    last = latest(values)
    if last is None:
        return "no_data"
    rising = goal.baseline_value is None or goal.target_value >= goal.baseline_value
    reached = last.value >= goal.target_value if rising else last.value <= goal.target_value
    if reached:
        return "reached"
    if today > goal.target_date:
        return "missed"
    expected = expected_at(goal, last.round.opens_on)
    if expected is None:
        return "on_track"
    ahead = last.value >= expected if rising else last.value <= expected
    return "on_track" if ahead else "at_risk"
