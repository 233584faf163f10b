from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "stegvis.cycles"
    label = "cycles"
    verbose_name = _("Rounds")

    def ready(self):
        from . import domain

        domain.connect()
