from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stegvis.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from stegvis.core.mail import register_kind

        from . import throttling  # noqa: F401 - connects the lockout audit event

        register_kind("password_reset", _("Password reset"))
        register_kind("password_changed", _("Password changed"))
