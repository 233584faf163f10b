"""The WSGI application with a short middleware chain for the hottest anonymous pages.

A survey's answer pages (``/t/<token>/survey/...``) take hundreds of submissions a second and
need no session, account, login lockout or flash message: the token door runs them as nobody
(``organisations.middleware``). ``application`` serves the paths matching
``settings.STEGVIS_SHORT_CHAIN_PATHS`` through a second handler whose chain is ``MIDDLEWARE``
without ``settings.STEGVIS_SHORT_CHAIN_SKIPS``, and everything else through the full chain. A
middleware added later is in both chains unless it is named in the skips, so the short chain
keeps every header and check (security headers, CSP, language, CSRF cookie, control characters,
tenancy). ``tests/test_short_chain.py`` compares what both chains answer.
"""

import re

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler


class ShortChainHandler(WSGIHandler):
    """A WSGI handler whose middleware is ``MIDDLEWARE`` less ``STEGVIS_SHORT_CHAIN_SKIPS``."""

    def load_middleware(self, is_async=False):
        # Django's own loader reads settings.MIDDLEWARE; give it the short list while it builds
        # this handler's chain (once, at start-up, before any request is served).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = short_chain()
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def short_chain():
    skips = set(settings.STEGVIS_SHORT_CHAIN_SKIPS)
    return [path for path in settings.MIDDLEWARE if path not in skips]


class Router:
    """Sends requests whose path matches ``pattern`` to ``short``, the rest to ``full``."""

    def __init__(self, full, short, pattern):
        self.full, self.short, self.pattern = full, short, re.compile(pattern)

    def __call__(self, environ, start_response):
        if self.pattern.match(environ.get("PATH_INFO", "")):
            return self.short(environ, start_response)
        return self.full(environ, start_response)


def application():
    """The project's WSGI application (``stegvis.wsgi``)."""
    import django

    django.setup(set_prefix=False)
    # The URL configuration (every app's urls.py and views) imported now rather than by each
    # worker's first request: with gunicorn's preload_app the workers fork with it loaded, so a
    # worker replaced after max_requests answers its first submission without importing.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    full = WSGIHandler()
    if not settings.STEGVIS_SHORT_CHAIN_PATHS:
        return full
    return Router(full, ShortChainHandler(), settings.STEGVIS_SHORT_CHAIN_PATHS)
