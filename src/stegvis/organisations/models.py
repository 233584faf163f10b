import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stegvis.core import schoolforms

# "t" is the token door (``/t/<token>/...``, docs/tenancy.md); the others are pages outside an organiser.
RESERVED_SLUGS = {
    "admin",
    "static",
    "login",
    "logout",
    "i18n",
    "api",
    "media",
    "health",
    "t",
    "account",
    "password-reset",
    "invitation",
    "open",  # open data, /open/<slug>/... (docs/open-data.md)
}


class Organizer(models.Model):
    """A huvudman: a municipality or an independent organiser. The tenant."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    share_national = models.BooleanField(
        _("share our figures for the national comparison"),
        default=False,
        help_text=_(
            "Our units' maturity figures are then part of the national average, which no organiser "
            "can break down. Shown only when enough other organisers share too."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class District(models.Model):
    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="districts")
    name = models.CharField(_("name"), max_length=200)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organizer", "name"], name="district_unique_name")]

    def __str__(self):
        return self.name


unit_code_validator = RegexValidator(r"^\d{8}$", _("A unit code is eight digits (skolenhetskod)."))


class Unit(models.Model):
    """A school or preschool unit (skolenhet, förskoleenhet)."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="units")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="units", null=True, blank=True, verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("unit code"), max_length=8, validators=[unit_code_validator])
    school_forms = models.PositiveSmallIntegerField(_("school forms"), help_text=_("Bit mask, see core.schoolforms"))
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organizer", "code"], name="unit_unique_code")]

    def __str__(self):
        return self.name

    @property
    def school_form_codes(self):
        return schoolforms.to_codes(self.school_forms)

    @property
    def school_form_labels(self):
        return schoolforms.labels(self.school_forms)

    @property
    def is_preschool_only(self):
        return self.school_forms == schoolforms.PRESCHOOL


class Role(models.TextChoices):
    ADMIN = "admin", _("Organiser admin")
    VIEWER = "viewer", _("Organiser viewer")
    DISTRICT_LEAD = "district_lead", _("District lead")
    PRINCIPAL = "principal", _("Principal")
    CONTRIBUTOR = "contributor", _("Unit contributor")


ORGANIZER_ROLES = {Role.ADMIN, Role.VIEWER}
UNIT_ROLES = {Role.PRINCIPAL, Role.CONTRIBUTOR}


class Membership(models.Model):
    """A user's role in an organiser, optionally tied to one district or unit."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("unit"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(role__in=["admin", "viewer"], district__isnull=True, unit__isnull=True)
                    | models.Q(role="district_lead", district__isnull=False, unit__isnull=True)
                    | models.Q(role__in=["principal", "contributor"], district__isnull=True, unit__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        where = self.unit or self.district or self.organizer
        return f"{self.user} – {self.get_role_display()} – {where}"


class AccessToken(models.Model):
    """A door into one organiser for people without an account (docs/tenancy.md): a survey
    link, a calendar feed, an unsubscribe link. Addressed as ``/t/<token>/...``.

    The token itself is never stored: its first ``SELECTOR_LENGTH`` characters (a lookup key,
    useless alone) and the SHA-256 of the rest. Issued and revoked by
    ``organisations.domain.issue_token`` and ``revoke_token``; resolved by the tenancy middleware.
    """

    SELECTOR_LENGTH = 16

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="access_tokens")
    purpose = models.CharField(_("purpose"), max_length=40)
    selector = models.CharField(max_length=SELECTOR_LENGTH, unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 (hex) of the token after the selector")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organizer", "purpose"], name="accesstoken_org_purpose")]

    def __str__(self):
        return f"{self.purpose} ({self.organizer})"

    @staticmethod
    def digest_of(secret):
        return hashlib.sha256(secret.encode()).hexdigest()

    def is_valid_at(self, when):
        return self.revoked_at is None and (self.expires_at is None or when < self.expires_at)


class UnitImport(models.Model):
    """A checked unit file waiting for its confirmation (docs/unit-import.md).

    Holds the parsed rows only, not the file (a register extract also names principals), for the
    user who uploaded it, and for a short while: see ``domain.stage_unit_import``.
    """

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="unit_imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at"]


class Invitation(models.Model):
    """An invitation to take a role in the organiser, sent by e-mail with a one-time link.

    It holds what the admin typed (address, name, role and its district or unit) and nothing of
    any account that may already have the address: an account elsewhere is not this organiser's
    to see until its owner accepts. Only a hash of the link's token is stored; resending makes a
    new token (the old link dies). Open: neither accepted nor cancelled; valid: open and not
    expired. See ``domain.invite_user`` and docs/accounts.md.
    """

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"), max_length=254)
    full_name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("unit"))
    language = models.CharField(_("language of the e-mail"), max_length=2, default="sv")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()} – {self.organizer}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.cancelled_at is None

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at


class EmailChange(models.Model):
    """An organiser admin's change of a member's e-mail address (the login), waiting for the owner
    of the new address to confirm it with a one-time link sent there.

    The change goes the same way whether or not another account has the new address, so the admin
    never learns of accounts elsewhere; only on confirmation is that checked (and then nothing is
    told to the admin either). Only a hash of the link's token is stored. Open: neither confirmed
    nor cancelled; valid: open and not expired. See ``domain.update_user`` and docs/accounts.md.
    """

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="email_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    new_email = models.EmailField(_("new e-mail address"), max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} → {self.new_email} – {self.organizer}"

    @property
    def is_open(self):
        return self.confirmed_at is None and self.cancelled_at is None

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at
