"""API tokens (organiser-scoped, for the REST API) and the organiser's open-data opt-in.

docs/api.md and docs/open-data.md. Written only by ``api.domain``.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ApiToken(models.Model):
    """A bearer token for the REST API, made by an organiser admin, for one organiser.

    The token (``stegvis_`` and 43 URL-safe characters, 256 random bits) is shown once and
    never stored: only its SHA-256 (``digest``, the lookup key) and the first characters after
    the prefix (``hint``, so the admin can tell tokens apart). Read tokens read; read-write
    tokens may also create and change units. Valid while not revoked and not expired.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("access"), max_length=5, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the whole token")
    hint = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.organizer})"

    @staticmethod
    def digest_of(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def is_valid_at(self, when):
        return self.revoked_at is None and (self.expires_at is None or when < self.expires_at)

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE


class OpenDataPublication(models.Model):
    """An organiser's opt-in to publish its aggregate figures as open data (off by default).

    No row, or ``enabled`` false: the public addresses answer 404. docs/open-data.md.
    """

    organizer = models.OneToOneField("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(_("publish our figures as open data"), default=False)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organizer="organizer")

    def __str__(self):
        return f"open data: {self.organizer} ({'on' if self.enabled else 'off'})"
