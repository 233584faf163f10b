"""HTTP helpers of the API room: ETags and conditional GET."""

from django.http import HttpResponseNotModified
from django.utils.cache import set_response_etag


def conditional(request, response):
    """Give a 200 answer to GET an ETag (of its content); 304 when ``If-None-Match`` names it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.headers.setdefault("Cache-Control", "private, no-cache")
    set_response_etag(response)
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if response.get("ETag") in wanted or "*" in wanted:
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response
