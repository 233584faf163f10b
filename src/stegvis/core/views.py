import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .heartbeat import health as check_health

logger = logging.getLogger("stegvis.health")


@never_cache
def health(request):
    """The health check for monitoring and load balancers (docs/production.md).

    ``/health/``: 200 when the database answers and the worker and the scheduler beat within
    STEGVIS_HEALTH_STALE_MINUTES, else 503; the JSON says which part failed. ``/health/?db``
    checks only the database, for a load balancer deciding whether this app server can serve
    (a stuck worker is no reason to take every app server out). One query either way.
    """
    try:
        report, ok = check_health()
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return JsonResponse({"status": "fail", "database": "fail"}, status=503)
    if "db" in request.GET:
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "ok" if ok else "fail", **report}, status=200 if ok else 503)
