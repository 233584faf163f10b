from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "stegvis.organisations"
    label = "organisations"
