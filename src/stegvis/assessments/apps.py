from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "stegvis.assessments"
    label = "assessments"
