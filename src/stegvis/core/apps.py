from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stegvis.core"
    label = "core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the schedule's system check)
