"""core.mail: rendering, recording, delivery to a real SMTP server on loopback, failure and retry."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.core import mail
from stegvis.core.models import SentMail
from tests.mailserver import html_of, text_of

ROOT = Path(__file__).resolve().parents[2]


def send_test(**overrides):
    kwargs = {
        "to_email": "Nina@Example.se",
        "kind": "test",
        "subject": _("Stegvis: test message"),
        "template": "core/mail/test",
        "language": "sv",
        "why": _("You receive this message because someone is testing the e-mail settings of Stegvis."),
    }
    return mail.send(**{**kwargs, **overrides})


def test_mail_arrives_with_both_parts_in_the_recipients_language_and_says_why(smtp_server, world):
    sent = send_test(organizer=world.org, link="/mittkoping/")
    [message] = smtp_server.messages
    assert message["To"] == "Nina@Example.se"
    assert message["From"] == "Stegvis <stegvis@mittkoping.se>"
    assert message["Subject"] == "Stegvis: testmeddelande"
    assert message["Content-Language"] == "sv"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == sent.message_id
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_of(message), html_of(message)
    assert "Det här är ett testmeddelande från Stegvis." in text
    assert "Det här är ett testmeddelande från Stegvis." in html
    why = "Du får det här meddelandet för att någon provar e-postinställningarna för Stegvis."
    assert why in text and why in html
    assert "\n-- \n" in text  # the footer is a signature
    assert "https://stegvis.mittkoping.se" in text
    assert '<html lang="sv">' in html and "&lt;" not in text
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.to_email) == ("sent", 1, "Nina@Example.se")
    assert sent.sent_at is not None and sent.last_error == ""
    assert sent.body_text == text


def test_mail_in_english_when_the_recipient_reads_english(smtp_server):
    send_test(language="en")
    [message] = smtp_server.messages
    assert message["Subject"] == "Stegvis: test message"
    assert message["Content-Language"] == "en"
    assert "This is a test message from Stegvis." in text_of(message)
    assert "someone is testing the e-mail settings" in html_of(message)


def test_same_dedupe_key_sends_one_mail(smtp_server):
    first = send_test(dedupe_key="test:1")
    second = send_test(dedupe_key="test:1", subject="Something else")
    assert first.pk == second.pk
    assert len(smtp_server.messages) == 1
    assert SentMail.objects.count() == 1


def test_delivering_a_sent_mail_again_sends_nothing(smtp_server):
    sent = send_test()
    assert mail.deliver(mail_id=sent.pk) is None
    assert len(smtp_server.messages) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_uses_the_configured_user_and_password(smtp_server_with_login, settings):
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "stegvis", "hemligt-smtp"
    send_test()
    assert smtp_server_with_login.logins == [("stegvis", "hemligt-smtp")]
    assert len(smtp_server_with_login.messages) == 1


def test_refused_mail_is_failed_with_the_error_and_retried_later(smtp_server):
    smtp_server.refuse = "450 4.2.1 Mailbox busy, try later"
    sent = send_test()
    sent.refresh_from_db()
    assert sent.status == "failed" and sent.attempts == 1
    assert "Mailbox busy" in sent.last_error
    assert mail.retry_failed() == 0  # too soon: retries wait RETRY_PAUSE
    smtp_server.refuse = None
    with time_machine.travel(timezone.now() + mail.RETRY_PAUSE + datetime.timedelta(seconds=1)):
        assert mail.retry_failed() == 1
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, "")
    assert len(smtp_server.messages) == 1


def test_an_address_refused_for_good_is_bounced_and_not_tried_again(smtp_server, world):
    smtp_server.refuse = "550 5.1.1 No such mailbox"
    sent = send_test(organizer=world.org)
    sent.refresh_from_db()
    assert sent.status == "failed" and sent.last_error.startswith(mail.BOUNCED)
    assert "No such mailbox" in sent.last_error
    assert list(mail.bounced(SentMail.objects.all())) == [sent]
    smtp_server.refuse = None
    with time_machine.travel(timezone.now() + mail.RETRY_PAUSE + datetime.timedelta(seconds=1)):
        assert mail.retry_failed() == 0
    assert smtp_server.messages == []


def test_a_server_that_never_answers_times_out_and_the_mail_is_failed(silent_smtp_server):
    sent = send_test()
    sent.refresh_from_db()
    assert sent.status == "failed"
    assert "timed out" in sent.last_error.lower()


def test_retries_are_bounded_and_a_given_up_mail_loses_its_secret(smtp_server, settings):
    settings.STEGVIS_MAIL_MAX_ATTEMPTS = 2
    smtp_server.refuse = "451 4.3.0 Try later"
    sent = send_test(secret="PRIVATE-TOKEN", context={})
    SentMail.objects.filter(pk=sent.pk).update(body_text="link /x/PRIVATE-TOKEN/", secret="PRIVATE-TOKEN")
    later = timezone.now()
    for _attempt in range(4):
        later += mail.RETRY_PAUSE + datetime.timedelta(seconds=1)
        with time_machine.travel(later):
            mail.retry_failed()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("failed", 2)
    assert "PRIVATE-TOKEN" not in sent.body_text and sent.secret == ""
    assert smtp_server.messages == []


def test_a_secret_is_blanked_out_of_the_record_once_delivered(smtp_server):
    sent = send_test(
        template="accounts/mail/password_reset",
        context={"user": None, "url": "https://x/password-reset/MQ/TOKEN-123/", "hours": 24},
        secret="TOKEN-123",
    )
    assert "TOKEN-123" in text_of(smtp_server.messages[0])
    sent.refresh_from_db()
    assert "TOKEN-123" not in sent.body_text and "TOKEN-123" not in sent.body_html
    assert mail.HIDDEN in sent.body_text and sent.secret == ""


def test_a_mail_whose_worker_died_mid_delivery_is_tried_again(smtp_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sent = send_test()
    SentMail.objects.filter(pk=sent.pk).update(status="sending", attempts=1, attempted_at=timezone.now())
    assert mail.retry_failed() == 0  # it may still be on its way
    with time_machine.travel(timezone.now() + mail.STALE + mail.RETRY_PAUSE + datetime.timedelta(minutes=1)):
        assert mail.retry_failed() == 1
    sent.refresh_from_db()
    assert sent.status == "sent" and sent.attempts == 2
    assert len(smtp_server.messages) == 1


def test_a_queued_mail_whose_task_was_lost_is_delivered_by_the_retry(smtp_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sent = send_test()
    assert SentMail.objects.get(pk=sent.pk).status == "queued" and smtp_server.messages == []
    with time_machine.travel(timezone.now() + mail.STALE + datetime.timedelta(minutes=1)):
        assert mail.retry_failed() == 1
    assert len(smtp_server.messages) == 1


def test_record_only_backend_sends_nothing_and_keeps_the_mail(settings, capsys):
    settings.EMAIL_BACKEND = mail.RECORD_ONLY
    settings.DEBUG = False
    sent = send_test()
    sent.refresh_from_db()
    assert sent.status == "sent" and mail.records_only()
    assert "testmeddelande" in sent.body_text
    assert capsys.readouterr().err == ""  # only with DEBUG does it echo to the console


def test_send_test_mail_command_reports_success_and_failure(smtp_server):
    out = io.StringIO()
    call_command("send_test_mail", "it@mittkoping.se", "--language", "en", stdout=out)
    assert "Sent to it@mittkoping.se" in out.getvalue()
    assert smtp_server.messages[0]["Subject"] == "Stegvis: test message"
    smtp_server.refuse = "550 No"
    with pytest.raises(CommandError, match="refused or did not answer"):
        call_command("send_test_mail", "it@mittkoping.se", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STEGVIS_EMAIL_PORT": "25x"}, "STEGVIS_EMAIL_PORT='25x' is not understood; use a whole number."),
        ({"STEGVIS_EMAIL_STARTTLS": "maybe"}, "STEGVIS_EMAIL_STARTTLS='maybe' is not understood"),
        ({"STEGVIS_EMAIL_SSL": "1", "STEGVIS_EMAIL_STARTTLS": "1"}, "not both"),
        (
            {"STEGVIS_LOGIN_FAILURE_LIMIT": "0"},
            "STEGVIS_LOGIN_FAILURE_LIMIT='0' is too small; use a whole number of at least 1.",
        ),
    ],
)
def test_bad_mail_or_login_settings_stop_the_start_with_a_clear_message(env, message):
    result = subprocess.run(
        [sys.executable, "-c", "import stegvis.settings"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "STEGVIS_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_implicit_tls_alone_turns_starttls_off():
    code = "import stegvis.settings as s; print(s.EMAIL_USE_SSL, s.EMAIL_USE_TLS, s.EMAIL_BACKEND)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "STEGVIS_DEBUG": "1",
            "STEGVIS_EMAIL_SSL": "yes",
            "STEGVIS_EMAIL_HOST": "smtp.example.se",
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert result.stdout.split() == ["True", "False", "django.core.mail.backends.smtp.EmailBackend"]


def test_the_schedule_retries_a_refused_mail_through_its_job(smtp_server, settings):
    """The project's schedule names the retry task, and running that task delivers the mail once
    (the scheduler's own locking and threads are tested in test_scheduler.py)."""
    from stegvis.core.scheduler import parse_schedule
    from stegvis.core.tasks import retry_failed_mail

    job = parse_schedule(settings.STEGVIS_SCHEDULE)["retry-failed-mail"]
    assert job.target() is retry_failed_mail
    smtp_server.refuse = "451 4.3.0 Try again later"
    sent = send_test()
    smtp_server.refuse = None
    with time_machine.travel(timezone.now() + mail.RETRY_PAUSE + datetime.timedelta(seconds=1)):
        assert retry_failed_mail.call() == 1
    sent.refresh_from_db()
    assert sent.status == "sent" and len(smtp_server.messages) == 1
