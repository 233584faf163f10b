from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "stegvis.exports"
    label = "exports"
    verbose_name = _("Exports")

    def ready(self):
        from stegvis.core.personal_data import register_holder

        from .holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
