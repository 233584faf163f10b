"""The token door (/t/<token>/...): one organiser, the token's purpose, nothing else.

The pages behind it here are test-only (tests/organisations/door_urls.py); the product has none
yet. docs/tenancy.md describes how a feature adds its own."""

import datetime
import hashlib
import hmac
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stegvis.core.models import AuditEvent
from stegvis.organisations import domain, door
from stegvis.organisations.models import AccessToken
from tests import factories as f

pytestmark = pytest.mark.urls("tests.organisations.door_urls")


@pytest.fixture
def other_unit_b(world):
    """A unit of the other organiser (Annanstad), whose id must not work through a Mittköping token."""
    return f.UnitFactory(organizer=world.other_org, name="Annanstads skola")


@pytest.fixture
def issued(world):
    row, token = domain.issue_token(organizer=world.org, purpose="test-read", by=world.alice)
    return row, token


def test_a_token_reaches_its_organisers_data_only(client, world, issued, other_unit_b):
    _row, token = issued
    response = client.get(f"/t/{token}/units/")
    assert response.status_code == 200
    data = response.json()
    assert data["organizer"] == "mittkoping" and data["purpose"] == "test-read"
    assert data["units"] == ["Björkskolan", "Ekskolan"]  # not Annanstads skola
    assert data["rights"] == [False, False, False, False] and data["visible_units"] == []
    assert client.get(f"/t/{token}/units/{world.unit.pk}/").content.decode() == "Ekskolan"


def test_a_token_cannot_read_another_organisers_objects_by_id(client, world, issued, other_unit_b):
    _row, token = issued
    assert client.get(f"/t/{token}/units/{other_unit_b.pk}/").status_code == 404
    # and the other organiser's token cannot read Mittköping's unit
    _b_row, b_token = domain.issue_token(organizer=world.other_org, purpose="test-read", by=world.charlie)
    assert client.get(f"/t/{b_token}/units/{world.unit.pk}/").status_code == 404
    assert client.get(f"/t/{b_token}/units/").json()["units"] == ["Annanstads skola"]


def _not_found(client, url):
    """The 404 page, less what differs by request on every page of the site: the CSRF token's
    mask and the language switcher's way back to the address asked for."""
    response = client.get(url)
    assert response.status_code == 404, url
    content = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", response.content)
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'name="next" value="[^"]*"', b"", content)


def test_unknown_revoked_expired_and_malformed_tokens_get_the_plain_404(client, world, issued):
    row, token = issued
    plain = _not_found(client, "/no/such/page/")
    unknown = door.new_token()
    expired_row, expired = domain.issue_token(
        organizer=world.org,
        purpose="test-read",
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
        by=world.alice,
    )
    wrong_secret = token[: door.SELECTOR] + door.new_token()[door.SELECTOR :]
    assert _not_found(client, f"/t/{unknown}/units/") == plain
    assert _not_found(client, f"/t/{expired}/units/") == plain
    assert _not_found(client, f"/t/{wrong_secret}/units/") == plain
    assert _not_found(client, f"/t/{token[:-1]}/units/") == plain  # malformed: too short
    assert _not_found(client, f"/t/{token}x/units/") == plain
    assert _not_found(client, f"/t/{token}/no-such-page/") == plain
    assert client.get(f"/t/{token}/units/").status_code == 200
    domain.revoke_token(access_token=row, by=world.alice)
    assert _not_found(client, f"/t/{token}/units/") == plain
    # tokens that are not yet expired still work
    later_row, later = domain.issue_token(
        organizer=world.org,
        purpose="test-read",
        expires_at=timezone.now() + datetime.timedelta(days=1),
        by=world.alice,
    )
    assert client.get(f"/t/{later}/units/").status_code == 200
    assert expired_row.pk != later_row.pk


def test_a_view_opens_only_to_the_purposes_it_declares(client, world):
    _row, other = domain.issue_token(organizer=world.org, purpose="test-other", by=world.alice)
    _row, target = domain.issue_token(organizer=world.org, purpose="test-target", target=world.unit, by=world.alice)
    assert client.get(f"/t/{other}/units/").status_code == 404  # accepts test-read only
    assert client.get(f"/t/{other}/units/{world.unit.pk}/").status_code == 200  # accepts test-other too
    assert client.get(f"/t/{other}/undeclared/").status_code == 404
    assert client.get(f"/t/{target}/target/").content.decode() == "Ekskolan"


