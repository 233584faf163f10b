"""Rate limiting per API token: a fixed window of one minute in Django's cache.

``STEGVIS_API_RATE_LIMIT`` requests per token per minute (settings; 0 turns it off). Over the
limit the API answers 429 with ``Retry-After`` (seconds until the window ends). The count lives
in the ``default`` cache: with the default in-process cache each server process counts on its
own, so with N worker processes a token may make up to N times the limit; point ``CACHES`` at a
shared cache (database or Redis) to count across processes. docs/api.md.
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 60  # seconds


def hit(token_id, *, now=None):
    """Count one request of the token. Returns None when allowed, else the seconds to wait."""
    limit = settings.STEGVIS_API_RATE_LIMIT
    if not limit:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    key = f"stegvis-api-rate:{token_id}:{window}"
    if cache.add(key, 1, timeout=WINDOW + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW + 5)
            count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * WINDOW - now + 0.999))
