"""Login and password forms: Django's, with our labels, messages and domain functions."""

import time

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stegvis.core import mail
from stegvis.core.forms import TextChecksMixin

from . import domain

PASSWORD_HELP = _(
    "At least 10 characters. Not only digits, not a common password, and not like your name or e-mail address. "
    "A few words in a row are easy to remember."
)
RESET_MAIL_EVERY = 15 * 60  # at most one reset mail per account in this many seconds


class LoginForm(TextChecksMixin, auth_forms.AuthenticationForm):
    """E-mail and password; the address is matched in any case (the account stores it lower-cased)."""

    username = auth_forms.UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is not active. Ask your organiser's administrator."),
    }


class _NewPasswordMixin:
    def _tidy_password_fields(self):
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("The new password again")
        self.fields["new_password2"].help_text = ""


class PasswordChangeForm(TextChecksMixin, _NewPasswordMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self._tidy_password_fields()
        self.fields["old_password"].label = _("Current password")

    def save(self, commit=True):
        return domain.set_password(
            user=self.user, password=self.cleaned_data["new_password1"], how="changed", request=self.request
        )


class SetPasswordForm(TextChecksMixin, _NewPasswordMixin, auth_forms.SetPasswordForm):
    """The new password chosen through a reset link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tidy_password_fields()

    def save(self, commit=True):
        return domain.set_password(user=self.user, password=self.cleaned_data["new_password1"], how="reset")


class PasswordResetForm(TextChecksMixin, auth_forms.PasswordResetForm):
    """Asks for the address; mails a reset link through ``core.mail`` (recorded like every mail).

    Says the same whether or not an account has the address (Django's view does), and sends
    at most one mail per account every RESET_MAIL_EVERY seconds, so the form cannot be used to
    flood somebody's inbox.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, *args, request=None, **kwargs):
        self._request = request
        return super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        user = context["user"]
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        url = mail.absolute_url(path, getattr(self, "_request", None))
        mail.send(
            to_email=user.email,
            to_user=user,
            kind="password_reset",
            subject=_("Choose a new password for Stegvis"),
            template="accounts/mail/password_reset",
            context={"user": user, "url": url, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
            language=user.language,
            why=_(
                "You receive this message because someone asked for a new password for the Stegvis account "
                "with this address. If it was not you, ignore it: your password stays as it is."
            ),
            dedupe_key=f"password_reset:{user.pk}:{int(time.time() // RESET_MAIL_EVERY)}",
            secret=path,
        )


class CodeForm(TextChecksMixin, forms.Form):
    """A code from the authenticator app (or, when logging in, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, check, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        if recovery:
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows for Stegvis, or one of your recovery codes."
            )
            self.fields["code"].widget.attrs.pop("inputmode")
        else:
            self.fields["code"].help_text = _("The six digits your authenticator app shows for Stegvis.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        self.result = self.check(code)
        if not self.result:
            raise forms.ValidationError(_("The code is wrong or has been used. Try the next code the app shows."))
        return code
