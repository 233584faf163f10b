from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "stegvis.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self):
        from stegvis.core.mail import register_kind

        register_kind("survey_invitation", _("Survey: a personal link"))
        register_kind("survey_reminder", _("Survey: a reminder"))
        register_kind("custom_survey_invitation", _("Evaluation: a personal link"))

        from stegvis.core.personal_data import register_retention

        from .holdings import RETENTION

        for rule in RETENTION:
            register_retention(rule)

        from stegvis.organisations import door

        from . import domain

        door.cache_purpose(domain.PURPOSE, seconds=domain.LINK_SECONDS)
