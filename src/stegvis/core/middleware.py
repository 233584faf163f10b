import time

from django.http import QueryDict
from django.shortcuts import render

from .text import has_control_character, remove_control_characters


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: no inline scripts, nothing from other origins."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        return response


class LanguageMiddleware:
    """Swedish unless the user chose English (the language cookie set by /i18n/setlang/).

    The browser's Accept-Language is deliberately ignored: the product speaks Swedish by
    default, also on an English-language computer in a Swedish school.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class SlidingSessionMiddleware:
    """Keep a session alive while it is used, writing it at most once per ``REFRESH`` seconds.

    ``SESSION_SAVE_EVERY_REQUEST`` would do the same with a database write on every request
    (every autosave of an answer); this marks the session modified only when its last refresh
    is older than ``REFRESH``, so SessionMiddleware saves it then and extends cookie and row.
    """

    REFRESH = 3600
    KEY = "_stegvis_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH:
                session[self.KEY] = now
        return response


class ControlCharacterMiddleware:
    """A query string with a control character (``?q=%00``) gets a 400 page in the user's language.

    Query strings feed searches and filters; a control character in one is never meant (and NUL
    makes PostgreSQL refuse the query). The page names the parameters and links to the same
    address without the characters. Posted forms are checked field by field instead
    (``core.forms``), so that the message sits at the field and nothing typed is lost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = [
            key
            for key, values in request.GET.lists()
            if has_control_character(key) or any(has_control_character(v) for v in values)
        ]
        if not bad:
            return self.get_response(request)
        cleaned = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            cleaned.setlist(remove_control_characters(key), [remove_control_characters(v) for v in values])
        query = cleaned.urlencode()
        return render(
            request,
            "core/bad_characters.html",
            {
                "parameters": [remove_control_characters(key) for key in bad],
                # "/" + the path without leading (back)slashes: never a link to "//another.host/"
                "clean_url": "/" + request.path.lstrip("/\\") + (f"?{query}" if query else ""),
            },
            status=400,
        )
