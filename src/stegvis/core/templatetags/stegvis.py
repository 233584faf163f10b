"""Small template helpers shared by every room."""

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from stegvis.core import levels, numbers
from stegvis.core.i18n import bilingual

register = template.Library()


@register.filter
def index_figure(value):
    """A maturity index figure (0-100) as every page and report writes it: ``{{ v|index_figure }}``."""
    return numbers.figure(value, numbers.INDEX_DIGITS)


@register.filter
def level_figure(value):
    """A mean level (such as an area's average) with one decimal: ``{{ v|level_figure }}``."""
    return numbers.figure(value, numbers.LEVEL_DIGITS)


@register.filter
def tr(obj, field):
    """The Swedish or English text of a bilingual model field: ``{{ indicator|tr:"title" }}``.

    Models store ``<field>_sv`` and ``<field>_en``; English falls back to Swedish when empty.
    """
    return bilingual(obj, field)


@register.filter
def title_for(obj, unit):
    """An indicator's title as ``unit`` reads it: the preschool wording (``preschool_sv`` /
    ``preschool_en``) for a preschool unit where there is one, else the title: ``{{ ind|title_for:unit }}``."""
    if getattr(unit, "is_preschool_only", False):
        value = bilingual(obj, "preschool")
        if value:
            return value
    return tr(obj, "title")


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


_CSS_STRING_UNSAFE = re.compile(r'[\\"\'<>&\x00-\x1f\x7f]')


@register.filter
def css_string(value):
    """Text for inside a double-quoted CSS string in a <style> element (a PDF's running footer):
    backslash, quotes, line breaks and other control characters, and < > & (so no "</style>"
    ends the style sheet) are written as CSS escapes: ``content: "{{ name|css_string }}"``.
    The HTML escaping Django does elsewhere would show up literally here, so none is done."""
    return mark_safe(_CSS_STRING_UNSAFE.sub(lambda m: f"\\{ord(m.group(0)):x} ", str(value)))


@register.filter
def person(user):
    """Who did something, as pages show it: the name, or "deleted user" where the person was
    erased (their authorship stays, anonymous; docs/privacy.md): ``{{ answer.updated_by|person }}``."""
    if user is None:
        return _("deleted user")
    return user.display_name


@register.simple_tag(takes_context=True)
def slot(context, name, **kwargs):
    """What higher rooms show in the page's slot ``name`` (``core.slots``), given the request."""
    from stegvis.core import slots

    return slots.render(name, request=context.get("request"), **kwargs)
