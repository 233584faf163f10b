from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from .access import Access
from .models import Membership


class TenantMiddleware:
    """Resolve ``/<organizer_slug>/...`` to the organiser and the user's access.

    Anonymous users go to the login page; a user who is not a member gets 404, the same
    answer as for an organiser that does not exist. Every tenant view then runs inside a
    django-scopes scope, so a query on tenant data without the organiser raises.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("organizer_slug")
        if slug is None:
            return None
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request"):
                # An htmx autosave after the session ended: say so, never swap in a login page.
                return HttpResponse(_("You are logged out. Log in again in another tab, then save."), status=401)
            return redirect_to_login(request.get_full_path())
        # One query finds the organiser and the user's roles in it; no role means 404, the same
        # answer as for an organiser that does not exist.
        with scopes_disabled():
            memberships = list(
                Membership.objects.filter(organizer__slug=slug, user=request.user).select_related("organizer")
            )
        if not memberships:
            raise Http404
        organizer = memberships[0].organizer
        access = Access(user=request.user, organizer=organizer, memberships=memberships)
        request.organizer = organizer
        request.access = access
        view_kwargs.pop("organizer_slug")
        with scope(organizer=organizer):
            response = view_func(request, *view_args, **view_kwargs)
            # Render lazily-evaluated templates inside the scope too.
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
        return response
