from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "stegvis.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from stegvis.core.personal_data import register_holder
        from stegvis.organisations.access import provide_network_roles

        from .holdings import HOLDERS
        from .queries import network_roles_of

        provide_network_roles(network_roles_of)
        for holder in HOLDERS:
            register_holder(holder)
