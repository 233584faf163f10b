"""The demo's API tokens and open data (docs/api.md, docs/open-data.md): a BI tool's read token
in use, an old revoked one, and open data switched on, so the API page has realistic content."""

import datetime

from django.utils import timezone

from stegvis.api import domain as api
from stegvis.api.models import ApiToken


def build(*, organizer, by):
    """Side effects: two ApiToken rows (their tokens are thrown away), open data on, audit events."""
    now = timezone.now()
    bi, _token = api.create_api_token(
        organizer=organizer,
        by=by,
        name="Power BI – nämndens rapport",
        scope=ApiToken.Scope.READ,
        expires_at=now + datetime.timedelta(days=300),
    )
    api.note_use(api_token=bi, now=now - datetime.timedelta(hours=7))
    old, _token = api.create_api_token(
        organizer=organizer,
        by=by,
        name="Gammal Excel-koppling",
        scope=ApiToken.Scope.WRITE,
        expires_at=now + datetime.timedelta(days=30),
    )
    api.revoke_api_token(api_token=old, by=by)
    api.set_open_data(organizer=organizer, enabled=True, by=by)
