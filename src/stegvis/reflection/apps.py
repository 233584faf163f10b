from django.apps import AppConfig


class ReflectionConfig(AppConfig):
    name = "stegvis.reflection"
    verbose_name = "Self-reflection"

    def ready(self):
        # The framework file's `self_reflection:` key is ours (frameworks.loader.register_section).
        from stegvis.frameworks import loader

        from . import questionnaire

        loader.register_section(questionnaire.KEY, check=questionnaire.check, load=questionnaire.load)
