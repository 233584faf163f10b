"""Fixtures of the SSO tests: people in two organisers, and real providers on loopback
(tests/sso/providers.py)."""

import dataclasses
import urllib.parse

import pytest

from stegvis.organisations.models import Role
from stegvis.sso.models import SignInProvider
from tests import factories as f

from .providers import OidcProvider, SamlIdp

TENANT = "0b5c3f4e-7d2a-4e8b-9c61-2f3a4b5c6d7e"
OTHER_TENANT = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
ENTRA_KEY = "entra-test"
GOOGLE_KEY = "google-test"
CALLBACK = "http://testserver/accounts/oidc/{key}/login/callback/"

# the provider's accounts (login -> claims); sub is the login
OIDC_ACCOUNTS = {
    "bob-entra": {"email": "bob@example.se", "name": "Bob", "tid": TENANT},
    "alice-entra": {"email": "alice@example.se", "name": "Alice", "tid": TENANT},
    "stranger-entra": {"email": "stranger@example.se", "name": "Stranger", "tid": TENANT},
    "bob-other-tenant": {"email": "bob@example.se", "name": "Bob", "tid": OTHER_TENANT},
    "bob-elsewhere": {"email": "bob@elsewhere.se", "name": "Bob", "tid": TENANT},
    "bob-google": {"email": "bob@example.se", "email_verified": True, "hd": "example.se", "name": "Bob"},
    "bob-google-unverified": {"email": "bob@example.se", "email_verified": False, "hd": "example.se"},
    "bob-gmail": {"email": "bob@example.se", "email_verified": True},
    "charlie-google": {"email": "charlie@example.se", "email_verified": True, "hd": "example.se"},
}


@dataclasses.dataclass
class People:
    org: object
    other_org: object
    alice: object  # admin of org
    bob: object  # viewer of org
    charlie: object  # admin of other_org


@pytest.fixture
def people():
    org = f.OrganizerFactory(name="Mittköpings kommun", slug="mittkoping")
    other_org = f.OrganizerFactory(name="Annanstad", slug="annanstad")
    users = {n: f.UserFactory(email=f"{n}@example.se", full_name=n.title()) for n in ("alice", "bob", "charlie")}
    f.member(users["alice"], org, Role.ADMIN)
    f.member(users["bob"], org, Role.VIEWER)
    f.member(users["charlie"], other_org, Role.ADMIN)
    return People(org=org, other_org=other_org, **users)


def oidc_clients(base="http://testserver"):
    return [
        {
            "client_id": f"client-{key}",
            "client_secret": f"secret-{key}-0123456789abcdef",
            "redirect_uris": [f"{base}/accounts/oidc/{key}/login/callback/"],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }
        for key in (ENTRA_KEY, GOOGLE_KEY)
    ]


@pytest.fixture(scope="session")
def oidc_provider():
    provider = OidcProvider(clients=oidc_clients(), accounts=OIDC_ACCOUNTS)
    yield provider
    provider.stop()


@pytest.fixture
def oidc(oidc_provider, settings):
    """The provider, with Entra's and Google's discovery pointed at it."""
    settings.STEGVIS_SSO_DISCOVERY_OVERRIDES = {
        "entra": oidc_provider.discovery_url,
        "google": oidc_provider.discovery_url,
    }
    return oidc_provider


def make_oidc_provider(organizer, kind, **extra):
    key = ENTRA_KEY if kind == "entra" else GOOGLE_KEY
    fields = {
        "organizer": organizer,
        "kind": kind,
        "key": key,
        "enabled": True,
        "domains": "example.se",
        "client_id": f"client-{key}",
        "client_secret": f"secret-{key}-0123456789abcdef",
        "tenant_id": TENANT if kind == "entra" else "",
    }
    fields.update(extra)
    return SignInProvider.objects.create(**fields)


def oidc_sign_in(client, oidc, provider, login, next_url=""):
    """Press the school-account button, log in at the provider, come back: the final response."""
    response = client.post(f"/accounts/oidc/{provider.key}/login/", {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.content[:300]
    back = oidc.log_in(response["Location"], login)
    parts = urllib.parse.urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


@pytest.fixture
def saml_idp(tmp_path):
    idp = SamlIdp(
        users={
            "bob": {"eduPersonPrincipalName": "bob@example.se", "mail": "bob@example.se"},
            "stranger": {"eduPersonPrincipalName": "stranger@example.se", "mail": "stranger@example.se"},
            "outsider": {"eduPersonPrincipalName": "bob@elsewhere.se", "mail": "bob@elsewhere.se"},
        },
        directory=tmp_path,
    )
    yield idp
    idp.stop()
