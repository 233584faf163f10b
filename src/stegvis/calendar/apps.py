from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "stegvis.calendar"
    label = "calendar"
    verbose_name = _("Calendar")

    def ready(self):
        from . import sources

        sources.register_builtin()
