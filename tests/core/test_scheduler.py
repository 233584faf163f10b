"""The scheduler (core.scheduler): each due job runs exactly once however many schedulers tick, a
running job is not started again, a failed one is recorded and retried with a bounded backoff, a
crashed run's lease runs out. Real threads and the real database; time moved with time-machine."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils.timezone import now as scheduler_now

from stegvis.core.models import ScheduledJob
from stegvis.core.scheduler import Scheduler
from tests.core import jobs

pytestmark = pytest.mark.django_db(transaction=True)  # the jobs run in threads, with connections of their own

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=STOCKHOLM)
OPTIONS = {"tick": 1, "lease": 60, "retry_base": 60, "retry_max": 3600, "max_retries": 5}


@pytest.fixture
def clock():
    """Time stands still at START until the test moves it (``clock.shift(seconds)``)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_scheduler():
    """Schedulers on the test database; at the end every gate opens and every scheduler stops."""
    made = []
    jobs.CALLS.clear()
    jobs.GATES.clear()

    def make(schedule, *, options=None, owner=None):
        scheduler = Scheduler(schedule=schedule, options=options or OPTIONS, owner=owner)
        made.append(scheduler)
        return scheduler

    yield make
    for gate in jobs.GATES.values():
        gate.set()
    for scheduler in made:
        scheduler.close()


def row(name):
    return ScheduledJob.objects.get(name=name)


def gate(name):
    jobs.GATES[name] = threading.Event()
    return jobs.GATES[name]


def tick_together(schedulers):
    """Every scheduler ticks at the same moment, each in its own thread; {owner: started}."""
    barrier = threading.Barrier(len(schedulers))
    started, errors = {}, []

    def tick(scheduler):
        try:
            barrier.wait(timeout=10)
            started[scheduler.owner] = scheduler.tick()
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return started


def test_schedulers_ticking_at_once_start_each_due_job_exactly_once(clock, make_scheduler):
    schedule = {
        "often": {"task": "tests.core.jobs.record", "every": 60, "kwargs": {"name": "often"}},
        "as-task": {"task": "tests.core.jobs.recorded_task", "every": 60, "kwargs": {"name": "as-task"}},
        "minutely": {"task": "tests.core.jobs.record", "cron": "* * * * *", "kwargs": {"name": "minutely"}},
    }
    schedulers = [make_scheduler(schedule, owner=f"scheduler-{i}") for i in range(3)]
    for round_ in range(8):
        started = tick_together(schedulers)
        for scheduler in schedulers:
            scheduler.wait(timeout=10)
        names = sorted(name for names in started.values() for name in names)
        expected = ["as-task", "often"] if round_ == 0 else ["as-task", "minutely", "often"]
        assert names == expected, f"round {round_}: {started}"
        clock.shift(61)
    assert sorted(jobs.CALLS) == sorted(["often", "as-task"] * 8 + ["minutely"] * 7)
    assert row("often").runs == 8 and row("minutely").runs == 7
    assert row("often").locked_by == "" and row("often").failures == 0


def test_a_job_is_not_due_again_before_its_time(clock, make_scheduler):
    scheduler = make_scheduler({"a": {"task": "tests.core.jobs.record", "every": 30, "kwargs": {"name": "a"}}})
    assert scheduler.tick() == ["a"]  # a new interval job runs at once
    scheduler.wait()
    clock.shift(29)
    assert scheduler.tick() == []
    clock.shift(1)
    assert scheduler.tick() == ["a"]
    scheduler.wait()
    assert jobs.CALLS == ["a", "a"]


def test_a_running_job_is_not_started_again_by_the_next_tick_or_another_scheduler(clock, make_scheduler):
    schedule = {"slow": {"task": "tests.core.jobs.gated", "every": 10, "kwargs": {"name": "slow"}}}
    first, second = make_scheduler(schedule, owner="first"), make_scheduler(schedule, owner="second")
    opened = gate("slow")
    assert first.tick() == ["slow"]
    for _ in range(5):  # the job is due again every 10 s and runs 5 minutes, twice as long as its lease
        clock.shift(60)
        assert first.tick() == []  # still running here: not started again; the lease is renewed
        assert second.tick() == []  # leased by the first: not started
        assert row("slow").locked_by == "first"
        assert row("slow").locked_until == scheduler_now() + datetime.timedelta(seconds=60)
    assert first.running == {"slow"}
    opened.set()
    assert first.wait(timeout=10)
    assert row("slow").locked_by == "" and row("slow").last_finished is not None
    assert second.tick() == ["slow"]  # finished, and due: the other scheduler may run it now
    second.wait(timeout=10)
    assert jobs.CALLS == ["slow", "slow"] and row("slow").runs == 2