def test_a_door_view_routed_inside_an_organiser_refuses(client, world):
    client.force_login(world.alice)
    assert client.get("/mittkoping/misrouted/").status_code == 404


@pytest.mark.parametrize("who", ["charlie", "alice"])
def test_a_logged_in_user_gets_only_the_tokens_rights(client, world, issued, other_unit_b, who):
    """charlie (admin of another organiser) and alice (admin of this one) alike: behind the
    door they are nobody, with the token's purpose and nothing else."""
    _row, token = issued
    client.force_login(getattr(world, who))
    data = client.get(f"/t/{token}/units/").json()
    assert data["organizer"] == "mittkoping" and data["units"] == ["Björkskolan", "Ekskolan"]
    assert data["logged_in"] is False
    assert data["rights"] == [False, False, False, False]
    assert client.get(f"/t/{token}/units/{other_unit_b.pk}/").status_code == 404
    # the session is untouched: back in the product they are themselves again
    home = "/annanstad/" if who == "charlie" else "/mittkoping/"
    assert client.get(home).status_code == 200


def test_the_token_is_stored_hashed(world):
    row, token = domain.issue_token(organizer=world.org, purpose="test-read", by=world.alice)
    secret = token[door.SELECTOR :]
    assert len(token) == 59 and len(secret) == 43
    assert row.selector == token[: door.SELECTOR]
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AccessToken._meta.db_table} WHERE id = %s", [row.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert token not in stored and secret not in stored
    audit = AuditEvent.objects.filter(object_type="accesstoken", object_id=row.pk).values_list("verb", "summary")
    assert list(audit) == [("token.issued", "test-read")]
    assert token not in " ".join(s for _v, s in audit)


def test_the_secret_is_compared_in_constant_time_whatever_the_token(world, monkeypatch):
    """Every token, known or not, costs one lookup and one ``hmac.compare_digest``."""
    row, token = domain.issue_token(organizer=world.org, purpose="test-read", by=world.alice)
    revoked_row, revoked = domain.issue_token(organizer=world.org, purpose="test-read", by=world.alice)
    domain.revoke_token(access_token=revoked_row, by=world.alice)
    _e, expired = domain.issue_token(
        organizer=world.org, purpose="test-read", expires_at=timezone.now() - datetime.timedelta(days=1), by=None
    )
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(door.hmac, "compare_digest", spy)
    cases = {
        "valid": token,
        "unknown": door.new_token(),
        "wrong secret": token[: door.SELECTOR] + door.new_token()[door.SELECTOR :],
        "revoked": revoked,
        "expired": expired,
    }
    for name, candidate in cases.items():
        calls.clear()
        with CaptureQueriesContext(connection) as queries:
            found = door.resolve(candidate)
        assert (found == row) if name == "valid" else found is None, name
        assert calls == [(64, 64)], name
        assert len(queries) == 1, name
    calls.clear()
    assert door.resolve("short") is None and calls == [(64, 64)]


def test_issue_token_checks_its_arguments(world, other_unit_b):
    with pytest.raises(domain.OrganisationError):
        domain.issue_token(organizer=world.org, purpose="test-read", target=other_unit_b, by=world.alice)
    for purpose in ("", "Survey", "with space", "x" * 41, None):
        with pytest.raises(ValueError):
            domain.issue_token(organizer=world.org, purpose=purpose, by=world.alice)
    with pytest.raises(ValueError):
        door.accepts("Not A Purpose")
    assert not AccessToken.objects.exists()


def test_use_is_noted_and_revoking_is_recorded(client, world, issued):
    row, token = issued
    assert row.last_used_at is None
    response = client.get(f"/t/{token}/units/")
    assert response["Referrer-Policy"] == "no-referrer"  # the token must not travel in a Referer
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    client.get(f"/t/{token}/units/")
    row.refresh_from_db()
    assert row.last_used_at == first  # at most every few minutes
    domain.revoke_token(access_token=row, by=world.alice)
    domain.revoke_token(access_token=row, by=world.alice)  # twice changes nothing
    verbs = AuditEvent.objects.filter(object_type="accesstoken", object_id=row.pk).values_list("verb", flat=True)
    assert sorted(verbs) == ["token.issued", "token.revoked"]
