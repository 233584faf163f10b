"""Cursor pagination for the REST API: stable order by id, an opaque cursor.

A page is ``{"items": [...], "next_cursor": "..."}``; the client passes ``next_cursor`` back as
``?cursor=`` until it is null. The cursor names the last id of the page (base64 of ``v1:<id>``),
so rows added or removed between pages neither repeat nor skip the rest. docs/api.md.
"""

import base64
import binascii
import re

from ninja.errors import HttpError

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
_DECODED = re.compile(r"v1:(\d{1,18})")


def encode(last_id):
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def decode(cursor):
    """The id after which the page starts (0 for the first page); 400 for a cursor we did not make."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _DECODED.fullmatch(text)
    if match is None:
        raise HttpError(400, "Invalid cursor: pass the next_cursor of the previous page as it is")
    return int(match.group(1))


def page(queryset, *, cursor, limit, serialize=None, key="pk"):
    """One page of ``queryset`` ordered by ``key`` after the cursor: ``{"items", "next_cursor"}``.

    ``serialize`` turns the page's rows into items (one call for the whole page, so that it can
    fetch related rows in one query); by default the rows are the items."""
    after = decode(cursor)
    rows = list(queryset.filter(**{f"{key}__gt": after}).order_by(key)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    items = serialize(rows) if serialize else rows
    last = rows[-1][key] if rows and isinstance(rows[-1], dict) else (getattr(rows[-1], key) if rows else None)
    return {"items": items, "next_cursor": encode(last) if more else None}
