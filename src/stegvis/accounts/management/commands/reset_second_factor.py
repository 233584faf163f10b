"""Remove an account's authenticator app and recovery codes, for someone who lost both
(docs/sso.md). They set up a new app at their next password login."""

from django.core.management.base import BaseCommand, CommandError

from stegvis.accounts import second_factor
from stegvis.accounts.models import User, normalize_email


class Command(BaseCommand):
    help = "Remove the two-step login (authenticator app and recovery codes) of an account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        second_factor.remove(user=user)
        self.stdout.write(f"Two-step login removed for {user.email}; a new app is set up at the next login.")
