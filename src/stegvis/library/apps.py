from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "stegvis.library"
    label = "library"

    def ready(self):
        from stegvis.core.personal_data import register_holder

        from .holdings import HOLDERS

        for holder in HOLDERS:
            register_holder(holder)