def test_a_failing_job_is_logged_recorded_and_retried_later_with_backoff(clock, make_scheduler, caplog):
    scheduler = make_scheduler({"flaky": {"task": "tests.core.jobs.fail", "every": 3600, "kwargs": {"name": "flaky"}}})
    assert scheduler.tick() == ["flaky"]
    scheduler.wait()
    failed = row("flaky")
    assert failed.failures == 1 and failed.retry == 1 and failed.locked_by == ""
    assert "RuntimeError: the printer is on fire" in failed.last_error and "Traceback" in failed.last_error
    assert failed.next_due == START + datetime.timedelta(seconds=60)  # the first retry after a minute
    assert any(r.levelname == "ERROR" and "Job flaky failed" in r.getMessage() for r in caplog.records)

    clock.shift(59)
    assert scheduler.tick() == []
    clock.shift(1)
    assert scheduler.tick() == ["flaky"]
    scheduler.wait()
    assert row("flaky").failures == 2
    assert row("flaky").next_due == START + datetime.timedelta(seconds=60 + 120)  # then twice as long

    # it works again: back to the regular interval, the error kept for the record
    schedule = {"flaky": {"task": "tests.core.jobs.record", "every": 3600, "kwargs": {"name": "flaky"}}}
    fixed = make_scheduler(schedule)
    clock.shift(120)
    assert fixed.tick() == ["flaky"]
    fixed.wait()
    healed = row("flaky")
    assert healed.failures == 0 and healed.retry == 0
    assert healed.next_due == START + datetime.timedelta(seconds=180 + 3600)
    assert "printer is on fire" in healed.last_error and healed.runs == 3


