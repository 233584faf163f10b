"""Login by e-mail, password rules, changing a password, and resetting it by e-mail through a real
SMTP server on loopback."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from stegvis.accounts.validators import SwedishPasswordValidator, common_passwords
from stegvis.core.models import AuditEvent, SentMail
from tests import factories as f
from tests.mailserver import html_of, links_in, text_of

User = get_user_model()
NEW = "tre gröna äpplen i rad"


@pytest.fixture(autouse=True)
def _english(client):
    """English pages, and English messages from code called directly."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def log_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


# password rules


@pytest.mark.parametrize(
    "password", ["sommar2024", "Sommar2024!", "LÖSENORD", "hejhej123", "qwerty123", "Mittkoping1", "  Stockholm 2025 "]
)
def test_common_swedish_passwords_are_refused_in_any_case(password):
    with pytest.raises(ValidationError, match="too common"):
        SwedishPasswordValidator().validate(password)


def test_a_password_of_only_spaces_is_refused():
    with pytest.raises(ValidationError, match="only spaces"):
        SwedishPasswordValidator().validate(" " * 12)


@pytest.mark.parametrize("password", [NEW, "Sommarstugan vid sjön 1987", "kaffe och kanelbulle varje fredag"])
def test_ordinary_long_passwords_pass_every_validator(password):
    validate_password(password, User(email="nina@example.se", full_name="Nina Nilsson"))


def test_the_list_is_small_lower_case_and_has_the_usual_suspects():
    words = common_passwords()
    assert 100 <= len(words) <= 300
    assert {"lösenord", "sommar2024", "hejhej123", "qwerty123", "mittkoping"} <= words
    assert all(word == word.casefold() for word in words)


# login


def test_login_page_asks_for_the_e_mail_address_in_swedish(client):
    client.cookies.clear()
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">E-postadress</label>' in page
    assert 'type="email"' in page and "Glömt lösenordet?" in page


def test_login_matches_the_address_in_any_case(client, world):
    response = log_in(client, "  BOB@Example.SE ", f.PASSWORD)
    assert response.status_code == 302
    assert client.get("/mittkoping/").status_code == 200


def test_wrong_password_says_so_and_keeps_the_address(client, world):
    response = log_in(client, "bob@example.se", "fel fel fel fel")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in page
    assert 'value="bob@example.se"' in page


# change


def test_password_change_is_linked_from_the_header_and_works(client, world, smtp_server):
    client.force_login(world.bob)
    page = client.get("/mittkoping/").content.decode()
    assert f'href="{reverse("password_change")}"' in page
    response = client.post(
        reverse("password_change"), {"old_password": f.PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert "Your password was changed." in client.get(response["Location"], follow=True).content.decode()
    assert client.get("/mittkoping/").status_code == 200  # still logged in here
    world.bob.refresh_from_db()
    assert world.bob.check_password(NEW)
    event = AuditEvent.objects.get(verb="password.changed", object_id=world.bob.pk)
    assert event.organizer is None and event.actor == world.bob
    [message] = smtp_server.messages
    assert message["To"] == "bob@example.se"
    assert "Lösenordet till ditt Stegvis-konto bob@example.se ändrades nyss." in text_of(message)
    assert SentMail.objects.get(kind="password_changed").organizer is None


def test_password_change_needs_the_current_password_and_a_good_new_one(client, world):
    client.force_login(world.bob)
    page = client.post(
        reverse("password_change"), {"old_password": "wrong", "new_password1": "12345", "new_password2": "12345"}
    ).content.decode()
    assert "Your old password was entered incorrectly." in page
    page = client.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": "hejhej12345", "new_password2": "hejhej12345"},
    ).content.decode()
    assert "This password is too common." in page
    world.bob.refresh_from_db()
    assert world.bob.check_password(f.PASSWORD)


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# reset


def reset_link(message):
    [link] = [link for link in links_in(message) if "/password-reset/" in link]
    return urlsplit(link).path


def test_forgotten_password_is_reset_through_a_real_mail_round_trip(client, world, smtp_server):
    response = client.post(reverse("password_reset"), {"email": "Bob@Example.se"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [message] = smtp_server.messages
    assert message["To"] == "bob@example.se"
    assert message["Subject"] == "Välj ett nytt lösenord för Stegvis"  # Bob reads Swedish
    assert "Hej Bob," in text_of(message) and "Välj ett nytt lösenord" in html_of(message)
    assert "om det inte var du" in text_of(message).lower()
    link = reset_link(message)
    recorded = SentMail.objects.get(kind="password_reset")
    assert recorded.organizer is None and recorded.to_user == world.bob
    assert link not in recorded.body_text  # the one-time link is not kept

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    assert log_in(client, "bob@example.se", f.PASSWORD).status_code == 200  # the old one fails
    assert log_in(client, "bob@example.se", NEW).status_code == 302
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    again = client.get(link, follow=True).content.decode()
    assert "The link does not work" in again  # used once, dead
    assert AuditEvent.objects.filter(verb="password.reset", object_id=world.bob.pk, organizer=None).exists()


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, world, smtp_server):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.se"}, follow=True)
    assert "If an account has the address you wrote" in response.content.decode()
    assert smtp_server.messages == []
    assert not SentMail.objects.exists()


def test_asking_for_reset_again_and_again_sends_one_mail(client, world, smtp_server):
    for _n in range(3):
        client.post(reverse("password_reset"), {"email": "bob@example.se"})
    assert len(smtp_server.messages) == 1


def test_a_broken_reset_link_gives_a_clear_page(client, world):
    page = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"}), follow=True)
    assert page.status_code == 200
    assert "The link does not work" in page.content.decode()
    assert "bob@example.se" not in page.content.decode()
