"""STEGVIS_SCHEDULE and STEGVIS_SCHEDULER: a mistake is caught by `manage.py check` (and so by
every command), with the job's name, before a scheduler starts."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from stegvis.core.checks import check_schedule
from stegvis.core.scheduler import parse_options, parse_schedule


def test_the_projects_schedule_passes_the_check():
    assert check_schedule() == []


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ({"x": {"every": 30}}, "'task' must be the dotted path"),
        ({"x": {"task": "a.b"}}, "either 'every'"),
        ({"x": {"task": "a.b", "every": 30, "cron": "* * * * *"}}, "either 'every'"),
        ({"x": {"task": "a.b", "every": 0}}, "'every' must be"),
        ({"x": {"task": "a.b", "cron": "61 * * * *"}}, "is not valid"),
        ({"x": {"task": "a.b", "cron": "* * * *"}}, "five fields"),
        ({"x": {"task": "a.b", "every": 30, "when": "now"}}, "unknown keys"),
        ({"x": {"task": "a.b", "every": 30, "kwargs": [1]}}, "'kwargs' must be"),
    ],
)
def test_a_bad_schedule_is_refused_with_the_jobs_name(schedule, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_schedule(schedule)


def test_the_check_reports_a_task_that_cannot_be_imported_and_bad_options(settings):
    settings.STEGVIS_SCHEDULE = {"typo": {"task": "stegvis.maturity.tasks.refresh_maturty", "every": 30}}
    (error,) = check_schedule()
    assert error.id == "stegvis.E002" and "typo" in error.msg
    settings.STEGVIS_SCHEDULER = {"tick": 30, "lease": 60}
    (error,) = check_schedule()
    assert error.id == "stegvis.E001" and "three ticks" in error.msg
    with pytest.raises(ImproperlyConfigured, match="unknown keys"):
        parse_options({"leese": 60})
