"""State changes of the API room: API tokens and the open-data opt-in.

Small keyword-only functions; each lists its side effects and writes an audit event (except
``note_use``, which only remembers when a token was last used).
"""

import datetime
import secrets

from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.core.models import record

from .models import ApiToken, OpenDataPublication

PREFIX = "stegvis_"  # recognisable in logs and by secret scanners
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)
MAX_NAME = 100


def new_token():
    """A fresh token: the prefix and 43 URL-safe characters (256 random bits)."""
    return PREFIX + secrets.token_urlsafe(32)


def create_api_token(*, organizer, by, name, scope, expires_at=None):
    """A new API token for ``organizer`` with ``scope`` ("read" or "write"), valid until
    ``expires_at`` (None: until revoked). Returns ``(api_token, token)``: the row and the token
    itself, which is not stored and cannot be shown again.

    Side effects: an ApiToken row (a digest and a hint, never the token), an audit event.
    Raises ``ValueError`` for an unknown scope or an empty name.
    """
    name = (name or "").strip()[:MAX_NAME]
    if not name:
        raise ValueError("An API token needs a name")
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"Unknown scope {scope!r}")
    token = new_token()
    api_token = ApiToken.objects.create(
        organizer=organizer,
        name=name,
        scope=scope,
        digest=ApiToken.digest_of(token),
        hint=token[len(PREFIX) : len(PREFIX) + 6],
        expires_at=expires_at,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    record(organizer=organizer, actor=by, verb="api_token.created", obj=api_token, summary=f"{name} ({scope})")
    return api_token, token


def revoke_api_token(*, api_token, by):
    """Revoke a token at once; revoking twice changes nothing.

    Side effects: sets revoked_at on the row, an audit event.
    """
    if api_token.revoked_at is not None:
        return api_token
    api_token.revoked_at = timezone.now()
    ApiToken.objects.filter(pk=api_token.pk).update(revoked_at=api_token.revoked_at)
    record(organizer=api_token.organizer, actor=by, verb="api_token.revoked", obj=api_token, summary=api_token.name)
    return api_token


def resolve(token, *, now=None):
    """The valid ApiToken (with its organiser) for a bearer token, or None when it is malformed,
    unknown, revoked or expired. Looked up by its SHA-256, so nothing secret is compared."""
    if not isinstance(token, str) or not token.startswith(PREFIX) or len(token) > 100:
        return None
    with scopes_disabled():
        row = ApiToken.objects.select_related("organizer").filter(digest=ApiToken.digest_of(token)).first()
    if row is None or not row.is_valid_at(now or timezone.now()):
        return None
    return row


def note_use(*, api_token, now=None):
    """Remember when a token was last used, at most once a minute (not a write per request).

    Side effects: may update last_used_at on the row."""
    now = now or timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at >= USE_RECORDED_EVERY:
        api_token.last_used_at = now
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)


def open_data_enabled(organizer):
    """Whether the organiser publishes its figures as open data."""
    return OpenDataPublication.objects.filter(organizer=organizer, enabled=True).exists()


def set_open_data(*, organizer, enabled, by):
    """Opt in to (or out of) open data: the public addresses /open/<slug>/... (docs/open-data.md).

    Side effects: creates or updates the organiser's OpenDataPublication, an audit event (none
    when nothing changed).
    """
    enabled = bool(enabled)
    publication, _created = OpenDataPublication.objects.get_or_create(organizer=organizer)
    if publication.enabled == enabled:
        return publication
    publication.enabled = enabled
    publication.changed_by = by if by is not None and by.is_authenticated else None
    publication.save(update_fields=["enabled", "changed_by", "changed_at"])
    verb = "open_data.enabled" if enabled else "open_data.disabled"
    record(organizer=organizer, actor=by, verb=verb, obj=publication, summary=organizer.name)
    return publication
