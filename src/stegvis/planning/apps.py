from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "stegvis.planning"
    label = "planning"

    def ready(self):
        from stegvis.core.personal_data import register_holder

        from .holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
