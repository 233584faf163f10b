"""Small template helpers shared by every room."""

from django import template

from stegvis.core.i18n import bilingual

register = template.Library()


@register.filter
def tr(obj, field):
    """The Swedish or English text of a bilingual model field: ``{{ indicator|tr:"title" }}``.

    Models store ``<field>_sv`` and ``<field>_en``; English falls back to Swedish when empty.
    """
    return bilingual(obj, field)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for sort and page links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
