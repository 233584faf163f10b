"""Pages of the school-account sign-in: the choice of organiser and its providers on the login
side, the answer after the provider (signed in, or refused with a reason), and the organiser
admin's settings under /<organiser>/organisation/sign-in/. Thin: ``domain`` decides."""

import urllib.parse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core.middleware import SecurityHeadersMiddleware
from stegvis.organisations.models import Organizer

from . import domain, forms, saml
from .models import SignInProvider
from .second_factor import SSO_LOGIN


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _enabled(organizer):
    return list(SignInProvider.objects.with_scopes_disabled().filter(organizer=organizer, enabled=True))


def choose(request):
    """Log in with a school account: find the organiser by its short name or the domain of an
    e-mail address, then show its providers."""
    form = forms.ChooseOrganizerForm(request.GET if "who" in request.GET else None)
    not_found = False
    if form.is_valid():
        who = form.cleaned_data["who"].strip().lower()
        if "@" in who:
            domain_part = who.rsplit("@", 1)[1]
            rows = SignInProvider.objects.with_scopes_disabled().filter(enabled=True).select_related("organizer")
            match = next(
                (p.organizer for p in rows.filter(domains__icontains=domain_part) if domain_part in p.domain_list), None
            )
        else:
            match = Organizer.objects.filter(slug=who, sign_in_providers__enabled=True).distinct().first()
        if match is not None:
            url = reverse("sso_providers", kwargs={"slug": match.slug})
            nxt = request.GET.get("next", "")
            return redirect(f"{url}?{urlencode({'next': nxt})}" if nxt else url)
        not_found = True
    return render(
        request, "sso/choose.html", {"form": form, "not_found": not_found, "next": request.GET.get("next", "")}
    )


def providers(request, slug):
    """The organiser's school-account buttons (each a POST to allauth's login URL)."""
    organizer = Organizer.objects.filter(slug=slug).first()
    rows = _enabled(organizer) if organizer else []
    if not rows:
        raise Http404
    buttons = []
    for p in rows:
        url = (
            reverse("openid_connect_login", kwargs={"provider_id": p.key})
            if p.is_oidc
            else reverse("saml_login", kwargs={"organization_slug": p.key})
        )
        buttons.append({"url": url, "label": LABELS[p.kind], "kind": p.kind})
    context = {"org": organizer, "buttons": buttons, "next": request.GET.get("next", "")}
    response = render(request, "sso/providers.html", context)
    # The buttons' POST is answered with a redirect to the provider: the CSP's form-action must
    # name the provider's origin too, or the browser stops there.
    origins = sorted({o for p in rows for o in _login_origins(p)})
    response.headers["Content-Security-Policy"] = SecurityHeadersMiddleware.POLICY.replace(
        "form-action 'self'", " ".join(["form-action 'self'", *origins])
    )
    return response


def _origin(url):
    parts = urllib.parse.urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def _login_origins(provider):
    """Where a login with this provider sends the browser: the OpenID authorisation endpoint's
    origin (the discovery URL's for a provider on loopback), the IdP's single sign-on service."""
    if provider.is_oidc:
        return [o for o in [_origin(provider.server_url)] if o]
    try:
        idp = saml.idp_settings(provider)
        if "sso_url" not in idp:
            from allauth.socialaccount.providers.saml.utils import fetch_metadata_url_config

            idp = {"sso_url": fetch_metadata_url_config(idp)["idp"]["singleSignOnService"]["url"]}
    except Exception:  # unreadable metadata: the login fails at allauth with its own page
        return []
    return [o for o in [_origin(idp["sso_url"])] if o]


LABELS = {
    SignInProvider.Kind.ENTRA: gettext_lazy("Log in with Microsoft (school account)"),
    SignInProvider.Kind.GOOGLE: gettext_lazy("Log in with Google (school account)"),
    SignInProvider.Kind.SAML: gettext_lazy("Log in with the school's login service (Skolfederation)"),
}


def finish_sign_in(request, *, provider, assertion, next_url):
    """After the provider: log the person in, or say plainly why not (HTTP 403)."""
    outcome = domain.sign_in(provider=provider, assertion=assertion)
    if outcome.user is None:
        return render(request, "sso/refused.html", {"reason": outcome.reason, "org": provider.organizer}, status=403)
    setattr(request, SSO_LOGIN, True)
    login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["stegvis_sign_in"] = provider.key
    if outcome.linked:
        messages.success(request, _("Your school account is now linked to your Stegvis account."))
    return redirect(_safe_next(request, next_url))


def sign_in_failed(request, *, error=None):
    """The provider's answer could not be verified, or the person cancelled at the provider."""
    return render(request, "sso/failed.html", {"cancelled": str(error) == "cancelled"}, status=400)


# ---- the organiser admin's settings ------------------------------------------------------------


def _manage(request):
    request.access.require(request.access.can_manage_sso)


def provider_list(request):
    _manage(request)
    stored = {p.kind: p for p in SignInProvider.objects.filter(organizer=request.organizer)}
    kinds = [
        {"kind": kind, "label": label, "provider": stored.get(kind)} for kind, label in SignInProvider.Kind.choices
    ]
    return render(request, "sso/provider_list.html", {"kinds": kinds})


def provider_edit(request, kind):
    _manage(request)
    if kind not in SignInProvider.Kind.values:
        raise Http404
    provider = SignInProvider.objects.filter(organizer=request.organizer, kind=kind).first() or SignInProvider(
        organizer=request.organizer, kind=kind
    )
    form = forms.ProviderForm(
        request.POST if request.method == "POST" else None, request.FILES or None, instance=provider
    )
    if request.method == "POST" and form.is_valid():
        domain.save_provider(
            provider=provider, by=request.user, fields=form.domain_fields(), metadata_file_text=form.metadata_text
        )
        messages.success(request, _("Saved."))
        return redirect("sso_provider_list", organizer_slug=request.organizer.slug)
    context = {
        "form": form,
        "provider": provider,
        "kind_label": provider.get_kind_display(),
        **_addresses(request, provider),
    }
    return render(request, "sso/provider_edit.html", context)


def _addresses(request, provider):
    """What the admin registers at the provider: the redirect URI (OIDC), or the SP's entity ID,
    ACS and metadata (SAML). Known once the row exists (its key is in them)."""
    if not provider.key:
        return {}
    if provider.is_oidc:
        return {
            "redirect_uri": request.build_absolute_uri(
                reverse("openid_connect_callback", kwargs={"provider_id": provider.key})
            )
        }
    metadata = request.build_absolute_uri(reverse("saml_metadata", kwargs={"organization_slug": provider.key}))
    return {
        "sp_entity_id": metadata,
        "sp_metadata": metadata,
        "acs_url": request.build_absolute_uri(reverse("saml_acs", kwargs={"organization_slug": provider.key})),
    }
