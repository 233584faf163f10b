"""System checks of the platform (``manage.py check`` and at every start of the server)."""

from django.conf import settings
from django.core.checks import Warning, register

from .mail import records_only


@register()
def mail_is_sent(app_configs, **kwargs):
    if settings.DEBUG or not records_only():
        return []
    return [
        Warning(
            "No STEGVIS_EMAIL_HOST is set: e-mails (invitations, password resets) are recorded but not sent.",
            hint="Set STEGVIS_EMAIL_HOST and the other STEGVIS_EMAIL_* variables (docs/accounts.md).",
            id="stegvis.W001",
        )
    ]
