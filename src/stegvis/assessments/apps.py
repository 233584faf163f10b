from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "stegvis.assessments"
    label = "assessments"

    def ready(self):
        from stegvis.core.personal_data import register_holder

        from .holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
        from stegvis.organisations.access import provide_assessor_groups

        from .perspectives import assessor_groups_of

        provide_assessor_groups(assessor_groups_of)
