"""An organiser's sign-in providers: Microsoft Entra ID, Google Workspace and a SAML IdP
(Skolfederation). docs/sso.md.

One row per organiser and kind. django-allauth runs the protocols (``adapter.SchoolAccountAdapter``
turns each enabled row into an allauth ``SocialApp`` on the fly); ``domain.sign_in`` decides who
the person is in Stegvis.
"""

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stegvis.organisations.models import Organizer

ENTRA_AUTHORITY = "https://login.microsoftonline.com"
GOOGLE_ISSUER = "https://accounts.google.com"
# Entra's multi-tenant aliases: anyone with a Microsoft account could sign in through them.
ENTRA_SHARED_TENANTS = {"common", "organizations", "consumers"}
# Skolfederation's attributes (SAML2 URI names, as in its attribute profile)
EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"


def split_domains(text):
    """The e-mail domains in a comma- or space-separated text, lower-cased, without '@'."""
    return [d.lstrip("@").lower() for d in re.split(r"[\s,;]+", text or "") if d.strip("@ ")]


class SignInProvider(models.Model):
    class Kind(models.TextChoices):
        ENTRA = "entra", _("Microsoft Entra ID")
        GOOGLE = "google", _("Google Workspace")
        SAML = "saml", _("SAML (Skolfederation)")

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="sign_in_providers")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The provider's name in allauth's URLs (/accounts/oidc/<key>/, /accounts/saml/<key>/) and in
    # accounts.Identity.provider; fixed when the row is made, so a new slug keeps the links.
    key = models.CharField(max_length=100, unique=True, editable=False)
    enabled = models.BooleanField(_("in use"), default=False)
    domains = models.CharField(
        _("e-mail domains"),
        max_length=500,
        help_text=_("The organiser's e-mail domains, separated by commas, e.g. mittkoping.se, edu.mittkoping.se."),
    )
    # OpenID Connect (Entra ID, Google)
    tenant_id = models.CharField(_("tenant ID (directory ID)"), max_length=36, blank=True)
    client_id = models.CharField(_("client ID (application ID)"), max_length=200, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    # SAML: the IdP's metadata, by URL or as an uploaded file (its text is kept)
    metadata_url = models.URLField(_("metadata URL"), max_length=500, blank=True)
    metadata_xml = models.TextField(_("metadata file"), blank=True)
    idp_entity_id = models.CharField(_("IdP entity ID"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["organizer", "kind"], name="sign_in_provider_one_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.organizer}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = f"{self.kind}-{uuid.uuid4().hex[:12]}"
        super().save(*args, **kwargs)

    @property
    def domain_list(self):
        return split_domains(self.domains)

    @property
    def is_oidc(self):
        return self.kind in (self.Kind.ENTRA, self.Kind.GOOGLE)

    @property
    def discovery_override(self):
        """A discovery URL from settings.STEGVIS_SSO_DISCOVERY_OVERRIDES (tests point it at a
        provider on loopback); empty in production."""
        return getattr(settings, "STEGVIS_SSO_DISCOVERY_OVERRIDES", {}).get(self.kind, "")

    @property
    def expected_issuer(self):
        """The ``iss`` an ID token must carry, or "" when the discovery URL is overridden (the
        issuer of the overriding provider's discovery document is then checked by allauth)."""
        if self.discovery_override:
            return ""
        if self.kind == self.Kind.ENTRA:
            return f"{ENTRA_AUTHORITY}/{self.tenant_id}/v2.0"
        return GOOGLE_ISSUER

    @property
    def server_url(self):
        """Where the OpenID configuration is read: the tenant's own authority for Entra, never
        'common'."""
        if self.discovery_override:
            return self.discovery_override
        if self.kind == self.Kind.ENTRA:
            return f"{ENTRA_AUTHORITY}/{self.tenant_id}/v2.0/.well-known/openid-configuration"
        return f"{GOOGLE_ISSUER}/.well-known/openid-configuration"
