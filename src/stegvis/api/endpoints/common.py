"""What every endpoint module shares: parameters, error answers, the organiser of the token,
the write check and the audit entry of an API write."""

from ninja import Path, Query
from ninja.errors import HttpError

from stegvis.core.models import record

from .. import paging
from .. import schemas as s

MAX_ID = 2**31 - 1


def Id():
    return Path(..., ge=1, le=MAX_ID)


def Filter(description):
    return Query(None, ge=1, le=MAX_ID, description=description)


def Cursor():
    return Query(None, pattern=paging.CURSOR_PATTERN, description="next_cursor of the previous page")


def Limit():
    return Query(paging.DEFAULT_LIMIT, ge=1, le=paging.MAX_LIMIT, description="Items per page")


ERRORS = {code: s.Error for code in (400, 401, 403, 404, 422, 429)}


class Invalid(Exception):
    """422 with the form's messages by field: {"detail": {"code": ["..."]}}."""

    def __init__(self, detail):
        super().__init__("invalid")
        self.detail = detail


def org(request):
    """The organiser of the request's token (the scope ``rest.BearerToken`` entered)."""
    return request.organizer


def need_write(request):
    if not request.api_token.can_write:
        raise HttpError(403, "This token may only read")


def audit(request, obj, what):
    token = request.api_token
    record(
        organizer=org(request),
        actor=None,
        verb="api_token.wrote",
        obj=obj,
        summary=f"{what} with the API token “{token.name}” (#{token.pk})",
    )
