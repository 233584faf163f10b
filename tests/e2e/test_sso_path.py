"""School-account sign-in and two-step login in Chromium, against real providers on loopback:
a principal signs in through a SAML IdP (pysaml2, signed assertions) from the login page's
"Logga in med skolkonto"; an organiser admin sets up TOTP at the first password login, keeps the
recovery codes and logs in again with a code. axe-core on every page of ours."""

import re
import time

import pyotp
import pytest
import requests

from stegvis.organisations.models import Role
from stegvis.sso.models import SignInProvider
from tests import factories as f
from tests.sso.providers import SamlIdp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    from django_scopes import scopes_disabled

    with scopes_disabled():
        org = f.OrganizerFactory(name="Mittköpings kommun", slug="mittkoping")
        alice = f.UserFactory(email="alice@example.se", full_name="Alice Admin")
        bob = f.UserFactory(email="bob@example.se", full_name="Bob Berg")
        f.member(alice, org, Role.ADMIN)
        f.member(bob, org, Role.VIEWER)
    return org, alice, bob


def test_a_member_signs_in_through_the_schools_saml_idp(live_server, page, check_a11y, people, tmp_path):
    org, _alice, bob = people
    idp = SamlIdp(
        users={"bob": {"eduPersonPrincipalName": "bob@example.se", "mail": "bob@example.se"}}, directory=tmp_path
    )
    try:
        SignInProvider.objects.create(
            organizer=org,
            kind="saml",
            key="saml-e2e",
            enabled=True,
            domains="example.se",
            metadata_xml=idp.metadata_xml,
            idp_entity_id=idp.entity_id,
        )
        idp.set_sp(requests.get(f"{live_server.url}/accounts/saml/saml-e2e/metadata/", timeout=10).text)

        page.goto(f"{live_server.url}/login/")
        page.click("main a:has-text('Logga in med skolkonto')")
        check_a11y(page, "sso-01-choose")
        page.fill("#id_who", "bob@example.se")
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/login/school/mittkoping/")
        check_a11y(page, "sso-02-providers")
        page.click("button[data-kind=saml]")  # needs the IdP's origin in the page's CSP form-action
        page.wait_for_url(re.compile(rf"http://127\.0\.0\.1:{idp.port}/sso.*"))
        page.select_option("#login", "bob")
        page.click("button[type=submit]")  # the IdP posts the signed assertion back to our ACS
        page.wait_for_url(f"{live_server.url}/mittkoping/")
        assert "Bob Berg" in page.content()
        check_a11y(page, "sso-03-signed-in")
    finally:
        idp.stop()
    from stegvis.accounts.models import Identity

    assert Identity.objects.filter(user=bob, provider="saml-e2e", subject="bob@example.se").exists()


def test_a_member_signs_in_with_entra_id(live_server, page, check_a11y, people, settings):
    """Entra ID's flow against a real OpenID provider on loopback (its discovery URL stands in
    for the tenant's): button, the provider's login page, back to Stegvis, signed in."""
    from tests.sso.conftest import ENTRA_KEY, OIDC_ACCOUNTS, make_oidc_provider, oidc_clients
    from tests.sso.providers import OidcProvider

    org, _alice, bob = people
    provider = OidcProvider(clients=oidc_clients(base=live_server.url), accounts=OIDC_ACCOUNTS)
    try:
        settings.STEGVIS_SSO_DISCOVERY_OVERRIDES = {"entra": provider.discovery_url}
        make_oidc_provider(org, "entra")
        page.goto(f"{live_server.url}/login/school/?who=mittkoping")
        page.wait_for_url(f"{live_server.url}/login/school/mittkoping/")
        page.click("button[data-kind=entra]")
        page.wait_for_url(re.compile(rf"{re.escape(provider.issuer)}/interaction/.*"))
        page.fill("input[name=login]", "bob-entra")
        page.fill("input[name=password]", "any")
        page.click("button[type=submit]")
        page.wait_for_selector("input[name=prompt][value=consent]", state="attached")
        page.click("button[type=submit]")  # the provider's consent page
        page.wait_for_url(f"{live_server.url}/mittkoping/")
        assert "Bob Berg" in page.content()
        assert "Ditt skolkonto är nu kopplat" in page.content()
        check_a11y(page, "sso-04-entra-signed-in")
    finally:
        provider.stop()
    from stegvis.accounts.models import Identity

    assert Identity.objects.filter(user=bob, provider=ENTRA_KEY, subject="bob-entra").exists()


def test_an_admin_sets_up_two_step_login_and_logs_in_with_a_code(live_server, page, check_a11y, people, settings):
    settings.STEGVIS_ADMIN_SECOND_FACTOR = True

    def log_in():
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "alice@example.se")
        page.fill("#id_password", f.PASSWORD)
        page.click("main form button[type=submit]")

    log_in()
    page.wait_for_url(re.compile(r".*/account/two-step/setup/.*"))
    check_a11y(page, "mfa-01-setup")
    assert page.locator("img.qr").is_visible()
    totp = pyotp.TOTP(page.inner_text("#totp-secret").replace(" ", ""))
    page.fill("#id_code", totp.now())
    page.click("main form button[type=submit]")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    check_a11y(page, "mfa-02-recovery-codes")
    page.click("main a:has-text('Jag har sparat koderna')")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    page.click("header button:has-text('Logga ut')")
    log_in()
    page.wait_for_url(re.compile(r".*/account/two-step/code/.*"))
    check_a11y(page, "mfa-03-code")
    page.fill("#id_code", "000000")
    page.click("main form button[type=submit]")
    assert page.locator(".error").count() == 1
    page.fill("#id_code", totp.at(time.time() + 30))  # the app's next code (this one was used)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    assert "Alice Admin" in page.content()
