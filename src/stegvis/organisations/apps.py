from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "stegvis.organisations"
    label = "organisations"

    def ready(self):
        from stegvis.core.mail import register_kind

        register_kind("invitation", _("Invitation"))