def test_retries_are_bounded_then_the_job_waits_for_its_next_regular_time(clock, make_scheduler):
    schedule = {"nightly": {"task": "tests.core.jobs.fail", "cron": "15 3 * * *", "kwargs": {"name": "nightly"}}}
    scheduler = make_scheduler(schedule, options={**OPTIONS, "max_retries": 3})
    night = datetime.datetime(2026, 3, 11, 3, 15, tzinfo=STOCKHOLM)
    assert scheduler.tick() == []  # at noon
    assert row("nightly").next_due == night
    clock.move_to(night)
    due_times = []
    for _ in range(5):
        assert scheduler.tick() == ["nightly"]
        scheduler.wait()
        due_times.append(row("nightly").next_due)
        clock.move_to(due_times[-1])
    minutes = [int((t - night).total_seconds() // 60) for t in due_times[:4]]
    assert minutes == [1, 1 + 2, 1 + 2 + 4, 24 * 60]  # three retries, then tomorrow night
    assert due_times[4] == night + datetime.timedelta(days=1, minutes=1)  # tomorrow's failure: retries again
    assert row("nightly").failures == 5 and jobs.CALLS == ["nightly"] * 5


def test_a_crashed_runs_lease_runs_out_and_another_scheduler_runs_the_job(clock, make_scheduler, caplog):
    schedule = {"work": {"task": "tests.core.jobs.gated", "every": 600, "kwargs": {"name": "work"}}}
    crashed, survivor = make_scheduler(schedule, owner="crashed"), make_scheduler(schedule, owner="survivor")
    opened = gate("work")
    assert crashed.tick() == ["work"]
    # `crashed` never ticks again (its process died): nobody renews its lease
    clock.shift(30)
    assert survivor.tick() == []
    clock.shift(31)  # the lease (60 s) has run out
    assert survivor.tick() == ["work"]
    taken = row("work")
    assert taken.locked_by == "survivor" and taken.failures == 1 and taken.runs == 2
    assert "by crashed did not finish: its lease ran out" in taken.last_error
    opened.set()  # both runs end now; only the survivor's end is recorded
    survivor.wait(timeout=10)
    crashed.wait(timeout=10)
    done = row("work")
    assert done.locked_by == "" and done.failures == 0
    assert done.next_due == START + datetime.timedelta(seconds=61 + 600)
    assert any("its lease had been taken over" in r.getMessage() for r in caplog.records)
    assert any("did not finish before its lease ran out" in r.getMessage() for r in caplog.records)


def test_a_job_added_to_the_schedule_gets_its_row_and_runs(clock, make_scheduler):
    make_scheduler({"a": {"task": "tests.core.jobs.record", "every": 60, "kwargs": {"name": "a"}}}).tick()
    later = make_scheduler(
        {
            "a": {"task": "tests.core.jobs.record", "every": 60, "kwargs": {"name": "a"}},
            "b": {"task": "tests.core.jobs.record", "every": 60, "kwargs": {"name": "b"}},
        }
    )
    assert later.tick() == ["b"]
    later.wait()
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == {"a", "b"}


# -- the rooms' jobs, from the project's own STEGVIS_SCHEDULE ----------------------------------


def test_the_scheduler_keeps_the_maturity_figures_current(clock, make_scheduler, world):
    from stegvis.maturity.models import MaturityFigure
    from tests import factories as f

    clock.move_to(datetime.datetime(2026, 9, 10, 12, 0, tzinfo=STOCKHOLM))  # the round opened 2026-08-15
    world.org.share_national = True  # national figures come only from organisers that share
    world.org.save(update_fields=["share_national"])
    scheduler = make_scheduler(None)  # settings.STEGVIS_SCHEDULE
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    assert "refresh-maturity" in scheduler.tick()
    scheduler.wait(timeout=30)
    organiser = MaturityFigure.unscoped.filter(scope="organizer", organizer=world.org, round=world.rnd, area_key="")
    assert organiser.get().value == 0.0  # every indicator at the lowest level
    assert MaturityFigure.unscoped.filter(scope="national").exists()

    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=4)
    clock.shift(31)
    assert "refresh-maturity" in scheduler.tick()
    scheduler.wait(timeout=30)
    assert organiser.get().value == 50.0  # one unit at the bottom, one at the top


def test_the_scheduler_prunes_old_export_files_at_night(clock, make_scheduler, world, settings, tmp_path):
    from stegvis.exports import domain as exports
    from stegvis.exports.models import ExportJob

    settings.STEGVIS_EXPORT_DIR = tmp_path / "exports"

    def export(organizer, user, days_old):
        job = exports.create_job(organizer=organizer, user=user, kind="answers", params={}, ext="csv")
        exports.job_path(job).parent.mkdir(parents=True, exist_ok=True)
        exports.job_path(job).write_text("a;b\r\n")
        ExportJob.objects.filter(pk=job.pk).update(created_at=START - datetime.timedelta(days=days_old))
        return job

    old, recent = export(world.org, world.alice, 8), export(world.org, world.alice, 2)
    other_organisers = export(world.other_org, world.charlie, 30)
    scheduler = make_scheduler(None)
    assert "prune-exports" not in scheduler.tick()  # at noon: not yet
    scheduler.wait(timeout=30)
    assert exports.job_path(old).exists()
    clock.move_to(datetime.datetime(2026, 3, 11, 3, 15, tzinfo=STOCKHOLM))
    assert "prune-exports" in scheduler.tick()
    scheduler.wait(timeout=30)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not exports.job_path(old).exists() and not exports.job_path(other_organisers).exists()
    assert exports.job_path(recent).exists()
    assert row("prune-exports").next_due == datetime.datetime(2026, 3, 12, 3, 15, tzinfo=STOCKHOLM)


# -- the commands --------------------------------------------------------------------------


def test_run_scheduler_once_runs_what_is_due_and_reports_failures(settings, make_scheduler):
    jobs.CALLS.clear()
    settings.STEGVIS_SCHEDULER = OPTIONS
    settings.STEGVIS_SCHEDULE = {"a": {"task": "tests.core.jobs.record", "every": 60, "kwargs": {"name": "a"}}}
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "a: done" in out.getvalue() and jobs.CALLS == ["a"]
    call_command("run_scheduler", "--once", stdout=out)
    assert "No job was due." in out.getvalue() and jobs.CALLS == ["a"]

    settings.STEGVIS_SCHEDULE = {"b": {"task": "tests.core.jobs.fail", "every": 60, "kwargs": {"name": "b"}}}
    with pytest.raises(CommandError, match="1 job"):
        call_command("run_scheduler", "--once", stdout=out)
    assert "b: failed" in out.getvalue()


def test_scheduler_status_shows_each_job_and_its_last_error(clock, settings, make_scheduler):
    settings.STEGVIS_SCHEDULE = {
        "good": {"task": "tests.core.jobs.record", "every": 60, "kwargs": {"name": "good"}},
        "bad": {"task": "tests.core.jobs.fail", "every": 600, "kwargs": {"name": "bad"}},
        "later": {"task": "tests.core.jobs.record", "cron": "0 6 * * mon", "kwargs": {"name": "later"}},
    }
    scheduler = make_scheduler(None)
    scheduler.tick()
    scheduler.wait()
    out = io.StringIO()
    call_command("scheduler_status", stdout=out, no_color=True)
    text = out.getvalue()
    good, bad, later = text.split("good\n")[1], text.split("bad\n")[1], text.split("later\n")[1]
    assert "state:     ok" in good and "next due:  2026-03-10 12:01:00" in good
    assert "failing (1 in a row)" in bad and "RuntimeError: the printer is on fire" in bad and "(retry 1)" in bad
    assert "cron 0 6 * * mon" in later and "never run" in later and "2026-03-16 06:00:00" in later
