"""/health/: the database, and the heartbeats of the worker and the scheduler (core.heartbeat)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stegvis.core import heartbeat

pytestmark = pytest.mark.django_db


def test_health_fails_until_the_worker_and_the_scheduler_have_beaten(client):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "scheduler": "missing", "worker": "missing"}


def test_health_is_ok_after_the_scheduler_job_ran_and_the_worker_ran_its_task(client):
    heartbeat.beat()  # the scheduler's job; the test backend runs the enqueued worker task at once
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "scheduler": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_worker_that_stopped_beating_as_stale(client, settings):
    settings.STEGVIS_HEALTH_STALE_MINUTES = 5
    start = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        heartbeat.beat()
        clock.shift(datetime.timedelta(minutes=4))
        heartbeat.record(name="scheduler")  # the scheduler goes on, the worker has stopped
        assert client.get("/health/").status_code == 200
        clock.shift(datetime.timedelta(minutes=2))
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["scheduler"] == "ok"


def test_health_with_db_checks_only_the_database_for_a_load_balancer(client):
    response = client.get("/health/?db")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_one_query(client):
    heartbeat.beat()
    client.get("/health/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/health/").status_code == 200
    assert len(queries) == 1


def test_the_heartbeat_is_in_the_schedule_every_minute(settings):
    from stegvis.core.scheduler import parse_schedule

    job = parse_schedule(settings.STEGVIS_SCHEDULE)["heartbeat"]
    assert job.every == 60
    assert job.target() is heartbeat.beat
