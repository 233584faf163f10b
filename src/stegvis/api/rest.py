"""The REST API (django-ninja): /api/v1/..., with its OpenAPI document and browsable docs.

Every operation needs ``Authorization: Bearer <token>``; the token names one organiser and the
operation runs inside its django-scopes scope (``_around``), so another organiser's object is
404 like one that does not exist. Read-write tokens may also create and change units, through
the same form and domain functions as the unit pages. Pages are cursor-paged (``paging``),
GET answers carry an ETag (``If-None-Match`` gives 304), and each token is rate limited
(``ratelimit``: 429 with Retry-After). docs/api.md.
"""

import functools

from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django_scopes import scope
from ninja import NinjaAPI, Swagger
from ninja.security import HttpBearer

from . import domain, ratelimit
from .endpoints import assessments, goals, maturity, organizer, overview, plans, rounds, surveys, units
from .endpoints.common import Invalid
from .http import conditional


class RateLimited(Exception):
    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait


class BearerToken(HttpBearer):
    """An API token in ``Authorization: Bearer``: resolves to one organiser, counts against the
    token's rate limit, remembers its use, and enters the organiser's scope (left in ``_around``)."""

    def authenticate(self, request, token):
        api_token = domain.resolve(token)
        if api_token is None:
            return None
        wait = ratelimit.hit(api_token.pk)
        if wait:
            raise RateLimited(wait)
        request.organizer = api_token.organizer
        request.api_token = api_token
        entered = scope(organizer=api_token.organizer)
        entered.__enter__()
        request._api_scope = entered
        domain.note_use(api_token=api_token)
        return api_token


def _around(run):
    """Around each operation: leave the organiser's scope the token entered (after the response
    is serialised, so that it is read inside it too), and answer a GET with an ETag and 304."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        finally:
            entered = getattr(request, "_api_scope", None)
            if entered is not None:
                request._api_scope = None
                entered.__exit__(None, None, None)
        patch_vary_headers(response, ["Authorization"])
        return conditional(request, response)

    return wrapper


class StegvisAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        # The operation ids the API had before its operations moved into ``endpoints``: clients
        # generated from the OpenAPI document keep their method names.
        return "stegvis_api_rest_" + operation.view_func.__name__


api = StegvisAPI(
    title="Stegvis API",
    version="1",
    description=(
        "An organiser's districts, units, rounds, published assessments, action plans, overview cells, "
        "maturity figures, measurable goals and survey aggregates (with the anonymity rules applied). Authenticate with `Authorization: Bearer <token>` (an organiser admin makes tokens "
        "in Stegvis under API and open data). See docs/api.md."
    ),
    auth=BearerToken(),
    docs=Swagger(settings={"persistAuthorization": False}),
    urls_namespace="api-v1",
)
api.add_decorator(_around, mode="view")


@api.exception_handler(Invalid)
def _invalid(request, exc):
    return JsonResponse({"detail": exc.detail}, status=422)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = JsonResponse({"detail": "Too many requests: wait before trying again"}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


for module in (organizer, units, rounds, assessments, plans, overview, maturity, goals, surveys):
    api.add_router("", module.router)
