from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "stegvis.organisations"
    label = "organisations"

    def ready(self):
        from stegvis.core.personal_data import register_holder

        from .holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
        from stegvis.core.mail import register_kind

        register_kind("invitation", _("Invitation"))
        register_kind("email_change", _("Confirmation of a new e-mail address"))
        register_kind("email_changed", _("Notice of a changed e-mail address"))
