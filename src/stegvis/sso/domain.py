"""Signing in with a school account, and an organiser's provider settings. docs/sso.md.

``sign_in`` is the whole rule: the provider's answer must belong to the organiser (Entra's
tenant, Google's ``hd``, the organiser's e-mail domains), and it signs in only an account that
already exists, is active and belongs to the organiser (a role there, or an invitation from it
waiting). It never creates an account and never grants a role.
"""

import dataclasses

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.accounts.models import Identity, normalize_email
from stegvis.core.models import record
from stegvis.organisations.access import belongs_to

from .models import ENTRA_SHARED_TENANTS, SignInProvider

User = get_user_model()


@dataclasses.dataclass(frozen=True)
class Assertion:
    """What the provider vouched for, after allauth verified the token or assertion."""

    subject: str  # OIDC ``sub``; SAML eduPersonPrincipalName
    email: str
    email_verified: object  # True, False, or None when the provider does not say
    claims: dict  # the ID token's claims (OIDC)


@dataclasses.dataclass(frozen=True)
class Outcome:
    user: object = None
    reason: str = ""  # why not, for the page: "provider", "email", "no_account"
    linked: bool = False


def _truthy(value):
    return value is True or str(value).lower() in {"true", "1"}


def provider_problem(provider, assertion):
    """Why the answer does not belong to the provider's organiser, or "" when it does."""
    claims = assertion.claims
    if not assertion.subject:
        return "subject"
    if provider.kind == SignInProvider.Kind.ENTRA:
        if str(claims.get("tid", "")).lower() != provider.tenant_id.lower():
            return "tenant"
        if provider.expected_issuer and claims.get("iss") != provider.expected_issuer:
            return "issuer"
    if provider.kind == SignInProvider.Kind.GOOGLE:
        if str(claims.get("hd", "")).lower() not in provider.domain_list:
            return "hd"
        if provider.expected_issuer and claims.get("iss") not in {provider.expected_issuer, "accounts.google.com"}:
            return "issuer"
    return ""


def verified_email(provider, assertion):
    """The person's address when the provider vouches for it and it is in one of the organiser's
    domains, else "".

    Google and other OpenID providers say so with ``email_verified``. Entra ID sends no such
    claim by default: an address from the organiser's own tenant (checked above) in the
    organiser's domains counts, as does ``xms_edov``. A SAML assertion signed by the organiser's
    IdP counts too; its ``mail`` must still be in the organiser's domains."""
    email = normalize_email(assertion.email)
    if not email or "@" not in email or email.rsplit("@", 1)[1] not in provider.domain_list:
        return ""
    if provider.kind == SignInProvider.Kind.ENTRA:
        said = assertion.claims.get("email_verified", assertion.claims.get("xms_edov"))
        return email if said is None or _truthy(said) else ""
    return email if _truthy(assertion.email_verified) else ""


@transaction.atomic
def sign_in(*, provider, assertion):
    """Find the account the provider's answer belongs to, linking it on the first sign-in.

    Side effects: on a first sign-in an ``accounts.Identity`` (provider key, subject) and the
    audit event ``sso.linked``; ``Identity.last_used_at``; the audit event ``sso.signed_in``, or
    ``sso.refused`` (with the reason, no address) when nobody is signed in. The caller logs the
    user in."""
    organizer = provider.organizer
    problem = provider_problem(provider, assertion)
    if problem:
        record(organizer=organizer, actor=None, verb="sso.refused", obj=provider, summary=problem)
        return Outcome(reason="provider")
    identity = Identity.objects.select_related("user").filter(provider=provider.key, subject=assertion.subject).first()
    linked = False
    if identity is not None:
        user = identity.user
    else:
        email = verified_email(provider, assertion)
        if not email:
            record(organizer=organizer, actor=None, verb="sso.refused", obj=provider, summary="email")
            return Outcome(reason="email")
        user = User.objects.filter(email=email).first()
        if user is not None and user.is_active and belongs_to(user=user, organizer=organizer):
            identity = Identity.objects.create(user=user, provider=provider.key, subject=assertion.subject)
            record(
                organizer=organizer, actor=user, verb="sso.linked", obj=identity, summary=provider.get_kind_display()
            )
            linked = True
    if identity is None or not user.is_active or not belongs_to(user=user, organizer=organizer):
        record(organizer=organizer, actor=None, verb="sso.refused", obj=provider, summary="no_account")
        return Outcome(reason="no_account")
    identity.last_used_at = timezone.now()
    identity.save(update_fields=["last_used_at"])
    record(organizer=organizer, actor=user, verb="sso.signed_in", obj=user, summary=provider.get_kind_display())
    return Outcome(user=user, linked=linked)


# ---- settings of an organiser's providers ------------------------------------------------------


class ConfigError(ValueError):
    pass


def check_tenant_id(value):
    """A tenant is a GUID; the shared aliases (common, organizations, consumers) are refused."""
    import uuid

    value = (value or "").strip().lower()
    if value in ENTRA_SHARED_TENANTS:
        raise ConfigError(
            _("“%(value)s” lets anyone with a Microsoft account sign in. Enter your own tenant ID (a GUID).")
            % {"value": value}
        )
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ConfigError(
            _("A tenant ID looks like 72f988bf-86f1-41af-91ab-2d7cd011db47 (Entra admin centre, Overview).")
        ) from None


@transaction.atomic
def save_provider(*, provider, by, fields, metadata_file_text=None):
    """Store an organiser admin's settings for one provider (new or changed).

    ``fields`` are the form's cleaned values; an empty ``client_secret`` keeps the stored one;
    ``metadata_file_text``, when given, replaces the stored SAML metadata file (and clears the URL);
    the form has read the metadata already (``saml.read_metadata``) and filled ``idp_entity_id``.
    Side effects: the SignInProvider row; the audit event ``sso.configured`` (which fields
    changed, never a secret's value)."""
    changed = []
    for name, value in fields.items():
        if name == "client_secret" and not value:
            continue
        if getattr(provider, name) != value:
            setattr(provider, name, value)
            changed.append(name)
    if metadata_file_text is not None:
        provider.metadata_xml = metadata_file_text
        provider.metadata_url = ""
        changed.append("metadata_xml")
    elif provider.metadata_url:
        provider.metadata_xml = ""
    provider.updated_by = by
    provider.save()
    record(organizer=provider.organizer, actor=by, verb="sso.configured", obj=provider, summary=", ".join(changed))
    return provider
