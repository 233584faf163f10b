"""Login throttling (django-axes): 10 failures per account or per client address lock the login
for 15 minutes, with a message on our login page, an audit event, and the lock lifting on time."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stegvis.accounts import throttling
from stegvis.core.models import AuditEvent
from tests import factories as f

LOCKED = "Too many failed attempts: logging in is blocked for 15 minutes"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def attempt(client, email, password, ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(client, email, times, ip="192.0.2.10"):
    return [attempt(client, email, f"wrong password {n}", ip=ip) for n in range(times)]


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, world):
    responses = fail(client, "bob@example.se", 10)
    assert all(r.status_code == 200 for r in responses[:9])
    assert responses[9].status_code == 429 and LOCKED in responses[9].content.decode()
    refused = attempt(client, "bob@example.se", f.PASSWORD)
    page = refused.content.decode()
    assert refused.status_code == 429 and LOCKED in page
    assert 'value="bob@example.se"' in page and "<form" in page  # our login page, not a bare one
    assert client.get("/mittkoping/").status_code == 302  # not logged in


def test_the_lockout_message_is_in_the_users_language(client, world):
    client.cookies.clear()
    response = fail(client, "bob@example.se", 10)[-1]
    assert response.status_code == 429
    assert "För många misslyckade försök" in response.content.decode()


def test_the_address_counts_as_one_account_in_any_case(client, world):
    for n, spelling in enumerate(["Bob@Example.se", "bob@example.se", "BOB@EXAMPLE.SE ", " bob@Example.SE"] * 3):
        if n == 10:
            break
        attempt(client, spelling, "wrong wrong wrong")
    assert attempt(client, "bob@example.se", f.PASSWORD).status_code == 429


def test_a_locked_account_is_locked_from_another_address_too(client, world):
    fail(client, "bob@example.se", 10, ip="192.0.2.10")
    assert attempt(client, "bob@example.se", f.PASSWORD, ip="198.51.100.7").status_code == 429
    assert attempt(client, "carol@example.se", f.PASSWORD, ip="198.51.100.7").status_code == 302


def test_ten_failures_from_one_address_lock_that_address_for_every_account(client, world):
    for n in range(10):
        attempt(client, f"guess{n}@example.se", "wrong wrong wrong", ip="203.0.113.5")
    assert attempt(client, "carol@example.se", f.PASSWORD, ip="203.0.113.5").status_code == 429
    assert attempt(client, "carol@example.se", f.PASSWORD, ip="198.51.100.8").status_code == 302


def test_each_lockout_is_one_account_level_audit_event(client, world):
    fail(client, "bob@example.se", 10)
    fail(client, "bob@example.se", 3)  # refused during the lockout: no new event
    attempt(client, "bob@example.se", f.PASSWORD)
    [event] = AuditEvent.objects.filter(verb="account.locked_out")
    assert event.organizer is None
    assert (event.object_type, event.object_id) == ("user", world.bob.pk)
    assert "10 failed logins" in event.summary and "192.0.2.10" in event.summary


def test_a_lockout_by_address_without_an_account_is_recorded_too(client, world):
    for n in range(10):
        attempt(client, f"guess{n}@example.se", "wrong", ip="203.0.113.5")
    [event] = AuditEvent.objects.filter(verb="account.locked_out")
    assert event.object_type == "login" and "203.0.113.5" in event.summary
    assert "guess" not in event.summary


def test_the_lock_lifts_after_the_cool_off(client, world):
    fail(client, "bob@example.se", 10)
    assert attempt(client, "bob@example.se", f.PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14)):
        assert attempt(client, "bob@example.se", f.PASSWORD).status_code == 429  # tried during: not longer
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=15, seconds=5)):
        assert attempt(client, "bob@example.se", f.PASSWORD).status_code == 302


def test_the_limit_and_the_cool_off_come_from_the_settings(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
    response = fail(client, "bob@example.se", 3)[-1]
    assert response.status_code == 429 and "blocked for 5 minutes" in response.content.decode()


def test_a_password_reset_lifts_the_lock_of_the_account(client, world):
    from stegvis.accounts import domain

    fail(client, "bob@example.se", 10)
    domain.set_password(user=world.bob, password="en helt ny fras här", how="reset")
    assert attempt(client, "bob@example.se", "en helt ny fras här", ip="198.51.100.9").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_clients(rf, settings):
    settings.STEGVIS_PROXY_COUNT = 1
    request = rf.post("/login/", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.44", REMOTE_ADDR="127.0.0.1")
    assert throttling.client_ip(request) == "192.0.2.44"  # what the client wrote itself is ignored
    settings.STEGVIS_PROXY_COUNT = 0
    assert throttling.client_ip(request) == "127.0.0.1"


def test_failed_attempts_are_kept_only_until_they_expire_and_logins_are_not_logged(client, world):
    from axes.models import AccessAttempt, AccessLog

    fail(client, "bob@example.se", 2)
    assert AccessAttempt.objects.count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert attempt(client, "carol@example.se", f.PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0 and AccessLog.objects.count() == 0
