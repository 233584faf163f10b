"""The organiser's sent-mail page: what was sent to whom, filters, detail, CSV, and whose mail it shows."""

import datetime

import time_machine
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.core import mail
from stegvis.core.models import SentMail
from stegvis.organisations import domain


def invite(world, email, **kwargs):
    return domain.invite_user(
        organizer=world.org, by=world.alice, email=email, full_name=kwargs.pop("name", "Ny"), role="viewer", **kwargs
    )


def test_the_mail_page_lists_the_organisers_mail_only(admin_client, world, url):
    invite(world, "ny@example.se")
    domain.invite_user(
        organizer=world.other_org, by=world.charlie, email="annan@example.se", full_name="A", role="viewer"
    )
    mail.send(
        to_email="bob@example.se",
        to_user=world.bob,
        kind="password_reset",
        subject=_("Choose a new password for Stegvis"),
        template="core/mail/test",
        language="sv",
        why="x",
    )  # about an account, no organiser: on nobody's page
    page = admin_client.get(url("mail")).content.decode()
    assert "ny@example.se" in page and "Inbjudan till Stegvis från Mittköpings kommun" in page
    assert "annan@example.se" not in page and "bob@example.se" not in page
    assert "1 mail" in page


def test_the_mail_page_filters_by_kind_status_recipient_and_dates(admin_client, world, url):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        invite(world, "gammal@example.se")
    invite(world, "ny@example.se")
    SentMail.objects.filter(to_email="ny@example.se").update(status="failed", last_error="550 No")
    page = admin_client.get(url("mail") + "?status=failed").content.decode()
    assert "ny@example.se" in page and "gammal@example.se" not in page
    page = admin_client.get(url("mail") + "?to=GAMMAL").content.decode()
    assert "gammal@example.se" in page and "ny@example.se" not in page
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    page = admin_client.get(url("mail") + f"?since={since}").content.decode()
    assert "ny@example.se" in page and "gammal@example.se" not in page
    until = (timezone.localdate() - datetime.timedelta(days=9)).isoformat()
    page = admin_client.get(url("mail") + f"?until={until}").content.decode()
    assert "gammal@example.se" in page and "ny@example.se" not in page
    page = admin_client.get(url("mail") + "?kind=test").content.decode()
    assert "No mails match." in page
    page = admin_client.get(url("mail") + "?kind=nonsense&since=not-a-date").content.decode()
    assert "ny@example.se" in page and "gammal@example.se" in page  # bad filters are ignored


def test_the_mail_detail_shows_the_message_without_its_one_time_link(admin_client, world, url, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    invite(world, "ny@example.se", name="Nina Ny")
    sent = SentMail.objects.get(to_email="ny@example.se")
    assert sent.status == "queued" and sent.secret  # the request did not wait for a mail server
    page = admin_client.get(url("mail_detail", mail_id=sent.pk)).content.decode()
    assert "Alice bjuder in dig till Stegvis hos Mittköpings kommun" in page  # the mail is in Swedish
    assert sent.secret not in page and "/invitation/[…]/" in page
    assert "Queued" in page


def test_mail_about_an_account_or_of_another_organiser_is_a_404(admin_client, world, url):
    other = domain.invite_user(
        organizer=world.other_org, by=world.charlie, email="annan@example.se", full_name="A", role="viewer"
    )
    foreign = SentMail.objects.get(organizer=world.other_org, dedupe_key=f"invitation:{other.pk}:1")
    assert admin_client.get(url("mail_detail", mail_id=foreign.pk)).status_code == 404
    own = mail.send(
        to_email="alice@example.se", kind="test", subject="x", template="core/mail/test", language="sv", why="x"
    )
    assert admin_client.get(url("mail_detail", mail_id=own.pk)).status_code == 404


def test_the_csv_export_has_the_filtered_mails_and_guards_against_formulas(admin_client, world, url):
    invite(world, "ny@example.se")
    SentMail.objects.filter(to_email="ny@example.se").update(last_error="=HYPERLINK(1)", subject="+SUM(A1)")
    invite(world, "annan@example.se")
    response = admin_client.get(url("mail_export") + "?to=ny")
    assert response["Content-Disposition"].startswith('attachment; filename="mail-mittkoping-')
    lines = [line for line in response.content.decode("utf-8-sig").splitlines() if line]
    assert lines[0] == "Created;Sent;Kind;Recipient;Subject;Language;Status;Attempts;Error"
    assert len(lines) == 2
    assert ";Invitation;ny@example.se;'+SUM(A1);sv;Sent;1;'=HYPERLINK(1)" in lines[1]


def test_the_page_says_when_mail_is_only_recorded(admin_client, world, url, settings):
    settings.EMAIL_BACKEND = mail.RECORD_ONLY
    assert "mails are recorded here but not sent" in admin_client.get(url("mail")).content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "mails are recorded here but not sent" not in admin_client.get(url("mail")).content.decode()


def test_only_organiser_admins_see_the_mail_link_and_page(client, world, url):
    client.force_login(world.vera)
    assert "organisation/mail/" not in client.get(url("org_home")).content.decode()
    assert client.get(url("mail")).status_code == 403
    client.force_login(world.alice)
    assert url("mail") in client.get(url("org_home")).content.decode()
