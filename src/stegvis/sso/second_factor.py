"""Who must give a second factor after a password login, and the gate that holds them until they
have (docs/sso.md). The codes themselves are ``accounts.second_factor``; the rule needs to know
who is an organiser admin, which only ``organisations.access`` may say, hence it lives here.

- A password login of an organiser admin (in any organiser), or of anyone who has set up an
  authenticator app, marks the session ``PENDING``; ``STEGVIS_ADMIN_SECOND_FACTOR=0`` turns the
  rule for admins off (the test suite does, except the tests of this rule).
- A school-account (SSO) login is not marked: the school's IdP does its own second step.
- While the mark is there, every page but the second-factor pages, logout and language choice
  answers with a redirect to the code page (or to setting up the app when there is none).
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from stegvis.accounts import second_factor as sf
from stegvis.organisations.access import is_admin_anywhere

SSO_LOGIN = "stegvis_sso_login"  # request attribute set by sso.views before logging in


def on_login(sender, request, user, **kwargs):
    """user_logged_in: mark a password login that needs a second factor."""
    if request is None or getattr(request, SSO_LOGIN, False):
        return
    if sf.has_second_factor(user) or (settings.STEGVIS_ADMIN_SECOND_FACTOR and is_admin_anywhere(user)):
        request.session[sf.PENDING] = True


class SecondFactorMiddleware:
    OPEN = ("second_factor_setup", "second_factor_verify", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def __call__(self, request):
        if request.user.is_authenticated and request.session.get(sf.PENDING):
            if self._open_paths is None:
                self._open_paths = {reverse(name) for name in self.OPEN}
            if request.path not in self._open_paths and not request.path.startswith(settings.STATIC_URL):
                target = "second_factor_verify" if sf.has_second_factor(request.user) else "second_factor_setup"
                url = reverse(target)
                if request.method == "GET" and request.path != "/":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
        return self.get_response(request)
