"""Reading settings from environment variables: one helper per kind of value.

Every helper refuses a value it cannot read with ``ImproperlyConfigured`` naming the variable and
what it accepts, so a typo (``STEGVIS_DEBUG=true`` read as false, ``STEGVIS_CONN_MAX_AGE=sixty``)
stops the start instead of silently meaning something else. A variable that is unset or set to
the empty string takes its default. Imported by ``stegvis.settings``; imports nothing of ours.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def _raw(name):
    """The variable's value without surrounding blanks, or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name, default="", *, choices=None):
    """A string; with ``choices``, one of them (compared case-insensitively, returned as listed)."""
    raw = _raw(name)
    if raw is None:
        return default
    if choices is None:
        return raw
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={raw!r} is not understood; use one of: {', '.join(choices)}.")


def env_bool(name, default):
    """A yes/no switch: 1/0, true/false, yes/no, on/off in any case."""
    raw = _raw(name)
    if raw is None:
        return default
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not understood; use one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}."
    )


def env_int(name, default, *, min=None):
    """A whole number, at least ``min`` when given."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not understood; use a whole number.") from None
    if min is not None and value < min:
        raise ImproperlyConfigured(f"{name}={raw!r} is too small; use a whole number of at least {min}.")
    return value


def env_list(name, default=()):
    """A comma-separated list; blanks around items and empty items are dropped."""
    raw = _raw(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def env_proxy_ssl_header(name):
    """``SECURE_PROXY_SSL_HEADER`` from a header name such as ``X-Forwarded-Proto``.

    The proxy must set that header to ``https`` on secure requests (and strip it from what clients
    send). ``Header-Name=value`` names another value than ``https``. None when unset.
    """
    raw = _raw(name)
    if raw is None:
        return None
    header, _, value = raw.partition("=")
    header, value = header.strip(), value.strip() or "https"
    if not _HEADER_NAME.match(header):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not understood; use a header name such as X-Forwarded-Proto "
            "(optionally X-Forwarded-Proto=https)."
        )
    return ("HTTP_" + header.upper().replace("-", "_"), value)
