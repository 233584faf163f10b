"""State changes of accounts: passwords. Small keyword-only functions listing their side effects."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stegvis.core import mail
from stegvis.core.models import record

from . import throttling


def set_password(*, user, password, how, request=None):
    """Give ``user`` a new (already validated) password; ``how`` is "changed" (by the logged-in
    user) or "reset" (through a link sent by e-mail, or the first password of a new account).

    Side effects: the User's password hash; an account-level audit event; after a reset the
    account's failed logins are forgotten (a lockout by account lifts); after a change the user
    gets a mail saying so, in case it was not them.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    if how == "reset":
        record(organizer=None, actor=user, verb="password.reset", obj=user)
        throttling.unlock(user.email)
        return user
    record(organizer=None, actor=user, verb="password.changed", obj=user)
    mail.send(
        to_email=user.email,
        to_user=user,
        kind="password_changed",
        subject=_("Your Stegvis password was changed"),
        template="accounts/mail/password_changed",
        context={"user": user, "reset_url": mail.absolute_url(reverse("password_reset"), request)},
        language=user.language,
        link=reverse("password_change"),
        why=_("You receive this message because the password of your Stegvis account was changed."),
    )
    return user
