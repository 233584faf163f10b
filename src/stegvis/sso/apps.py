from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "stegvis.sso"
    label = "sso"
    verbose_name = _("Sign-in with school accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import second_factor

        user_logged_in.connect(second_factor.on_login, dispatch_uid="stegvis.sso.second_factor")
