from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "stegvis.goals"
    label = "goals"
    verbose_name = _("Goals")

    def ready(self):
        # certification on the unit page and in the grid (core.slots; docs/goals.md)
        from stegvis.core import slots

        from . import certification_views

        slots.provide("unit_page", certification_views.unit_panel)
        slots.provide("grid_units", certification_views.grid_marks)
        # who defined a rule or chose the council indicator (GDPR export and erasure)
        from stegvis.core.personal_data import register_holder

        from .certification_holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
