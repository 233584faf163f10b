from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "stegvis.assessments"
    label = "assessments"

    def ready(self):
        from stegvis.organisations.access import provide_assessor_groups

        from .perspectives import assessor_groups_of

        provide_assessor_groups(assessor_groups_of)
