from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_scopes import scope

from . import door
from .access import Access, TokenAccess
from .domain import note_token_use


class TenantMiddleware:
    """Resolve the organiser of a request and who may do what in it, then run the view inside
    the organiser's django-scopes scope (a query on tenant data without the organiser raises).

    Two ways in (docs/tenancy.md):

    - ``/<organizer_slug>/...`` for members. Anonymous users go to the login page; a user who is
      not a member gets 404, the same answer as for an organiser that does not exist.
      ``request.access`` is the member's ``Access``.
    - ``/t/<access_token>/...``, the token door for people without an account. The token names
      the organiser; a view accepts the purposes it declares (``door.accepts``). Unknown,
      expired and revoked tokens, and views that accept no purpose of the token, get 404.
      ``request.access`` is a ``TokenAccess`` (the token's purpose, nothing else) and
      ``request.user`` is anonymous, whoever is logged in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "access_token" in view_kwargs:
            return self._through_the_door(request, view_func, view_args, view_kwargs)
        slug = view_kwargs.get("organizer_slug")
        if slug is None:
            return None
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request"):
                # An htmx autosave after the session ended: say so, never swap in a login page.
                return HttpResponse(_("You are logged out. Log in again in another tab, then save."), status=401)
            return redirect_to_login(request.get_full_path())
        access = Access.for_slug(slug=slug, user=request.user)
        if access is None:
            raise Http404
        request.organizer = access.organizer
        request.access = access
        view_kwargs.pop("organizer_slug")
        return self._run(request, access.organizer, view_func, view_args, view_kwargs)

    def _through_the_door(self, request, view_func, view_args, view_kwargs):
        token = door.resolve(view_kwargs.pop("access_token"))
        if token is None or token.purpose not in getattr(view_func, "token_purposes", ()):
            raise Http404
        request.user = AnonymousUser()
        request.organizer = token.organizer
        request.token = token
        request.access = TokenAccess(token=token)
        response = self._run(request, token.organizer, view_func, view_args, view_kwargs)
        # A view may say that its use is not to be noted (``token_note_use = False``): an
        # anonymous survey keeps no time of use, not even the token's (docs/anonymity.md).
        if getattr(view_func, "token_note_use", True):
            with scope(organizer=token.organizer):
                note_token_use(access_token=token)
        # The token is in the address: do not hand it to the next site in a Referer header.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @staticmethod
    def _run(request, organizer, view_func, view_args, view_kwargs):
        with scope(organizer=organizer):
            response = view_func(request, *view_args, **view_kwargs)
            # Render lazily-evaluated templates inside the scope too.
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
        return response
