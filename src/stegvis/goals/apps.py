from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "stegvis.goals"
    label = "goals"
    verbose_name = _("Goals")

    def ready(self):
        # certification on the unit page and in the grid (core.slots; docs/goals.md)
        from stegvis.core import slots
        from stegvis.core.personal_data import register_holder

        from . import certification_holdings, certification_views, holdings

        slots.provide("unit_page", certification_views.unit_panel)
        slots.provide("grid_units", certification_views.grid_marks)
        # measurable goals on a competence-development initiative (docs/development.md)
        from . import initiatives, plan_views

        slots.provide("initiative_goals", initiatives.initiative_panel)
        slots.provide("initiative_report", initiatives.initiative_report)
        # the unit's local digital plan on the unit page (docs/digital-plans.md)
        slots.provide("unit_page", plan_views.unit_panel)
        # who defined a rule, chose the council indicator, drafted or adopted a plan, owns a
        # central action (GDPR export and erasure)
        HOLDERS = [*certification_holdings.HOLDERS, *holdings.HOLDERS]

        for holder in HOLDERS:
            register_holder(holder)
        # certification's plan condition: an adopted local digital plan (docs/goals.md)
        from django.utils.translation import gettext_lazy

        from . import certification, plans

        certification.register_plan_check(
            key="adopted_plan",
            label=gettext_lazy("The unit has an adopted local digital plan for the round's school year"),
            passing=plans.units_with_adopted_plan,
            signature=plans.adopted_plan_signature,
        )
