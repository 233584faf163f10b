"""The two languages of the interface and of bilingual content, in one place.

The interface is Swedish unless English is chosen; content (frameworks: areas, indicators,
levels, activities) stores ``<field>_sv`` and ``<field>_en``, and English falls back to Swedish
where the English text is empty. Every room asks these helpers; the ``tr`` template filter
(``core.templatetags.stegvis``) is ``bilingual`` for templates.
"""

from django.utils.translation import get_language


def ui_language(code=None):
    """``"en"`` or ``"sv"``: English for any English code ("en", "en-gb"), else Swedish.

    ``code`` is a language code (``request.LANGUAGE_CODE``, a job's saved language); without one,
    the active language of this request or job.
    """
    if code is None:
        code = get_language()
    return "en" if (code or "sv").startswith("en") else "sv"


def pick(sv, en, lang=None):
    """The English text when English is asked for and there is one, else the Swedish."""
    return en if en and ui_language(lang) == "en" else sv


def bilingual(obj, field, lang=None):
    """``obj.<field>_en`` or ``obj.<field>_sv`` by ``pick``: ``bilingual(indicator, "title", lang)``.

    A missing attribute counts as empty text.
    """
    return pick(getattr(obj, f"{field}_sv", ""), getattr(obj, f"{field}_en", ""), lang)
