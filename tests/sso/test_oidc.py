"""Sign-in with Microsoft Entra ID and Google Workspace against a real OpenID provider on
loopback (panva's oidc-provider): the linking rules, the organiser checks (tenant, hd, domains)
and what is recorded."""

import pytest

from stegvis.accounts.models import Identity
from stegvis.core.models import AuditEvent
from stegvis.organisations import domain as organisations
from stegvis.organisations.models import Membership

from .conftest import OTHER_TENANT, make_oidc_provider, oidc_sign_in


def _logged_in_as(client):
    response = client.get("/")
    return response.wsgi_request.user


def test_a_first_entra_sign_in_links_the_invited_account_and_a_second_uses_the_link(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra")
    response = oidc_sign_in(client, oidc, entra, "bob-entra")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in_as(client) == people.bob
    identity = Identity.objects.get(user=people.bob)
    assert (identity.provider, identity.subject) == (entra.key, "bob-entra")
    verbs = list(AuditEvent.objects.filter(organizer=people.org).values_list("verb", flat=True))
    assert "sso.linked" in verbs and "sso.signed_in" in verbs
    # no role, no account made by the sign-in
    assert Membership.objects.filter(user=people.bob).count() == 1

    client.post("/logout/")
    response = oidc_sign_in(client, oidc, entra, "bob-entra", next_url="/mittkoping/")
    assert response["Location"] == "/mittkoping/"
    assert _logged_in_as(client) == people.bob
    assert Identity.objects.filter(user=people.bob).count() == 1
    assert AuditEvent.objects.filter(verb="sso.linked").count() == 1
    assert AuditEvent.objects.filter(verb="sso.signed_in").count() == 2


def test_nobody_with_that_address_is_refused_with_a_clear_page_and_no_account(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra")
    response = oidc_sign_in(client, oidc, entra, "stranger-entra")
    assert response.status_code == 403
    assert "ingen Stegvis-användare" in response.content.decode() or "no Stegvis user" in response.content.decode()
    assert not _logged_in_as(client).is_authenticated
    assert not Identity.objects.exists()
    assert not type(people.bob).objects.filter(email="stranger@example.se").exists()
    assert AuditEvent.objects.filter(verb="sso.refused", summary="no_account").count() == 1


def test_an_account_of_another_organiser_is_not_signed_in_here(client, people, oidc):
    """charlie has an account, but only in Annanstad: Mittköping's Google does not sign him in."""
    google = make_oidc_provider(people.org, "google")
    response = oidc_sign_in(client, oidc, google, "charlie-google")
    assert response.status_code == 403
    assert not _logged_in_as(client).is_authenticated


def test_a_pending_invitation_of_the_organiser_lets_an_existing_account_link_without_a_role(client, people, oidc):
    organisations.invite_user(
        organizer=people.org, by=people.alice, email="charlie@example.se", full_name="Charlie", role="viewer"
    )
    google = make_oidc_provider(people.org, "google")
    response = oidc_sign_in(client, oidc, google, "charlie-google")
    assert response.status_code == 302
    assert _logged_in_as(client) == people.charlie
    assert not Membership.objects.filter(user=people.charlie, organizer=people.org).exists()


def test_another_tenant_is_refused_even_with_a_known_address(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra")
    response = oidc_sign_in(client, oidc, entra, "bob-other-tenant")
    assert response.status_code == 403
    assert not _logged_in_as(client).is_authenticated
    assert AuditEvent.objects.filter(verb="sso.refused", summary="tenant").count() == 1
    # and a link made through the right tenant is not used by the other tenant's same subject
    entra.tenant_id = OTHER_TENANT
    entra.save()
    assert not Identity.objects.exists()


def test_an_address_outside_the_organisers_domains_is_not_linked(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra")
    response = oidc_sign_in(client, oidc, entra, "bob-elsewhere")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(verb="sso.refused", summary="email").count() == 1


@pytest.mark.parametrize(
    "login, reason",
    [("bob-google-unverified", "email"), ("bob-gmail", "hd")],
)
def test_google_needs_a_verified_address_and_the_organisers_hd(client, people, oidc, login, reason):
    google = make_oidc_provider(people.org, "google")
    response = oidc_sign_in(client, oidc, google, login)
    assert response.status_code == 403
    assert not _logged_in_as(client).is_authenticated
    assert AuditEvent.objects.filter(verb="sso.refused", summary=reason).count() == 1


def test_google_with_the_organisers_hd_signs_in(client, people, oidc):
    google = make_oidc_provider(people.org, "google")
    response = oidc_sign_in(client, oidc, google, "bob-google")
    assert response.status_code == 302
    assert _logged_in_as(client) == people.bob


def test_an_inactive_account_is_refused(client, people, oidc):
    people.bob.is_active = False
    people.bob.save()
    entra = make_oidc_provider(people.org, "entra")
    response = oidc_sign_in(client, oidc, entra, "bob-entra")
    assert response.status_code == 403


def test_a_disabled_provider_has_no_login(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra", enabled=False)
    assert client.post(f"/accounts/oidc/{entra.key}/login/").status_code == 404


def test_a_wrong_client_secret_ends_on_our_failure_page(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra", client_secret="not-the-secret")
    response = oidc_sign_in(client, oidc, entra, "bob-entra")
    assert response.status_code == 400
    assert not _logged_in_as(client).is_authenticated


def test_a_linked_account_that_left_the_organiser_is_no_longer_signed_in(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra")
    oidc_sign_in(client, oidc, entra, "bob-entra")
    client.post("/logout/")
    Membership.objects.filter(user=people.bob, organizer=people.org).delete()
    response = oidc_sign_in(client, oidc, entra, "bob-entra")
    assert response.status_code == 403
    assert not _logged_in_as(client).is_authenticated
