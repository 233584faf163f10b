from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "stegvis.planning"
    label = "planning"
