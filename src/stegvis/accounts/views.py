"""Login, logout, password change and password reset: Django's views with our forms and pages."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from stegvis.core.models import record

from . import forms
from . import second_factor as sf


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """The login page saying the login is locked (AXES_LOCKOUT_CALLABLE), with the address kept."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = forms.LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked_out": _(
            "Too many failed attempts: logging in is blocked for %(minutes)s minutes, for this account and "
            "from this network. Try again later, or choose a new password with “Forgot your password?”."
        )
        % {"minutes": minutes},
    }
    return render(request, "accounts/login.html", context, status=429)


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---- the second factor (docs/sso.md) --------------------------------------------------------------


def _next(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(uri):
    """The otpauth address as an SVG QR code (a data: URL, so the strict CSP holds)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def second_factor_setup(request):
    """Set up (or replace) the authenticator app: a new secret as a QR code and as text; the
    app's first code confirms it, and the recovery codes are shown once, on the answer page.
    Replacing an app needs a finished login: a session still waiting for its code goes there."""
    if request.session.get(sf.PENDING) and sf.has_second_factor(request.user):
        return redirect("second_factor_verify")
    secret = request.session.get(sf.SETUP_SECRET)
    if request.method != "POST" or not secret:
        secret = sf.new_secret()
        request.session[sf.SETUP_SECRET] = secret
    form = forms.CodeForm(
        request.POST if request.method == "POST" else None,
        check=lambda code: sf.check_setup_code(secret=secret, code=code),
    )
    if request.method == "POST" and form.is_valid():
        codes = sf.enable(user=request.user, secret=secret)
        del request.session[sf.SETUP_SECRET]
        request.session.pop(sf.PENDING, None)
        request.session.cycle_key()
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request), "new": True})
    uri = sf.provisioning_uri(secret=secret, user=request.user)
    context = {
        "form": form,
        "qr": _qr_svg(uri),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "replacing": sf.has_second_factor(request.user),
        "required": bool(request.session.get(sf.PENDING)),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


@login_required
def second_factor_verify(request):
    """The second step of a password login: a code from the app, or a recovery code. After
    MAX_FAILURES wrong codes the session ends (the password, throttled by axes, comes first again)."""
    if not request.session.get(sf.PENDING):
        return redirect(_next(request))
    if not sf.has_second_factor(request.user):
        return redirect("second_factor_setup")
    user = request.user
    form = forms.CodeForm(
        request.POST if request.method == "POST" else None,
        check=lambda code: sf.verify(user=user, code=code),
        recovery=True,
    )
    if request.method == "POST":
        if form.is_valid():
            request.session.pop(sf.PENDING, None)
            request.session.pop(sf.FAILURES, None)
            request.session.cycle_key()
            record(organizer=None, actor=user, verb="second_factor.passed", obj=user, summary=form.result)
            if form.result == "recovery":
                left = sf.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s left. Make new ones under Two-step login.") % {"left": left},
                )
            return redirect(_next(request))
        failures = request.session.get(sf.FAILURES, 0) + 1
        request.session[sf.FAILURES] = failures
        if failures >= sf.MAX_FAILURES:
            record(organizer=None, actor=user, verb="second_factor.failed", obj=user, summary=str(failures))
            logout(request)
            messages.error(request, _("Too many wrong codes. Log in again."))
            return redirect("login")
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def second_factor(request):
    """The account's two-step login: whether it is on, recovery codes left, new codes, a new app."""
    user = request.user
    enabled = sf.has_second_factor(user)
    form = forms.CodeForm(
        request.POST if request.method == "POST" else None,
        check=lambda code: sf.verify(user=user, code=code) == "totp",
    )
    if request.method == "POST" and enabled and form.is_valid():
        codes = sf.new_recovery_codes(user=user)
        return render(
            request, "accounts/recovery_codes.html", {"codes": codes, "next": resolve_url(settings.LOGIN_REDIRECT_URL)}
        )
    context = {"enabled": enabled, "form": form, "left": sf.recovery_codes_left(user) if enabled else 0}
    return render(request, "accounts/second_factor.html", context)
