from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "stegvis.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from stegvis.core import mail

        from . import kinds, tokens

        for kind, label in kinds.LABELS.items():
            mail.register_kind(kind, label, headers=tokens.unsubscribe_headers)
