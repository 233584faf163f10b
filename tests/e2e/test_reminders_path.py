"""Reminders in a real browser with a real SMTP server on loopback: the scheduled pass mails the
principal, who follows the link to the assessment; the organiser reminds a unit from the status
page with a personal line; the admin leaves the weekly digest with its one-click link."""

import datetime
import re

import pytest

from stegvis.notifications import domain
from tests import factories as f
from tests.mailserver import links_in, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reminder_arrives_and_its_link_leads_to_the_assessment(
    live_server, page, browser, check_a11y, smtp_server, settings
):
    from django_scopes import scopes_disabled

    settings.SITE_URL = live_server.url
    with scopes_disabled():
        framework = f.make_framework(areas=2, indicators=2)
        world = f.World.build(framework=framework)
        domain.send_due_reminders(today=world.rnd.deadline - datetime.timedelta(days=14))
    to_bob = [m for m in smtp_server.messages if m["To"] == "bob@example.se"]
    assert len(to_bob) == 1 and to_bob[0]["Subject"].strip() == "Publicera värderingen för Ekskolan senast 2026-12-15"
    link = links_in(to_bob[0])[0]
    assert link == f"{live_server.url}/mittkoping/"  # not started: the start page, which starts it

    # the principal follows the link: logs in and lands in the assessment
    page.goto(link)
    page.get_by_label("E-postadress").fill("bob@example.se")
    page.get_by_label("Lösenord").fill(f.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(link)
    page.get_by_role("button", name="Starta värderingen Ekskolan").click()
    page.wait_for_url("**/areas/area-1/")
    assert "Ekskolan" in page.content()

    # the organiser reminds Ekskolan now, with a personal line
    admin = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(f"{live_server.url}/login/")
    admin.get_by_label("E-postadress").fill("alice@example.se")
    admin.get_by_label("Lösenord").fill(f.PASSWORD)
    admin.get_by_role("button", name="Logga in").click()
    admin.wait_for_url(f"{live_server.url}/mittkoping/")
    admin.goto(f"{live_server.url}/mittkoping/overview/status/?round={world.rnd.pk}")
    assert "Senast påmind" in admin.content() and "Bob" in admin.content()
    check_a11y(admin, "reminders-01-status")
    admin.get_by_label("Påminn Ekskolan").check()
    admin.get_by_role("button", name="Påminn de valda enheterna").click()
    admin.wait_for_url("**/remind/**")
    admin.get_by_label("En personlig rad (valfritt)").fill("Hör av dig om du vill ha hjälp med indikatorerna.")
    admin.get_by_role("button", name="Visa mejlet igen").click()
    assert "Hör av dig om du vill ha hjälp med indikatorerna." in admin.locator("pre.mailbody").inner_text()
    check_a11y(admin, "reminders-02-send-now")
    admin.get_by_role("button", name="Skicka till 1 enhet nu").click()
    admin.wait_for_url("**/overview/status/**")
    assert "1 påminnelse skickad." in admin.content()
    nudges = [
        m for m in smtp_server.messages if m["Subject"].strip() == "En påminnelse: publicera värderingen för Ekskolan"
    ]
    assert len(nudges) == 1 and "Hör av dig om du vill ha hjälp" in text_of(nudges[0])

    # the admin's weekly digest: one click on its link, no login needed
    digest = next(m for m in smtp_server.messages if m["To"] == "alice@example.se" and "veckan" in m["Subject"])
    unsubscribe = re.fullmatch(r"<(.+)>", digest["List-Unsubscribe"].strip()).group(1)
    stranger = browser.new_context(locale="sv-SE").new_page()
    stranger.goto(unsubscribe)
    check_a11y(stranger, "reminders-03-unsubscribe")
    stranger.get_by_role("button", name="Sluta skicka de här mejlen").click()
    assert "Klart: du får inga fler mejl av det här slaget" in stranger.content()
