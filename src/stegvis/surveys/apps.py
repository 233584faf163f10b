from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "stegvis.surveys"
    label = "surveys"
    verbose_name = "Surveys"
