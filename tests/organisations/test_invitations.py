"""Inviting users: the mail on a real SMTP server, the one-time link, accepting with a new or an
existing account, resending, cancelling, expiry, and what an admin may and may not learn."""

import datetime
import re
from urllib.parse import urlsplit

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from stegvis.core.models import AuditEvent, SentMail
from stegvis.organisations import domain
from stegvis.organisations.models import Invitation, Membership, Role
from tests import factories as f
from tests.mailserver import html_of, links_in, text_of

User = get_user_model()
NINA = {"full_name": "Nina Nilsson", "email": " Nina.Nilsson@Example.se ", "role": "principal"}
GOOD_PASSWORD = "tre gröna äpplen i rad"


def invitation_path(message):
    [link] = [link for link in links_in(message) if "/invitation/" in link]
    return urlsplit(link).path


def invite(client, url, world, **fields):
    client.force_login(world.alice)
    data = {**NINA, "unit": world.unit.pk, **fields}
    return client.post(url("user_new"), data)


def log_out(client):
    client.logout()  # which also forgets the cookies: choose English again
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def log_in(client, email, password, next_url=""):
    return client.post(reverse("login"), {"username": email, "password": password, "next": next_url})


def test_invited_user_gets_the_mail_sets_a_password_logs_in_and_changes_it(client, world, url, smtp_server):
    response = invite(client, url, world, language="en")
    assert response.status_code == 302
    [message] = smtp_server.messages
    assert message["To"] == "nina.nilsson@example.se"
    assert message["Subject"] == "Invitation to Stegvis from Mittköpings kommun"
    text = text_of(message)
    assert "Alice invites you to Stegvis at Mittköpings kommun, as principal, Ekskolan." in text
    assert "only once" in text and "Alice invites you" in html_of(message)
    assert "because Alice at Mittköpings kommun invited this address to Stegvis" in text
    path = invitation_path(message)
    token = path.split("/")[2]
    assert not Invitation.objects.filter(token_hash=token).exists()  # only a hash is stored
    assert token not in SentMail.objects.get(kind="invitation").body_text  # nor kept in the record

    log_out(client)
    page = client.get(path).content.decode()
    assert "Mittköpings kommun" in page and "Principal" in page and "Ekskolan" in page
    assert 'value="Nina Nilsson"' in page
    weak = client.post(
        path, {"full_name": "Nina Nilsson", "new_password1": "sommar2024", "new_password2": "sommar2024"}
    )
    assert weak.status_code == 200 and "This password is too common." in weak.content.decode()
    response = client.post(
        path, {"full_name": " Nina Nilsson-Berg ", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/mittkoping/"
    assert "Welcome to Stegvis at Mittköpings kommun." in client.get("/mittkoping/").content.decode()
    nina = User.objects.get(email="nina.nilsson@example.se")
    assert nina.full_name == "Nina Nilsson-Berg" and nina.language == "en"
    assert Membership.objects.get(user=nina).unit == world.unit
    invitation = Invitation.objects.get(email="nina.nilsson@example.se")
    assert invitation.accepted_by == nina and invitation.accepted_at is not None
    assert AuditEvent.objects.filter(verb="invitation.accepted", object_id=invitation.pk).exists()

    again = client.get(path)
    assert again.status_code == 410 and "accepted already" in again.content.decode()

    changed = client.post(
        reverse("password_change"),
        {"old_password": GOOD_PASSWORD, "new_password1": "fyra blå cyklar ute", "new_password2": "fyra blå cyklar ute"},
    )
    assert changed.status_code == 302
    log_out(client)
    assert log_in(client, "Nina.Nilsson@example.se", GOOD_PASSWORD).status_code == 200  # refused
    assert log_in(client, "nina.nilsson@example.se", "fyra blå cyklar ute").status_code == 302


def test_an_address_with_an_account_elsewhere_looks_just_like_a_new_one_to_the_admin(client, world, url, smtp_server):
    seen = []
    for email, name in (("new.person@example.se", "Ny Person"), ("charlie@example.se", "Kalle Skriven")):
        response = invite(client, url, world, email=email, full_name=name, role="viewer", unit="")
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert f"An invitation was sent to {email}." in page
        assert name in page
        message = smtp_server.messages[-1]
        body = re.sub(r"/invitation/\S+", "/invitation/TOKEN", text_of(message))
        seen.append((message["Subject"], body.replace(email, "EMAIL").replace(name, "NAME")))
    assert seen[0] == seen[1]  # the same mail, word for word
    users_page = client.get(url("users")).content.decode()
    assert "Kalle Skriven" in users_page and "Charlie" not in users_page and "Annanstad" not in users_page
    mail_page = client.get(url("mail")).content.decode()
    assert "charlie@example.se" in mail_page and "Charlie" not in mail_page
    assert not Membership.objects.filter(organizer=world.org, user=world.charlie).exists()
    assert SentMail.objects.filter(to_email="charlie@example.se", to_user__isnull=True).exists()


def test_a_person_with_an_account_logs_in_with_it_to_accept(client, world, url, smtp_server):
    invite(client, url, world, email="CHARLIE@example.se", full_name="Kalle Skriven", role="viewer", unit="")
    path = invitation_path(smtp_server.messages[-1])
    log_out(client)
    page = client.get(path).content.decode()
    assert "There is already a Stegvis account for charlie@example.se" in page
    assert 'type="password"' not in page and "Kalle Skriven" not in page and "Charlie" not in page
    response = log_in(client, "charlie@example.se", f.PASSWORD, next_url=path)
    assert response.status_code == 302 and response["Location"] == path
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/mittkoping/"
    world.charlie.refresh_from_db()
    assert world.charlie.full_name == "Charlie"  # the typed name does not touch the account
    assert Membership.objects.filter(organizer=world.org, user=world.charlie, role=Role.VIEWER).exists()
    assert Membership.objects.filter(organizer=world.other_org, user=world.charlie).exists()
    client.force_login(world.alice)
    assert "Charlie" in client.get(url("users")).content.decode()  # now a member, by consent


def test_someone_else_logged_in_is_asked_to_log_out_first(client, world, url, smtp_server):
    invite(client, url, world, email="charlie@example.se", role="viewer", unit="")
    path = invitation_path(smtp_server.messages[-1])
    client.force_login(world.bob)
    page = client.get(path).content.decode()
    assert "You are logged in as bob@example.se, but the invitation is for charlie@example.se." in page
    assert client.post(path).status_code == 200
    assert not Membership.objects.filter(organizer=world.org, user=world.charlie).exists()


def test_already_a_member_here_is_said_plainly(client, world, url):
    content = invite(client, url, world, email="BOB@example.se").content.decode()
    assert "bob@example.se is already a member here." in content
    assert url("user_edit", user_id=world.bob.pk) in content
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_the_same_address_is_refused_while_the_first_is_valid(client, world, url):
    invite(client, url, world)
    content = invite(client, url, world, full_name="Nina N").content.decode()
    assert "An invitation to nina.nilsson@example.se is already waiting for an answer." in content
    assert Invitation.objects.count() == 1


def test_resend_makes_a_new_link_and_the_old_one_dies(client, world, url, smtp_server):
    invite(client, url, world)
    old = invitation_path(smtp_server.messages[-1])
    invitation = Invitation.objects.get()
    response = client.post(url("invitation_resend", invitation_id=invitation.pk), follow=True)
    assert "was sent again. The earlier link no longer works." in response.content.decode()
    new = invitation_path(smtp_server.messages[-1])
    assert new != old and len(smtp_server.messages) == 2
    log_out(client)
    dead = client.get(old)
    assert dead.status_code == 404 and "not (or no longer) valid" in dead.content.decode()
    assert "Mittköpings kommun" not in dead.content.decode()
    assert client.get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert SentMail.objects.filter(kind="invitation", organizer=world.org).count() == 2


def test_cancel_kills_the_link_and_leaves_the_list(client, world, url, smtp_server):
    invite(client, url, world)
    path = invitation_path(smtp_server.messages[-1])
    invitation = Invitation.objects.get()
    assert "Invited, not yet accepted" in client.get(url("users")).content.decode()
    client.post(url("invitation_cancel", invitation_id=invitation.pk))
    assert "Nina Nilsson" not in client.get(url("users")).content.decode()
    assert client.post(url("invitation_cancel", invitation_id=invitation.pk)).status_code == 404
    assert AuditEvent.objects.filter(verb="invitation.cancelled", object_id=invitation.pk).exists()
    log_out(client)
    assert client.get(path).status_code == 404
    assert client.post(path, {"full_name": "X", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert not User.objects.filter(email="nina.nilsson@example.se").exists()


def test_the_link_expires_after_seven_days_and_resending_revives_it(client, world, url, smtp_server):
    invite(client, url, world)
    path = invitation_path(smtp_server.messages[-1])
    invitation = Invitation.objects.get()
    page = client.get(url("users")).content.decode()
    assert invitation.sent_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in page
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        assert "Expired" in client.get(url("users")).content.decode()
        log_out(client)
        expired = client.get(path)
        assert expired.status_code == 410 and "has expired" in expired.content.decode()
        client.force_login(world.alice)
        # a new invitation to the address replaces the expired one
        assert invite(client, url, world).status_code == 302
        fresh = invitation_path(smtp_server.messages[-1])
        log_out(client)
        assert client.get(fresh).status_code == 200
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert Invitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True).count() == 1


def test_unknown_tokens_get_a_clear_page(client, world):
    for token in ("nonsense", "x" * 300, "a/b"):
        response = client.get(f"/invitation/{token}/")
        assert response.status_code == 404
    page = client.get("/invitation/nonsense/").content.decode()
    assert "The invitation link does not work" in page


def test_invitation_pages_are_swedish_by_default(client, world, url, smtp_server):
    invite(client, url, world)
    path = invitation_path(smtp_server.messages[-1])
    assert smtp_server.messages[-1]["Subject"] == "Inbjudan till Stegvis från Mittköpings kommun"
    client.logout()
    page = client.get(path).content.decode()
    assert "Välkommen till Stegvis" in page


@translation.override("en")
def test_accepting_twice_at_once_makes_one_account(world):
    invitation = domain.invite_user(
        organizer=world.org, by=world.alice, email="nina@example.se", full_name="Nina", role="viewer"
    )
    domain.accept_invitation(invitation=invitation, full_name="Nina", password=GOOD_PASSWORD)
    try:
        domain.accept_invitation(invitation=invitation, full_name="Nina", password=GOOD_PASSWORD)
    except domain.OrganisationError as error:
        assert "no longer valid" in str(error)
    else:
        raise AssertionError("accepted twice")
    assert User.objects.filter(email="nina@example.se").count() == 1


def test_a_member_who_has_the_role_already_just_accepts(world):
    invitation = domain.invite_user(
        organizer=world.org, by=world.alice, email="charlie@example.se", full_name="C", role="viewer"
    )
    f.member(world.charlie, world.org, Role.VIEWER)  # given another way meanwhile
    domain.accept_invitation(invitation=invitation, user=world.charlie)
    assert Membership.objects.filter(organizer=world.org, user=world.charlie).count() == 1
