"""The organiser's retention rules delete old audit entries and mail records by themselves, at
the times the organiser chose (never below the minimum), only in that organiser; the audit page
filters and exports, and costs the same number of queries for many entries as for few."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from stegvis.core.models import AuditEvent, SentMail, record
from stegvis.core.scheduler import parse_schedule
from stegvis.privacy import domain as privacy

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


def _event_at(organizer, actor, when, verb="unit.changed", summary=""):
    with time_machine.travel(when, tick=False):
        return record(organizer=organizer, actor=actor, verb=verb, obj=organizer, summary=summary)


def _mail_at(organizer, when):
    with time_machine.travel(when, tick=False):
        return SentMail.objects.create(
            organizer=organizer, to_email="x@example.se", kind="reminder", subject="s", language="sv", body_text="b"
        )


def test_the_defaults_keep_audit_entries_five_years_and_mail_two(world):
    old_event = _event_at(world.org, world.alice, NOW - datetime.timedelta(days=365 * 5 + 30))
    new_event = _event_at(world.org, world.alice, NOW - datetime.timedelta(days=365 * 4))
    old_mail = _mail_at(world.org, NOW - datetime.timedelta(days=800))
    new_mail = _mail_at(world.org, NOW - datetime.timedelta(days=600))
    deleted = privacy.apply_retention(organizer=world.org, now=NOW)
    assert deleted["audit"] == 1 and deleted["mail"] == 1
    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert AuditEvent.objects.filter(pk=new_event.pk).exists()
    assert not SentMail.objects.filter(pk=old_mail.pk).exists()
    assert SentMail.objects.filter(pk=new_mail.pk).exists()


def test_an_organisers_shorter_rule_applies_to_it_alone(client, world, settings):
    mine = _event_at(world.org, world.alice, NOW - datetime.timedelta(days=500))
    theirs = _event_at(world.other_org, world.charlie, NOW - datetime.timedelta(days=500))
    client.force_login(world.alice)
    response = client.post("/mittkoping/privacy/retention/", {"audit": "12", "mail": "24", "survey_free_text": "24"})
    assert response.status_code == 302
    job = parse_schedule(settings.STEGVIS_SCHEDULE)["apply-retention"]
    with time_machine.travel(NOW, tick=False):
        assert job.target().call() == 1  # the nightly job, as the scheduler runs it
    assert not AuditEvent.objects.filter(pk=mine.pk).exists()
    with scopes_disabled():
        assert AuditEvent.objects.filter(pk=theirs.pk).exists()
    page = client.get("/mittkoping/privacy/retention/").content.decode()
    assert 'value="12"' in page


def test_a_rule_below_the_minimum_is_refused_and_nothing_changes(client, world):
    client.force_login(world.alice)
    response = client.post("/mittkoping/privacy/retention/", {"audit": "2", "mail": "24", "survey_free_text": "24"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="2"' in page  # what the admin typed is kept in the form
    assert privacy.policy_of(world.org).pk is None


def test_the_audit_page_filters_by_person_kind_and_date_and_exports_that(client, world):
    _event_at(world.org, world.alice, NOW - datetime.timedelta(days=3), verb="unit.changed", summary="Ekskolan")
    _event_at(world.org, world.bob, NOW - datetime.timedelta(days=2), verb="assessment.published", summary="Bobs")
    _event_at(world.org, world.bob, NOW - datetime.timedelta(days=40), verb="assessment.published", summary="Gammal")
    _event_at(world.other_org, world.charlie, NOW - datetime.timedelta(days=1), summary="Annanstads")
    client.force_login(world.alice)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/mittkoping/privacy/audit/", {"who": "bob", "since": "2026-11-01"}).content.decode()
        assert "Bobs" in page and "Gammal" not in page and "Ekskolan" not in page and "Annanstads" not in page
        csv = client.get("/mittkoping/privacy/audit/export.csv", {"kind": "assessment.published"}).content.decode()
    assert "Bobs" in csv and "Gammal" in csv and "Ekskolan" not in csv and "Annanstads" not in csv


def _audit_page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/mittkoping/privacy/audit/").status_code == 200
    return len(ctx)


def test_the_audit_page_costs_the_same_queries_for_many_entries(client, world):
    client.force_login(world.alice)
    for i in range(2):
        _event_at(world.org, world.bob if i % 2 else world.alice, NOW - datetime.timedelta(hours=i))
    client.get("/mittkoping/privacy/audit/")  # the session's first request does more
    few = _audit_page_queries(client)
    for i in range(40):
        _event_at(world.org, world.dave if i % 2 else world.carol, NOW - datetime.timedelta(days=1, hours=i))
    assert _audit_page_queries(client) == few
