"""Small template helpers shared by every room."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from stegvis.core import levels

register = template.Library()


@register.filter
def tr(obj, field):
    """The Swedish or English text of a bilingual model field: ``{{ indicator|tr:"title" }}``.

    Models store ``<field>_sv`` and ``<field>_en``; English falls back to Swedish when empty.
    """
    lang = (get_language() or "sv")[:2]
    if lang == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_sv", "")


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


@register.simple_tag
def level_css():
    """The level colour rules (``core.levels``) for a page's own <style>: the PDFs, which are
    rendered by WeasyPrint and never served, so the strict CSP of served pages does not apply."""
    return mark_safe(levels.css())
