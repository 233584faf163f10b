import secrets

from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django_scopes import scopes_disabled

from stegvis.core.mail import absolute_url
from stegvis.organisations import domain
from stegvis.organisations.models import Role


def set_password_link(user):
    """A one-time link with which ``user`` chooses a password (the password-reset page)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


class Command(BaseCommand):
    help = (
        "Create an organiser (huvudman) and its first organiser admin; prints a one-time link with which "
        "the admin chooses a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='e.g. "Mittköpings kommun"')
        parser.add_argument("--slug", help="short name in addresses (default: from the name)")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="", help="the admin's full name")

    @no_translations  # an operator's command: messages in English, like its other output
    def handle(self, name, slug=None, admin_email=None, admin_name="", **options):
        slug = slug or slugify(name.replace("ö", "o").replace("ä", "a").replace("å", "a"))
        try:
            with scopes_disabled(), transaction.atomic():
                organizer = domain.create_organizer(name=name, slug=slug)
                admin = domain.create_user(
                    organizer=organizer,
                    by=None,
                    full_name=admin_name or admin_email,
                    email=admin_email,
                    # A password nobody knows (so "Forgot your password?" works later); the admin
                    # chooses their own with the link.
                    password=secrets.token_urlsafe(32),
                    role=Role.ADMIN,
                )
        except domain.OrganisationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {name} at /{slug}/"))
        self.stdout.write(f"Organiser admin: {admin.email}")
        self.stdout.write("Send them this link to choose a password (it works once, for 24 hours):")
        self.stdout.write(f"  {set_password_link(admin)}")
        self.stdout.write('Later, "Forgot your password?" on the login page sends a new link by e-mail.')
