"""Sign-in through a SAML IdP (Skolfederation) against a real IdP on loopback: pysaml2's IdP
signing its Response and Assertion with xmlsec1; metadata by file and by URL."""

import urllib.parse

import pytest
import requests
from django.core.cache import cache

from stegvis.accounts.models import Identity
from stegvis.core.models import AuditEvent
from stegvis.sso.models import SignInProvider

from .providers import saml_form

KEY = "saml-test"


@pytest.fixture
def client(client):
    """python3-saml wants the SP's addresses on a real host name (not Django's "testserver")."""
    client.defaults["HTTP_HOST"] = "localhost"
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # allauth keeps fetched metadata in the cache; every test has a new IdP
    yield
    cache.clear()


def make_saml_provider(organizer, idp, client, *, by_url=False):
    provider = SignInProvider.objects.create(
        organizer=organizer,
        kind="saml",
        key=KEY,
        enabled=True,
        domains="example.se",
        metadata_url=idp.entity_id if by_url else "",
        metadata_xml="" if by_url else idp.metadata_xml,
        idp_entity_id=idp.entity_id,
    )
    sp_metadata = client.get(f"/accounts/saml/{KEY}/metadata/")
    assert sp_metadata.status_code == 200
    idp.set_sp(sp_metadata.content.decode())
    return provider


def saml_sign_in(client, idp, login, next_url=""):
    response = client.post(f"/accounts/saml/{KEY}/login/", {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.content[:300]
    to_idp = urllib.parse.urlsplit(response["Location"])
    assert to_idp.path == "/sso"
    query = urllib.parse.parse_qs(to_idp.query)
    page = requests.post(
        f"{idp.base}/login",
        data={"SAMLRequest": query["SAMLRequest"][0], "RelayState": query.get("RelayState", [""])[0], "login": login},
        timeout=10,
    )
    assert page.status_code == 200, page.text[:300]
    action, fields = saml_form(page.text)
    acs = urllib.parse.urlsplit(action)
    assert acs.path == f"/accounts/saml/{KEY}/acs/"
    response = client.post(acs.path, fields)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_saml_sign_in_links_by_mail_and_identifies_by_eppn(client, people, saml_idp):
    make_saml_provider(people.org, saml_idp, client)
    response = saml_sign_in(client, saml_idp, "bob", next_url="/mittkoping/")
    assert response.status_code == 302, response.content.decode()[:800]
    assert response["Location"] == "/mittkoping/"
    assert client.get("/").wsgi_request.user == people.bob
    identity = Identity.objects.get(user=people.bob)
    assert (identity.provider, identity.subject) == (KEY, "bob@example.se")
    assert AuditEvent.objects.filter(organizer=people.org, verb="sso.linked").count() == 1


def test_saml_metadata_by_url(client, people, saml_idp):
    make_saml_provider(people.org, saml_idp, client, by_url=True)
    response = saml_sign_in(client, saml_idp, "bob")
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == people.bob


def test_saml_unknown_person_is_refused(client, people, saml_idp):
    make_saml_provider(people.org, saml_idp, client)
    response = saml_sign_in(client, saml_idp, "stranger")
    assert response.status_code == 403
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert not Identity.objects.exists()


def test_saml_mail_outside_the_organisers_domains_is_refused(client, people, saml_idp):
    make_saml_provider(people.org, saml_idp, client)
    response = saml_sign_in(client, saml_idp, "outsider")
    assert response.status_code == 403


def test_an_assertion_signed_by_another_key_is_rejected(client, people, saml_idp, tmp_path):
    """The stored metadata holds the IdP's certificate: once the IdP signs with another key
    (an impostor at the same address), its assertions are not believed."""
    from .providers import make_certificate

    make_saml_provider(people.org, saml_idp, client)
    saml_idp.key_file, saml_idp.cert_file = make_certificate(tmp_path, "impostor")
    saml_idp.set_sp(saml_idp.sp_metadata)
    response = saml_sign_in(client, saml_idp, "bob")
    assert response.status_code == 400
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert not Identity.objects.exists()
