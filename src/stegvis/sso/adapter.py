"""The glue to django-allauth: allauth runs the protocols (OpenID Connect code flow with state
and PKCE, the ID token's signature, issuer, audience and expiry; SAML requests, the
assertion's signature, audience, validity and InResponseTo), and hands us the verified result
in ``pre_social_login``. From there ``domain.sign_in`` decides; allauth never creates an account,
a SocialAccount or an EmailAddress (its sign-up is closed, and every social login ends in our
response).
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp

from . import domain, saml, views
from .models import EPPN, MAIL, SignInProvider


class ClosedAccountAdapter(DefaultAccountAdapter):
    """Accounts come only from invitations (docs/accounts.md)."""

    def is_open_for_signup(self, request):
        return False


def social_app(provider):
    """The allauth ``SocialApp`` (unsaved) for one of our providers."""
    if provider.is_oidc:
        return SocialApp(
            provider="openid_connect",
            provider_id=provider.key,
            name=provider.get_kind_display(),
            client_id=provider.client_id,
            secret=provider.client_secret,
            settings={
                "server_url": provider.server_url,
                "oauth_pkce_enabled": True,
                # the ID token carries what we check (tid, hd, email); userinfo adds nothing
                "fetch_userinfo": False,
                "auth_params": {"hd": provider.domain_list[0]}
                if provider.kind == "google" and provider.domains
                else {},
            },
        )
    return SocialApp(
        provider="saml",
        provider_id=provider.key,
        client_id=provider.key,  # the organisation slug of allauth's SAML URLs
        name=provider.get_kind_display(),
        settings={
            "idp": saml.idp_settings(provider),
            "attribute_mapping": {"uid": [EPPN, "eduPersonPrincipalName"], "email": [MAIL, "mail"]},
            "advanced": {
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "strict": True,
            },
        },
    )


class SchoolAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        rows = SignInProvider.objects.with_scopes_disabled().filter(enabled=True).select_related("organizer")
        if provider == "saml":
            rows = rows.filter(kind=SignInProvider.Kind.SAML)
        elif provider == "openid_connect":
            rows = rows.exclude(kind=SignInProvider.Kind.SAML)
        elif provider:
            rows = rows.filter(key=provider)
        if client_id:
            rows = rows.filter(key=client_id)
        return [social_app(row) for row in rows]

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        """The provider has vouched for the person: decide, log in or refuse, and answer."""
        provider = (
            SignInProvider.objects.with_scopes_disabled()
            .select_related("organizer")
            .filter(key=sociallogin.account.provider, enabled=True)
            .first()
        )
        if provider is None:  # switched off while the person was at the provider
            raise ImmediateHttpResponse(views.sign_in_failed(request))
        data = sociallogin.account.extra_data
        if provider.is_oidc:
            claims = data.get("id_token") or {}
            assertion = domain.Assertion(
                subject=str(claims.get("sub", "")),
                # Entra ID sends ``email`` only as an optional claim; the UPN is the address at
                # most schools (still checked against the organiser's domains)
                email=claims.get("email") or (claims.get("preferred_username", "") if provider.kind == "entra" else ""),
                email_verified=claims.get("email_verified"),
                claims=claims,
            )
        else:
            # the raw attributes of the signed assertion: eduPersonPrincipalName and mail
            assertion = domain.Assertion(
                subject=_first(data, EPPN, "eduPersonPrincipalName"),
                email=_first(data, MAIL, "mail"),
                email_verified=True,  # a signed assertion from the organiser's own IdP
                claims={},
            )
        next_url = sociallogin.state.get("next") or ""
        raise ImmediateHttpResponse(
            views.finish_sign_in(request, provider=provider, assertion=assertion, next_url=next_url)
        )

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        raise ImmediateHttpResponse(views.sign_in_failed(request, error=error))


def _first(attributes, *names):
    for name in names:
        values = attributes.get(name) or []
        if values and values[0]:
            return str(values[0])
    return ""
