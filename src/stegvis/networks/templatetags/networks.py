from django import template

from ..formatting import render_minutes

register = template.Library()


@register.filter
def minutes_html(text):
    """Minutes text as safe HTML (``networks.formatting``)."""
    return render_minutes(text)
