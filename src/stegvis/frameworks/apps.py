from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "stegvis.frameworks"
    label = "frameworks"
