"""Accounts in a real browser, with mail through a real SMTP server on loopback: an admin invites
a new user, who follows the link, chooses a password, changes it from the header and logs in
again; a forgotten password is reset; axe-core on every page."""

import re
from urllib.parse import urlsplit

import pytest

from tests import factories as f
from tests.mailserver import text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def link_in(message, part):
    [link] = [link for link in re.findall(r"https?://\S+", text_of(message)) if part in link]
    return urlsplit(link).path


def log_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_invited_user_starts_changes_password_and_logs_in_again(live_server, page, check_a11y, smtp_server):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework())

    page.goto(f"{live_server.url}/login/")
    check_a11y(page, "acc-01-login")
    log_in(page, live_server, "ALICE@example.se", f.PASSWORD)
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    page.goto(f"{live_server.url}/mittkoping/organisation/users/new/")
    check_a11y(page, "acc-02-invite")
    page.fill("#id_full_name", "Nina Nilsson")
    page.fill("#id_email", "nina@example.se")
    page.select_option("#id_role", "principal")
    page.select_option("#id_unit", str(world.unit.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/mittkoping/organisation/users/")
    assert "En inbjudan har skickats till nina@example.se." in page.content()
    assert "Inbjudna som inte har tackat ja än" in page.content()
    check_a11y(page, "acc-03-users-with-invitation")

    page.click("nav summary:has-text('Administration')")
    page.click("header a:has-text('Skickad e-post')")
    page.wait_for_url(f"{live_server.url}/mittkoping/organisation/mail/")
    check_a11y(page, "acc-04-mail-list")
    page.click("main table a")
    assert "Inbjudan till Stegvis från Mittköpings kommun" in page.content()
    check_a11y(page, "acc-05-mail-detail")

    [message] = smtp_server.messages
    invitation = link_in(message, "/invitation/")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{invitation}")
    check_a11y(page, "acc-06-accept")
    page.fill("#id_new_password1", "tre gröna äpplen i rad")
    page.fill("#id_new_password2", "tre gröna äpplen i rad")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    assert "Välkommen till Stegvis hos Mittköpings kommun." in page.content()

    page.click("header a:has-text('Byt lösenord')")
    check_a11y(page, "acc-07-password-change")
    page.fill("#id_old_password", "tre gröna äpplen i rad")
    page.fill("#id_new_password1", "fyra blå cyklar ute")
    page.fill("#id_new_password2", "fyra blå cyklar ute")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    assert "Ditt lösenord har ändrats." in page.content()

    page.click("header button:has-text('Logga ut')")
    log_in(page, live_server, "nina@example.se", "tre gröna äpplen i rad")
    assert "Fel e-postadress eller lösenord." in page.content()
    log_in(page, live_server, "nina@example.se", "fyra blå cyklar ute")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{invitation}")
    check_a11y(page, "acc-08-invitation-used")


def test_forgotten_password_is_reset_in_the_browser(live_server, page, check_a11y, smtp_server):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        f.World.build(framework=f.make_framework())

    page.goto(f"{live_server.url}/login/")
    page.click("text=Glömt lösenordet?")
    check_a11y(page, "acc-11-reset-ask")
    page.fill("#id_email", "bob@example.se")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/password-reset/sent/")
    check_a11y(page, "acc-12-reset-sent")

    link = link_in(smtp_server.messages[0], "/password-reset/")
    page.goto(f"{live_server.url}{link}")
    check_a11y(page, "acc-13-reset-choose")
    page.fill("#id_new_password1", "kaffe och kanelbulle varje fredag")
    page.fill("#id_new_password2", "kaffe och kanelbulle varje fredag")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/password-reset/done/")
    check_a11y(page, "acc-14-reset-done")
    page.goto(f"{live_server.url}{link}")
    assert "Länken fungerar inte" in page.content()
    check_a11y(page, "acc-15-reset-used")

    log_in(page, live_server, "bob@example.se", "kaffe och kanelbulle varje fredag")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    page.context.clear_cookies()
    for n in range(10):
        log_in(page, live_server, "bob@example.se", f"fel lösenord {n}")
    assert "För många misslyckade försök" in page.content()
    check_a11y(page, "acc-16-locked-out")
