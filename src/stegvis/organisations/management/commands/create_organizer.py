import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django_scopes import scopes_disabled

from stegvis.organisations import domain
from stegvis.organisations.models import Role


class Command(BaseCommand):
    help = "Create an organiser (huvudman) and its first organiser admin; prints the admin's password."

    def add_arguments(self, parser):
        parser.add_argument("name", help='e.g. "Mittköpings kommun"')
        parser.add_argument("--slug", help="short name in addresses (default: from the name)")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="", help="the admin's full name")

    def handle(self, name, slug=None, admin_email=None, admin_name="", **options):
        slug = slug or slugify(name.replace("ö", "o").replace("ä", "a").replace("å", "a"))
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password)
            with scopes_disabled(), transaction.atomic():
                organizer = domain.create_organizer(name=name, slug=slug)
                domain.create_user(
                    organizer=organizer,
                    by=None,
                    full_name=admin_name or admin_email,
                    email=admin_email,
                    password=password,
                    role=Role.ADMIN,
                )
        except (domain.OrganisationError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {name} at /{slug}/"))
        self.stdout.write(f"Organiser admin: {admin_email}  password: {password}  (ask them to keep it safe)")
