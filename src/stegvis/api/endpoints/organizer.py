"""The organiser the token belongs to."""

from ninja import Router

from .. import schemas as s
from .common import ERRORS, org

router = Router()


@router.get("/organizer", response={200: s.OrganizerOut, **ERRORS}, tags=["organizer"])
def organizer(request):
    """The organiser the token belongs to, and the token itself."""
    token = request.api_token
    current = org(request)
    return {
        "name": current.name,
        "slug": current.slug,
        "token": {"name": token.name, "scope": token.scope, "expires_at": token.expires_at},
    }
