"""How a value of a person's data export reads on the page and in the PDF."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def export_value(value):
    """yes/no, – for nothing, an ISO time as local "YYYY-MM-DD HH:MM", anything else as it is."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment.tzinfo else value[:16].replace("T", " ")
    return value
