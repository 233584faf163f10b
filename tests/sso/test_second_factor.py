"""The second factor: organiser admins who log in with a password give a TOTP code (set up at
their first login), recovery codes are shown once, stored hashed and work once; a school-account
login relies on the school's IdP instead. Codes come from pyotp, as an authenticator app's would."""

import hashlib
import re

import pyotp
import pytest
import time_machine

from stegvis.accounts.models import Authenticator, RecoveryCode
from stegvis.core.models import AuditEvent
from tests.factories import PASSWORD

from .conftest import make_oidc_provider, oidc_sign_in


@pytest.fixture(autouse=True)
def _admins_need_a_second_factor(settings):
    settings.STEGVIS_ADMIN_SECOND_FACTOR = True


def password_login(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


def set_up(client):
    """Open the set-up page, read the key as a person would, confirm with the app's code."""
    page = client.get("/account/two-step/setup/")
    assert page.status_code == 200
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page.content.decode()).group(1).replace(" ", "")
    response = client.post("/account/two-step/setup/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode())
    return secret, codes


def test_an_admin_sets_up_the_app_at_the_first_password_login(client, people):
    response = password_login(client, people.alice, next_url="/mittkoping/")
    assert response.status_code == 302
    # every page waits for the second factor; the set-up page is where they are sent
    response = client.get("/mittkoping/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-step/setup/")
    secret, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/mittkoping/").status_code == 200
    # stored: the secret for the app, the codes only as hashes
    assert Authenticator.objects.get(user=people.alice).secret == secret
    stored = set(RecoveryCode.objects.filter(user=people.alice).values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert not any(c in h for c in codes for h in stored)
    assert AuditEvent.objects.filter(verb="second_factor.enabled", organizer=None).count() == 1
    # shown once: the account page shows how many are left, not the codes
    page = client.get("/account/two-step/").content.decode()
    assert "10" in page and codes[0] not in page


def test_the_next_login_asks_for_the_code_and_a_code_works_once(client, people):
    password_login(client, people.alice)
    secret, _codes = set_up(client)
    client.post("/logout/")
    with time_machine.travel("2027-03-01 09:00:00+00:00", tick=False):
        password_login(client, people.alice, next_url="/mittkoping/")
        response = client.get("/mittkoping/")
        assert response["Location"].startswith("/account/two-step/code/")
        wrong = client.post("/account/two-step/code/", {"code": "000000", "next": "/mittkoping/"})
        assert wrong.status_code == 200
        assert client.get("/mittkoping/").status_code == 302
        code = pyotp.TOTP(secret).now()
        response = client.post("/account/two-step/code/", {"code": code, "next": "/mittkoping/"})
        assert response["Location"] == "/mittkoping/"
        assert client.get("/mittkoping/").status_code == 200
        client.post("/logout/")
        # the same code again, in the same 30 seconds: refused
        password_login(client, people.alice)
        again = client.post("/account/two-step/code/", {"code": code})
        assert again.status_code == 200
        assert client.get("/mittkoping/").status_code == 302


def test_a_recovery_code_logs_in_once(client, people):
    password_login(client, people.alice)
    _secret, codes = set_up(client)
    client.post("/logout/")
    password_login(client, people.alice)
    response = client.post("/account/two-step/code/", {"code": codes[3].upper()})
    assert response.status_code == 302
    assert client.get("/mittkoping/").status_code == 200
    assert RecoveryCode.objects.filter(user=people.alice, used_at__isnull=False).count() == 1
    client.post("/logout/")
    password_login(client, people.alice)
    assert client.post("/account/two-step/code/", {"code": codes[3]}).status_code == 200
    assert client.get("/mittkoping/").status_code == 302


def test_too_many_wrong_codes_end_the_session(client, people):
    password_login(client, people.alice)
    set_up(client)
    client.post("/logout/")
    password_login(client, people.alice)
    for _i in range(5):
        response = client.post("/account/two-step/code/", {"code": "123456"})
    assert response["Location"] == "/login/"
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_session_waiting_for_its_code_cannot_replace_the_app(client, people):
    password_login(client, people.alice)
    set_up(client)
    client.post("/logout/")
    password_login(client, people.alice)
    response = client.get("/account/two-step/setup/")
    assert response["Location"] == "/account/two-step/code/"
    assert client.post("/account/two-step/setup/", {"code": "123456"})["Location"] == "/account/two-step/code/"


def test_a_member_who_is_not_an_admin_logs_in_with_the_password_alone(client, people):
    password_login(client, people.bob)
    assert client.get("/mittkoping/").status_code == 200


def test_a_school_account_login_of_an_admin_needs_no_code_here(client, people, oidc):
    entra = make_oidc_provider(people.org, "entra")
    response = oidc_sign_in(client, oidc, entra, "alice-entra", next_url="/mittkoping/")
    assert response["Location"] == "/mittkoping/"
    assert client.get("/mittkoping/").status_code == 200


def test_without_the_rule_an_admin_without_an_app_is_not_asked(client, people, settings):
    settings.STEGVIS_ADMIN_SECOND_FACTOR = False
    password_login(client, people.alice)
    assert client.get("/mittkoping/").status_code == 200
