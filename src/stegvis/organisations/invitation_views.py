"""The invitation link: a door without an account, opened by the token in the mail.

The token resolves to one invitation of one organiser; the page shows that invitation (the
organiser's name, the role) and nothing else. A person without an account chooses a name and
password; a person who has an account (in any organiser) logs in with it and accepts, so no
account's details are shown to anyone who does not own it.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scope

from . import domain, forms

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _invalid(request, reason, status):
    return render(request, "organisations/invitation_invalid.html", {"reason": reason}, status=status)


def accept(request, token):
    invitation = domain.find_invitation(token)
    if invitation is None or invitation.cancelled_at is not None:
        return _invalid(request, "unknown", 404)
    if invitation.accepted_at is not None:
        return _invalid(request, "used", 410)
    if invitation.is_expired():
        return _invalid(request, "expired", 410)
    with scope(organizer=invitation.organizer):
        account = get_user_model().objects.filter(email=invitation.email).first()
        if account is None:
            return _new_account(request, invitation)
        return _existing_account(request, invitation, account)


def _welcome(request, invitation, user):
    messages.success(request, _("Welcome to Stegvis at %(organizer)s.") % {"organizer": invitation.organizer.name})
    return redirect("org_home", organizer_slug=invitation.organizer.slug)


def _new_account(request, invitation):
    form = forms.AcceptInvitationForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if form.is_valid():
        try:
            user = domain.accept_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["new_password1"],
                language=getattr(request, "LANGUAGE_CODE", "sv"),
            )
        except domain.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend=BACKEND)
            return _welcome(request, invitation, user)
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "form": form, "logged_in_as_other": request.user.is_authenticated},
    )


def _existing_account(request, invitation, account):
    here = request.get_full_path()
    context = {"invitation": invitation, "login_url": reverse("login") + "?" + urlencode({"next": here})}
    if not request.user.is_authenticated:
        return render(request, "organisations/invitation_login.html", context)
    if request.user.pk != account.pk:
        return render(request, "organisations/invitation_login.html", {**context, "other_user": request.user})
    if request.method == "POST":
        try:
            domain.accept_invitation(invitation=invitation, user=request.user)
        except domain.OrganisationError as error:
            return render(request, "organisations/invitation_confirm.html", {**context, "error": str(error)})
        return _welcome(request, invitation, request.user)
    return render(request, "organisations/invitation_confirm.html", context)


def confirm_email_change(request, token):
    """The link sent to a new address: opening it shows what will change, confirming (POST) makes
    it the member's login. If another account has the address by then, the page says so and
    nothing changes; the admin who asked is not told either way."""
    change = domain.find_email_change(token)
    if change is None or change.cancelled_at is not None:
        return _email_change_invalid(request, "unknown", 404)
    if change.confirmed_at is not None:
        return _email_change_invalid(request, "used", 410)
    if change.is_expired():
        return _email_change_invalid(request, "expired", 410)
    if not domain.email_change_still_allowed(change):
        return _email_change_invalid(request, "unknown", 404)
    context = {"change": change}
    if request.method == "POST":
        with scope(organizer=change.organizer):
            try:
                domain.confirm_email_change(change=change, request=request)
            except domain.AddressInUse:
                return render(request, "organisations/email_change_in_use.html", context, status=409)
            except domain.OrganisationError:
                return _email_change_invalid(request, "unknown", 410)
        return render(request, "organisations/email_change_done.html", context)
    return render(request, "organisations/email_change_confirm.html", context)


def _email_change_invalid(request, reason, status):
    return render(request, "organisations/email_change_invalid.html", {"reason": reason}, status=status)
