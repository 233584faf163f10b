"""`manage.py run_scheduler` as `make demo` and production run it: real processes on the test
database (SQLite file or PostgreSQL). Two at once run a due job once; one killed with SIGKILL
leaves a lease that runs out, and the job runs again; Ctrl-C and SIGTERM stop it cleanly."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from stegvis.core.models import ScheduledJob

pytestmark = pytest.mark.django_db(transaction=True)  # the processes must see what the test writes, and back

ROOT = Path(__file__).resolve().parents[2]
FAST = {"tick": 0.2, "lease": 30, "retry_base": 60, "retry_max": 3600, "max_retries": 5}
SHORT_LEASE = {**FAST, "lease": 1}  # only where the lease must run out: a busy machine may stall a process for 1 s


def start(*args, tmp_path, schedule=None, options=FAST, checks=False):
    """A `manage.py run_scheduler` process (without the system checks, which take a second or two,
    unless ``checks``)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.scheduler_settings",
        "STEGVIS_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "STEGVIS_DATA_DIR": str(tmp_path / "var"),
        "STEGVIS_TEST_SCHEDULER": json.dumps(options),
    }
    if schedule is not None:
        env["STEGVIS_TEST_SCHEDULE"] = json.dumps(schedule)
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", *args, *([] if checks else ["--skip-checks"])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def work(path, seconds):
    return {
        "work": {
            "task": "tests.core.jobs.append_line",
            "every": 3600,
            "kwargs": {"path": str(path), "seconds": seconds},
        }
    }


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def lines(path):
    return path.read_text().split() if path.exists() else []


def finish(process, timeout=30):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def test_two_schedulers_started_at_once_run_the_due_job_once(tmp_path):
    runs = tmp_path / "runs.txt"
    processes = [start("--once", tmp_path=tmp_path, schedule=work(runs, 1.5)) for _ in range(2)]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    outputs = sorted(out.splitlines()[-1] for _, out, _ in results)
    assert outputs == ["No job was due.", "work: done"]
    assert lines(runs).count("start") == 1 and lines(runs).count("end") == 1
    assert ScheduledJob.objects.get(name="work").runs == 1


def test_a_killed_schedulers_lease_runs_out_and_the_job_runs_again(tmp_path):
    runs = tmp_path / "runs.txt"
    crashed = start(tmp_path=tmp_path, schedule=work(runs, 60), options=SHORT_LEASE)
    try:
        wait_for(lambda: "start" in lines(runs))
        assert ScheduledJob.objects.get(name="work").locked_by
    finally:
        crashed.kill()  # SIGKILL: no clean-up at all
        crashed.communicate(timeout=30)
    killed_at = time.monotonic()
    while True:  # the lease (1 s) runs out; until then the job is not due for anybody
        code, out, err = finish(start("--once", tmp_path=tmp_path, schedule=work(runs, 0), options=SHORT_LEASE))
        assert code == 0, err
        if "work: done" in out:
            break
        assert "No job was due." in out and time.monotonic() - killed_at < 20
    assert lines(runs) == ["start", str(crashed.pid), "start", lines(runs)[3], "end", lines(runs)[3]]
    job = ScheduledJob.objects.get(name="work")
    assert job.runs == 2 and job.locked_by == "" and "did not finish: its lease ran out" in job.last_error


def test_the_demos_scheduler_starts_runs_and_stops_cleanly(tmp_path):
    process = start(tmp_path=tmp_path, checks=True)  # the project's own schedule, as `make demo` runs it
    try:
        wait_for(lambda: ScheduledJob.objects.filter(name="refresh-maturity", last_finished__isnull=False).exists())
        assert ScheduledJob.objects.get(name="refresh-maturity").failures == 0
        assert ScheduledJob.objects.get(name="prune-exports").next_due is not None
        process.send_signal(signal.SIGTERM)  # what `make demo` sends on Ctrl-C (`kill` in its trap)
        code, out, err = finish(process, timeout=10)
    finally:
        process.kill()
    assert code == 0, err
    assert "refresh-maturity (every 30 s), prune-exports (cron 15 3 * * *)" in out
    assert out.splitlines()[-1] == "Scheduler stopped."


def test_stopping_waits_for_a_running_job_and_a_second_signal_gives_it_up(tmp_path):
    runs = tmp_path / "runs.txt"
    process = start(tmp_path=tmp_path, schedule=work(runs, 60))
    try:
        wait_for(lambda: "start" in lines(runs))
        process.send_signal(signal.SIGINT)  # Ctrl-C
        time.sleep(0.5)
        assert process.poll() is None  # the job still runs: the scheduler waits for it
        assert ScheduledJob.objects.get(name="work").locked_until is not None
        process.send_signal(signal.SIGINT)
        code, out, _ = finish(process, timeout=10)
    finally:
        process.kill()
    assert code == 1 and "waiting for the running jobs" in out and "Scheduler stopped at once." in out
    assert "end" not in lines(runs)
    given_up = ScheduledJob.objects.get(name="work")
    assert given_up.locked_by == "" and "Stopped at once while running" in given_up.last_error
    # released, not left to run out: the next start runs it at once
    code, out, err = finish(start("--once", tmp_path=tmp_path, schedule=work(runs, 0)))
    assert code == 0 and "work: done" in out, err
