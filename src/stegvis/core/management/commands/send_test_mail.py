from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from stegvis.core import mail
from stegvis.core.models import SentMail


class Command(BaseCommand):
    help = "Send a test mail now, through the configured mail server, and say whether it went."

    def add_arguments(self, parser):
        parser.add_argument("email", help="where to send it")
        parser.add_argument("--language", default="sv", choices=["sv", "en"])

    def handle(self, email, language="sv", **options):
        sent = mail.send(
            to_email=email,
            kind="test",
            subject=_("Stegvis: test message"),
            template="core/mail/test",
            language=language,
            why=_("You receive this message because someone is testing the e-mail settings of Stegvis."),
        )
        mail.deliver(mail_id=sent.pk)  # at once, unless a worker was quicker
        sent.refresh_from_db()
        if sent.status == SentMail.Status.FAILED:
            raise CommandError(f"The mail server refused or did not answer: {sent.last_error}")
        note = " (recorded only: no STEGVIS_EMAIL_HOST is set)" if mail.records_only() else ""
        self.stdout.write(self.style.SUCCESS(f"Sent to {email}{note}."))
