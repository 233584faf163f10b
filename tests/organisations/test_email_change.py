"""An admin's change of a member's e-mail address waits for the new address to confirm it, and
looks the same to the admin whether or not another organiser's account has the address."""

import datetime
import re
from urllib.parse import urlsplit

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from stegvis.core.models import AuditEvent, SentMail
from stegvis.organisations import domain
from stegvis.organisations.models import EmailChange, Role
from tests import factories as f
from tests.mailserver import links_in, text_of

User = get_user_model()


def change_path(message):
    [link] = {link for link in links_in(message) if "/email-change/" in link}
    return urlsplit(link).path


def log_out(client):
    client.logout()  # which also forgets the cookies: choose English again
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def ask(client, url, world, email, **fields):
    client.force_login(world.alice)
    data = {"full_name": world.bob.full_name, "email": email, "is_active": "on", **fields}
    return client.post(url("user_edit", user_id=world.bob.pk), data)


def test_confirming_the_link_changes_the_login_and_tells_the_old_address(client, world, url, smtp_server):
    world.bob.language = "en"
    world.bob.save(update_fields=["language"])
    response = ask(client, url, world, "Robert.Berg@Example.se")
    assert response.status_code == 302
    [message] = smtp_server.messages
    assert message["To"] == "robert.berg@example.se"
    assert message["Subject"] == "Confirm your new e-mail address for Stegvis"
    text = text_of(message)
    assert "Alice at Mittköpings kommun has given this address as the new e-mail address, and login, of Bob" in text
    path = change_path(message)
    token = path.split("/")[2]
    assert not EmailChange.objects.filter(token_hash=token).exists()  # only a hash is stored
    assert token not in SentMail.objects.get(kind="email_change").body_text
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"  # not yet

    log_out(client)
    page = client.get(path).content.decode()
    assert "robert.berg@example.se" in page and "Confirm the new address" in page
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"  # opening (or a mail scanner) changes nothing
    done = client.post(path)
    assert done.status_code == 200 and "Log in with robert.berg@example.se" in done.content.decode()
    world.bob.refresh_from_db()
    assert world.bob.email == "robert.berg@example.se"
    assert AuditEvent.objects.filter(organizer=world.org, verb="user.email_changed", object_id=world.bob.pk).exists()
    notice = smtp_server.messages[-1]
    assert notice["To"] == "bob@example.se"
    assert "was changed to robert.berg@example.se" in text_of(notice)

    again = client.post(path)
    assert again.status_code == 410 and "confirmed already" in again.content.decode()
    client.force_login(world.alice)
    assert "waiting for confirmation" not in client.get(url("user_edit", user_id=world.bob.pk)).content.decode()


def _normalised(text, email):
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    text = re.sub(r"\"X-CSRFToken\": \"[^\"]+\"", "CSRF", text)
    text = re.sub(r"/email-change/[^/\s\"<]+/", "/email-change/TOKEN/", text)
    return text.replace(email, "EMAIL")


def test_an_address_with_an_account_elsewhere_looks_just_like_a_fresh_one(client, world, url, smtp_server):
    seen = []
    for email in ("new.person@example.se", "charlie@example.se"):
        response = ask(client, url, world, email)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "A confirmation was sent to the new address" in page and "Charlie" not in page
        message = smtp_server.messages[-1]
        assert message["To"] == email
        record = SentMail.objects.filter(kind="email_change").order_by("-pk").first()
        assert record.to_user is None
        seen.append(
            (
                response["Location"],
                _normalised(page, email),
                message["Subject"],
                _normalised(text_of(message), email),
                _normalised(record.body_html, email),
            )
        )
    assert seen[0] == seen[1]  # the same page and the same mail, word for word
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"


def test_the_owner_of_an_address_in_use_is_told_and_nothing_changes(client, world, url, smtp_server):
    ask(client, url, world, "charlie@example.se")
    path = change_path(smtp_server.messages[-1])
    client.force_login(world.charlie)
    response = client.post(path)
    assert response.status_code == 409 and "already the login of another Stegvis account" in response.content.decode()
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"
    assert len(smtp_server.messages) == 1  # no notice
    change = EmailChange.objects.get(new_email="charlie@example.se")
    assert change.is_open  # to the admin it still just waits, like any unconfirmed change


def test_an_address_taken_meanwhile_is_not_applied(client, world, url, smtp_server):
    ask(client, url, world, "new.person@example.se")
    path = change_path(smtp_server.messages[-1])
    User.objects.create_user(email="new.person@example.se", password=f.PASSWORD, full_name="Ny")
    log_out(client)
    assert client.post(path).status_code == 409
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"


def test_a_waiting_invitation_here_is_said_plainly(client, world, url):
    domain.invite_user(organizer=world.org, by=world.alice, email="ny@example.se", full_name="Ny", role="viewer")
    response = ask(client, url, world, "ny@example.se")
    assert response.status_code == 200
    assert "An invitation to ny@example.se is already waiting for an answer." in response.content.decode()
    assert not EmailChange.objects.exists()


def test_expired_unknown_cancelled_and_replaced_links_give_a_clear_page(client, world, url, smtp_server):
    ask(client, url, world, "first@example.se")
    first = change_path(smtp_server.messages[-1])
    ask(client, url, world, "second@example.se")
    second = change_path(smtp_server.messages[-1])
    log_out(client)
    replaced = client.get(first)
    assert replaced.status_code == 404 and "not (or no longer) valid" in replaced.content.decode()
    assert client.get("/email-change/nonsense/").status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        expired = client.post(second)
        assert expired.status_code == 410 and "has expired" in expired.content.decode()
    client.force_login(world.alice)
    page = client.get(url("user_edit", user_id=world.bob.pk)).content.decode()
    assert "second@example.se" in page and "Cancel the change" in page
    response = client.post(url("email_change_cancel", user_id=world.bob.pk))
    assert response.status_code == 302
    assert "second@example.se" not in client.get(response["Location"]).content.decode()
    log_out(client)
    assert client.post(second).status_code == 404
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"


def test_the_link_of_one_organiser_cannot_change_a_member_shared_with_another(client, world, url, smtp_server):
    ask(client, url, world, "new.person@example.se")
    path = change_path(smtp_server.messages[-1])
    f.member(world.bob, world.other_org, Role.VIEWER)  # the account is now also another organiser's
    log_out(client)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    world.bob.refresh_from_db()
    assert world.bob.email == "bob@example.se"


def test_another_organiser_cannot_see_or_cancel_the_change(client, world, url, smtp_server):
    ask(client, url, world, "new.person@example.se")
    client.force_login(world.charlie)
    assert client.post(url("email_change_cancel", user_id=world.bob.pk)).status_code == 404
    assert client.post(url("email_change_cancel", org=world.other_org, user_id=world.bob.pk)).status_code == 404
    assert EmailChange.objects.get().is_open


def test_the_confirm_link_with_an_unknown_token_is_404_for_anyone(client, world):
    for user in (None, world.alice, world.charlie):
        if user is None:
            log_out(client)
        else:
            client.force_login(user)
        assert client.get("/email-change/" + "x" * 43 + "/").status_code == 404
        assert client.post("/email-change/" + "x" * 43 + "/").status_code == 404
