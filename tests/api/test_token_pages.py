"""The organiser admin's API page: make a token (shown once), list, revoke, switch open data."""

import re

from stegvis.api.models import ApiToken, OpenDataPublication
from stegvis.core.models import AuditEvent


def test_an_admin_makes_a_token_that_is_shown_once(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/mittkoping/api-access/new/", {"name": "Power BI", "scope": "write", "expires_on": "2099-01-01"}
    )
    assert response.status_code == 200  # the form refuses a day more than two years ahead
    assert not ApiToken.objects.exists()
    from django.utils import timezone

    day = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    response = client.post("/mittkoping/api-access/new/", {"name": "Power BI", "scope": "write", "expires_on": day})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = re.search(r'value="(stegvis_[A-Za-z0-9_-]{43})"', response.content.decode()).group(1)
    row = ApiToken.objects.get()
    assert row.digest == ApiToken.digest_of(token) and row.scope == "write"
    assert row.expires_at.date().isoformat() > day or row.expires_at.date().isoformat() == day
    listing = client.get("/mittkoping/api-access/").content.decode()
    assert "Power BI" in listing and token not in listing and f"stegvis_{row.hint}" in listing
    api = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


def test_an_admin_revokes_a_token_after_confirming(client, world, read_token):
    client.force_login(world.alice)
    row = ApiToken.objects.get()
    asked = client.post(f"/mittkoping/api-access/{row.pk}/revoke/")
    assert asked.status_code == 200 and b'name="confirmed"' in asked.content
    assert ApiToken.objects.get().revoked_at is None
    client.post(f"/mittkoping/api-access/{row.pk}/revoke/", {"confirmed": "yes"})
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=world.alice).exists()
    client.logout()
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {read_token}"}).status_code == 401


def test_only_admins_see_the_page_and_another_organiser_gets_404(client, world, read_token):
    client.force_login(world.vera)
    assert client.get("/mittkoping/api-access/").status_code == 403
    assert b"api-access" not in client.get("/mittkoping/").content  # no link in the menu
    client.force_login(world.charlie)
    row = ApiToken.objects.get()
    assert client.get("/mittkoping/api-access/").status_code == 404
    assert client.post(f"/annanstad/api-access/{row.pk}/revoke/", {"confirmed": "yes"}).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_admin_switches_open_data_on_and_off(client, world):
    client.force_login(world.alice)
    assert "/open/mittkoping/maturity.csv" not in client.get("/mittkoping/api-access/").content.decode()
    client.post("/mittkoping/api-access/open-data/", {"enabled": "on"})
    assert OpenDataPublication.objects.get(organizer=world.org).enabled
    assert "/open/mittkoping/maturity.csv" in client.get("/mittkoping/api-access/").content.decode()
    client.post("/mittkoping/api-access/open-data/", {})
    assert not OpenDataPublication.objects.get(organizer=world.org).enabled
    verbs = list(AuditEvent.objects.filter(verb__startswith="open_data.").values_list("verb", flat=True))
    assert sorted(verbs) == ["open_data.disabled", "open_data.enabled"]
