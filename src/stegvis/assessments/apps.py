from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "stegvis.assessments"
    label = "assessments"

    def ready(self):
        from stegvis.core.personal_data import register_holder

        from .holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
