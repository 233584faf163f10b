from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "stegvis.insights"
    label = "insights"
