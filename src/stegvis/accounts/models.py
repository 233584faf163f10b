"""People: the account (e-mail is the login) and the identities that link it to SSO providers.

An account belongs to no organiser by itself; roles in an organiser are ``organisations.Membership``.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email(value):
    """The stored form of an e-mail address: stripped and lower-cased as a whole.

    Mailbox names are case-sensitive in theory and never in practice at Swedish schools; one
    spelling per person is what makes login and "address already in use" reliable.
    """
    return (value or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))

    def create_user(self, email, password=None, **fields):
        user = self.model(email=normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def display_name(self):
        """What pages show for this person: the name, else the address."""
        return self.full_name or self.email


class Identity(models.Model):
    """A sign-in identity at an external provider (Entra ID, Google, a SAML IdP) linked to a user.

    ``provider`` names the configured provider (e.g. ``entra:mittkoping``); ``subject`` is the
    provider's stable id for the person (``sub`` in OIDC, the NameID or ePPN in SAML).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(max_length=100)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="identity_unique_subject")]

    def __str__(self):
        return f"{self.provider}:{self.subject}"


class Authenticator(models.Model):
    """A user's TOTP authenticator app (RFC 6238, 30-second steps, 6 digits): the second factor
    of a password login (docs/sso.md). ``secret`` is the shared base32 key; ``last_step`` the time
    step of the last code accepted, so a code works once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="authenticator")
    secret = models.CharField(max_length=64)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"TOTP {self.user}"


class RecoveryCode(models.Model):
    """A one-use code for when the authenticator app is lost: only its SHA-256 is stored (the
    codes are random, 50 bits each), and it is shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]
