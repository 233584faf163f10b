"""The organiser admin's pages for the school-account providers, the login side's choice of
organiser, and the reset command."""

import pytest
from django.core.management import call_command

from stegvis.accounts import second_factor
from stegvis.accounts.models import Authenticator
from stegvis.core.models import AuditEvent
from stegvis.sso.models import SignInProvider
from tests.factories import PASSWORD

from .conftest import TENANT

BASE = "/mittkoping/organisation/sign-in/"


def login(client, user):
    client.post("/login/", {"username": user.email, "password": PASSWORD})


def entra_form(**extra):
    data = {
        "enabled": "on",
        "tenant_id": TENANT.upper(),
        "client_id": "3f1d-app",
        "client_secret": "s3cret-value-1234",
        "domains": "Example.se, @edu.example.se",
    }
    data.update(extra)
    return data


def test_an_admin_sets_up_entra_and_the_secret_is_never_shown_back(client, people):
    login(client, people.alice)
    assert "Microsoft Entra ID" in client.get(BASE).content.decode()
    response = client.post(BASE + "entra/", entra_form())
    assert response.status_code == 302
    provider = SignInProvider.objects.get(organizer=people.org, kind="entra")
    assert provider.tenant_id == TENANT
    assert provider.domains == "example.se, edu.example.se"
    assert provider.client_secret == "s3cret-value-1234"
    page = client.get(BASE + "entra/").content.decode()
    assert "s3cret-value-1234" not in page and "…1234" in page
    assert f"/accounts/oidc/{provider.key}/login/callback/" in page
    # an empty secret keeps the stored one
    client.post(BASE + "entra/", entra_form(client_secret="", client_id="new-app"))
    provider.refresh_from_db()
    assert (provider.client_id, provider.client_secret) == ("new-app", "s3cret-value-1234")
    event = AuditEvent.objects.filter(verb="sso.configured").order_by("pk").last()
    assert event.summary == "client_id" and "s3cret" not in event.summary


@pytest.mark.parametrize("tenant", ["common", "organizations", "consumers", "mittkoping.onmicrosoft.com"])
def test_shared_tenants_and_non_guids_are_refused(client, people, tenant):
    login(client, people.alice)
    response = client.post(BASE + "entra/", entra_form(tenant_id=tenant))
    assert response.status_code == 200
    assert "GUID" in response.content.decode()
    assert not SignInProvider.objects.exists()


def test_domains_are_required_and_checked(client, people):
    login(client, people.alice)
    response = client.post(BASE + "google/", {"client_id": "x", "client_secret": "y", "domains": "inte en domän"})
    assert response.status_code == 200
    assert not SignInProvider.objects.exists()


def test_saml_metadata_by_file_is_read_and_the_sp_addresses_shown(client, people, saml_idp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, people.alice)
    upload = SimpleUploadedFile("idp.xml", saml_idp.metadata_xml.encode(), content_type="text/xml")
    response = client.post(BASE + "saml/", {"enabled": "on", "metadata_file": upload, "domains": "example.se"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    provider = SignInProvider.objects.get(kind="saml")
    assert provider.idp_entity_id == saml_idp.entity_id
    page = client.get(BASE + "saml/").content.decode()
    assert f"/accounts/saml/{provider.key}/acs/" in page


def test_saml_metadata_that_is_not_an_idps_is_refused(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, people.alice)
    upload = SimpleUploadedFile("idp.xml", b"<html>not metadata</html>", content_type="text/xml")
    response = client.post(BASE + "saml/", {"metadata_file": upload, "domains": "example.se"})
    assert response.status_code == 200
    assert not SignInProvider.objects.exists()


def test_the_login_page_finds_the_organiser_by_domain_or_short_name(client, people):
    SignInProvider.objects.create(
        organizer=people.org, kind="google", key="google-x", enabled=True, domains="example.se", client_id="c"
    )
    assert "/login/school/" in client.get("/login/").content.decode()
    response = client.get("/login/school/", {"who": "Anna.Berg@EXAMPLE.se"})
    assert response["Location"] == "/login/school/mittkoping/"
    assert client.get("/login/school/", {"who": "mittkoping"})["Location"] == "/login/school/mittkoping/"
    page = client.get("/login/school/mittkoping/").content.decode()
    assert 'action="/accounts/oidc/google-x/login/"' in page
    # an organiser without providers in use has no such page
    assert client.get("/login/school/", {"who": "annanstad"}).status_code == 200
    assert client.get("/login/school/annanstad/").status_code == 404


def test_reset_second_factor_command(people):
    second_factor.enable(user=people.alice, secret=second_factor.new_secret())
    call_command("reset_second_factor", "ALICE@example.se")
    assert not Authenticator.objects.filter(user=people.alice).exists()


def test_the_providers_page_lets_its_forms_go_to_the_providers_origins(client, people, oidc):
    """The button's POST is answered with a redirect to the provider; a CSP form-action of
    'self' alone would stop the browser there (tests/e2e/test_sso_path.py sees it happen)."""
    from .conftest import make_oidc_provider

    make_oidc_provider(people.org, "entra")
    csp = client.get("/login/school/mittkoping/")["Content-Security-Policy"]
    assert f"form-action 'self' {oidc.issuer};" in csp
    assert "script-src 'self';" in csp
