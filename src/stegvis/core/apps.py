from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stegvis.core"
    label = "core"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks: the schedule, mail)
            holdings,
            personal_data,
        )

        for holder in holdings.HOLDERS:
            personal_data.register_holder(holder)
        for rule in holdings.RETENTION:
            personal_data.register_retention(rule)
