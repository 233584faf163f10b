"""The pages: the status page's names, last reminded and export; "send a reminder now" with its
preview; one's preferences; the one-click unsubscribe through the token door (RFC 8058), with
mails on a real SMTP server on loopback; an action's owner as a user and "my actions"."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import connection

from stegvis.core import mail
from stegvis.core.models import SentMail
from stegvis.notifications import domain, kinds
from stegvis.notifications.models import Preference
from stegvis.planning import domain as planning
from stegvis.planning.models import Action
from tests import factories as f
from tests.mailserver import links_in, text_of

DEC_1 = datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC)  # 14 days before the deadline


def status_url(w):
    return f"/mittkoping/overview/status/?round={w.rnd.pk}"


def test_status_page_shows_principals_and_when_each_unit_was_last_reminded(client, world):
    with time_machine.travel(DEC_1, tick=False):
        domain.send_due_reminders()
    client.force_login(world.alice)
    page = client.get(status_url(world)).content.decode()
    assert "Bob" in page and "Eve" in page
    assert page.count("2026-12-01 09:00") == 2  # last reminded, both units, Swedish time
    assert f'name="unit" value="{world.unit.pk}"' in page  # choose units to remind
    assert "?unpublished=1" in page
    export = client.get(f"/mittkoping/overview/status/export/?round={world.rnd.pk}")
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Enhet;Utbildningsområde;Rektor;Status;Publicerad;Senaste aktivitet;Senast påmind"
    assert "Ekskolan;Norra;Bob;Inte påbörjad;;;2026-12-01 09:00" in rows


def test_a_viewer_sees_the_status_but_cannot_remind(client, world):
    client.force_login(world.vera)
    page = client.get(status_url(world)).content.decode()
    assert 'name="unit"' not in page and "unpublished=1" not in page
    assert client.get(f"/mittkoping/rounds/{world.rnd.pk}/remind/?unpublished=1").status_code == 403


def test_send_now_previews_the_mail_with_the_personal_line_and_sends_once(client, world, smtp_server):
    f.published_assessment(world.other_unit, world.rnd, by=world.eve)
    client.force_login(world.alice)
    url = f"/mittkoping/rounds/{world.rnd.pk}/remind/"
    page = client.get(url, {"unit": [world.unit.pk, world.other_unit.pk]}).content.decode()
    assert "Ekskolan" in page and "bob@example.se" in page
    assert "1 vald enhet har redan publicerat" in page  # Björkskolan is left out
    batch = re.search(r'name="batch" value="([0-9a-f]{12})"', page).group(1)
    form = {"unit": [world.unit.pk], "batch": batch, "personal_line": "Ring mig om du behöver hjälp!"}
    preview = client.post(url, {**form, "preview": "1"}).content.decode()
    assert "Ring mig om du behöver hjälp!" in preview and "En påminnelse från Alice" in preview
    response = client.post(url, {**form, "send": "1"})
    assert response.status_code == 302 and response["Location"].endswith(status_url(world).split("/mittkoping")[1])
    client.post(url, {**form, "send": "1"})  # a double click
    [message] = smtp_server.messages
    assert message["To"] == "bob@example.se"
    assert "Ring mig om du behöver hjälp!" in text_of(message)
    assert "https://stegvis.mittkoping.se/mittkoping/" in links_in(message)  # no draft yet: the start page
    page = client.get(status_url(world)).content.decode()
    assert "Senast påmind" in page and page.count(f"{datetime.date.today():%Y-%m-%d} ") >= 1


def test_send_now_to_all_that_have_not_published(client, world):
    client.force_login(world.alice)
    page = client.get(f"/mittkoping/rounds/{world.rnd.pk}/remind/", {"unpublished": "1"}).content.decode()
    assert "Ekskolan" in page and "Björkskolan" in page and "Skicka till 2 enheter nu" in page


def test_every_notification_has_a_one_click_unsubscribe_that_needs_no_login(client, world, smtp_server):
    with time_machine.travel(DEC_1, tick=False):
        domain.send_due_reminders()
    digest = next(m for m in smtp_server.messages if m["To"] == "alice@example.se")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://stegvis\.mittkoping\.se(/t/[^>]+))>", digest["List-Unsubscribe"].strip()).group(2)
    assert link.endswith(f"/notifications/unsubscribe/{kinds.DIGEST}/")
    assert "https://stegvis.mittkoping.se" + link in text_of(digest)  # the same link in the footer
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Sluta skicka de här mejlen" in page.content.decode()
    assert Preference.objects.get(user=world.alice).muted == []  # a link checker's GET changes nothing
    # the mail client's one-click POST (RFC 8058): no session, no CSRF token
    csrf_client = type(client)(enforce_csrf_checks=True)
    assert csrf_client.post(link, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Preference.objects.get(user=world.alice).muted == [kinds.DIGEST]
    with time_machine.travel(DEC_1 + datetime.timedelta(days=7), tick=False):
        domain.send_due_reminders()
    assert SentMail.objects.filter(kind=kinds.DIGEST).count() == 1
    # a deadline reminder cannot be switched off by its principal
    bob = next(m for m in smtp_server.messages if m["To"] == "bob@example.se")
    bob_link = bob["List-Unsubscribe"].strip().strip("<>").split("stegvis.mittkoping.se", 1)[1]
    page = client.post(bob_link).content.decode()
    assert "kan inte stängas av här" in page
    assert Preference.objects.get(user=world.bob).muted == []
    # a wrong token is the plain 404
    assert client.post(link[:-25] + "x" * 10 + link[-15:]).status_code == 404


def test_preferences_page_switches_optional_kinds_and_keeps_mandatory_ones(client, world):
    client.force_login(world.bob)
    page = client.get("/mittkoping/notifications/").content.decode()
    assert "Påminnelser före sista publiceringsdag" in page and "disabled" in page
    client.post("/mittkoping/notifications/", {"reminder_follow_up": ""})  # everything unticked
    muted = Preference.objects.get(user=world.bob).muted
    assert kinds.FOLLOW_UP in muted and kinds.DEADLINE not in muted


def test_rules_page_saves_and_refuses_bad_days_without_losing_input(client, world):
    client.force_login(world.alice)
    url = f"/mittkoping/rounds/{world.rnd.pk}/reminders/"
    page = client.get(url).content.decode()
    assert 'value="14, 3, 0"' in page
    assert 'name="digest_survey_rate" value="50"' in page
    bad = client.post(url, {"days_before": "14, tre", "days_after": "9", "digest": "on"}).content.decode()
    assert "Skriv heltal" in bad and 'value="9"' in bad
    for rate in ("0", "101", "femtio", ""):
        bad = client.post(url, {"days_before": "10", "digest_survey_rate": rate}).content.decode()
        assert "Ange en svarsfrekvens från 1 till 100 procent." in bad, rate
    assert domain.rules_for(world.rnd).days_before == [14, 3, 0]  # nothing saved
    data = {"days_before": "10,2", "days_after": "", "action_days_before": "5", "digest_survey_rate": "30"}
    assert client.post(url, data).status_code == 302
    rules = domain.rules_for(world.rnd)
    assert (rules.days_before, rules.days_after, rules.action_days_before, rules.digest) == ([10, 2], None, 5, False)
    assert rules.digest_survey_rate == 30


def test_a_bounced_address_is_shown_to_the_organiser(client, world, smtp_server):
    smtp_server.refuse = "550 5.1.1 No such mailbox"
    with time_machine.travel(DEC_1, tick=False):
        domain.send_due_reminders()
    assert mail.bounced(SentMail.objects.filter(organizer=world.org)).count() == 3
    client.force_login(world.alice)
    page = client.get(f"/mittkoping/rounds/{world.rnd.pk}/reminders/").content.decode()
    assert "Adresser som studsade" in page and "bob@example.se" in page


def test_a_refusing_or_silent_server_leaves_reminders_failed_and_retried_once(world, smtp_server):
    smtp_server.refuse = "451 4.3.0 Try again later"
    with time_machine.travel(DEC_1, tick=False):
        domain.send_due_reminders()
        domain.send_due_reminders()
    assert SentMail.objects.filter(status="failed").count() == 3 and smtp_server.messages == []
    smtp_server.refuse = None
    with time_machine.travel(DEC_1 + mail.RETRY_PAUSE + datetime.timedelta(minutes=1), tick=False):
        assert mail.retry_failed() == 3
        domain.send_due_reminders()
        assert mail.retry_failed() == 0
    assert sorted(m["To"] for m in smtp_server.messages) == ["alice@example.se", "bob@example.se", "eve@example.se"]


def test_a_silent_server_times_out_and_the_reminders_wait_for_a_retry(world, silent_smtp_server):
    with time_machine.travel(DEC_1, tick=False):
        domain.send_due_reminders()
    assert set(SentMail.objects.values_list("status", flat=True)) == {"failed"}
    assert all("timed out" in e.lower() for e in SentMail.objects.values_list("last_error", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_send_nothing_twice(world, settings):
    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["OPTIONS"]["timeout"] = 30
    errors = []

    def one_pass():
        try:
            with time_machine.travel(DEC_1, tick=False):
                domain.send_due_reminders()
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(SentMail.objects.values_list("to_email", flat=True)) == [
        "alice@example.se",
        "bob@example.se",
        "eve@example.se",
    ]


def test_an_action_owner_is_a_user_of_the_organiser_and_sees_my_actions(client, world):
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/plans/{plan.pk}/actions/new/").content.decode()
    assert "Carol (carol@example.se)" in page and "charlie@example.se" not in page
    response = client.post(
        f"/mittkoping/plans/{plan.pk}/actions/new/",
        {"title": "Digitala verktyg", "priority": "2", "owner_user": world.carol.pk, "due_date": "2027-01-20"},
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Digitala verktyg")
    assert action.owner_user == world.carol
    bad = client.post(
        f"/mittkoping/plans/{plan.pk}/actions/new/",
        {"title": "Annan", "priority": "2", "owner_user": world.charlie.pk},
    )
    assert bad.status_code == 200 and not Action.objects.filter(title="Annan").exists()
    with pytest.raises(planning.PlanningError):
        planning.add_action(plan=plan, by=world.bob, title="X", owner_user=world.charlie)
    client.force_login(world.carol)
    home = client.get("/mittkoping/").content.decode()
    assert "Mina aktiviteter" in home and "Digitala verktyg" in home
    assert "Carol" in client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
