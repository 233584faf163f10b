from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "stegvis.overview"
    label = "overview"
    verbose_name = _("Overview")

    def ready(self):
        from . import readmodel

        readmodel.connect()
