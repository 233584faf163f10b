from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django_scopes import scopes_disabled


@login_required
def start(request):
    """After login: straight into the user's organiser, or a choice when there are several."""
    with scopes_disabled():
        organizers = sorted({m.organizer for m in request.user.memberships.select_related("organizer")}, key=str)
    if len(organizers) == 1:
        return redirect("org_home", organizer_slug=organizers[0].slug)
    return render(request, "core/start.html", {"organizers": organizers})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
