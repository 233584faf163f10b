"""The token door: ``/t/<token>/...`` into one organiser for people without an account.

A view behind the door declares the purposes it accepts with ``@door.accepts("survey")``; the
tenancy middleware (``organisations.middleware``) resolves the token, refuses a token whose
purpose the view does not accept, and runs the view inside the token's organiser with
``request.access`` a ``TokenAccess``. Unknown, malformed, expired and revoked tokens and
undeclared views all get the same 404 as any unknown address. docs/tenancy.md shows how a
feature plugs in.
"""

import functools
import hmac
import re
import secrets
import time

from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import AccessToken

SELECTOR = AccessToken.SELECTOR_LENGTH
TOKEN_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{SELECTOR + 43}}}")
PURPOSE_PATTERN = re.compile(r"[a-z][a-z0-9_.-]{0,39}")
# Compared against when no token has the selector, so that an unknown token costs the same work.
_NO_DIGEST = AccessToken.digest_of("")


def new_token():
    """A fresh token (59 URL-safe characters: a 16-character selector, 256 random bits)."""
    return secrets.token_urlsafe(12) + secrets.token_urlsafe(32)


def split(token):
    """(selector, digest of the secret part) of a token as stored."""
    return token[:SELECTOR], AccessToken.digest_of(token[SELECTOR:])


# Tokens of these purposes are kept per process for so many seconds after a lookup
# (``cache_purpose``), for doors that take many requests a second (a survey's public link): a
# revocation reaches such a door within that time, so a feature that caches must check what
# matters in the database where it writes (the survey's INSERT checks the token, see
# surveys.domain.submit). Other purposes are looked up on every request.
_CACHED_PURPOSES = {}
_CACHE = {}
_CACHE_MAX = 20000


def cache_purpose(purpose, *, seconds):
    """Let tokens of ``purpose`` be kept per process for ``seconds`` (see ``_CACHED_PURPOSES``)."""
    if not PURPOSE_PATTERN.fullmatch(purpose):
        raise ValueError(f"Token purposes are short lower-case names, got {purpose!r}")
    _CACHED_PURPOSES[purpose] = seconds


def forget(selector=None):
    """Drop a token (all tokens without ``selector``) from this process's cache."""
    if selector is None:
        _CACHE.clear()
    else:
        _CACHE.pop(selector, None)


def _lookup(selector):
    hit = _CACHE.get(selector)
    clock = time.monotonic()
    if hit is not None and hit[1] > clock:
        return hit[0]
    with scopes_disabled():
        row = AccessToken.objects.select_related("organizer").filter(selector=selector).first()
    seconds = _CACHED_PURPOSES.get(row.purpose) if row is not None else None
    if seconds:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[selector] = (row, clock + seconds)
    return row


def resolve(token, *, now=None):
    """The AccessToken for a token from a URL, with its organiser, or None when it is malformed,
    unknown, revoked or expired. The secret part is compared in constant time (``hmac``),
    also when no row has the selector. Tokens of a purpose in ``cache_purpose`` may come from
    this process's cache (revoked in this process: dropped at once, ``revoke_token``)."""
    well_formed = isinstance(token, str) and TOKEN_PATTERN.fullmatch(token) is not None
    selector, digest = split(token if well_formed else "")
    row = None
    if well_formed:
        row = _lookup(selector)
    matches = hmac.compare_digest(row.digest if row is not None else _NO_DIGEST, digest)
    if row is None or not matches or not row.is_valid_at(now or timezone.now()):
        return None
    return row


def accepts(*purposes):
    """Declare that a view is reached through the token door by tokens of these purposes.

    The middleware reads the declaration; the view itself also refuses (404) a request that did
    not come through the door with one of these purposes, so routing it elsewhere is harmless.
    """
    if not purposes or not all(PURPOSE_PATTERN.fullmatch(p) for p in purposes):
        raise ValueError(f"Token purposes are short lower-case names, got {purposes!r}")

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            token = getattr(request, "token", None)
            if token is None or token.purpose not in wrapper.token_purposes:
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.token_purposes = frozenset(purposes)
        return wrapper

    return decorate
