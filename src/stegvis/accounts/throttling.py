"""Login throttling with django-axes: the hooks settings.py names, and the lockout audit event.

Axes counts failed logins per account and per client address (settings.AXES_*; docs/accounts.md).
The account is the e-mail address as stored (``normalize_email``), so "Bob@X.se" and "bob@x.se"
count as one. Each lockout writes one account-level ``core.AuditEvent`` (no organiser: an
account belongs to none, and its lockout is nobody else's business).
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver

from stegvis.core.models import AuditEvent, record

from .models import User, normalize_email


def username(request, credentials=None):
    """The account a login attempt is for (AXES_USERNAME_CALLABLE)."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalize_email(value) or None


def client_ip(request):
    """The client's address (AXES_CLIENT_IP_CALLABLE).

    The connection's own address, unless STEGVIS_PROXY_COUNT reverse proxies stand in front: then
    the address the outermost of them put into X-Forwarded-For (what a client writes there itself
    comes before it and is not trusted).
    """
    proxies = settings.STEGVIS_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def unlock(email):
    """Forget the failed logins of an account (after its password was reset by e-mail).

    Side effects: deletes axes' AccessAttempt rows for that account name (not for addresses)."""
    return AxesProxyHandler.reset_attempts(username=normalize_email(email))


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    """One audit event per lockout: axes also signals every refused attempt during one, which
    carry no failure count."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    summary = f"{failures} failed logins, client address {ip_address}"
    user = User.objects.filter(email=username).first() if username else None
    if user is not None:
        record(organizer=None, actor=None, verb="account.locked_out", obj=user, summary=summary)
    else:  # an address that has no account: the lockout is by client address, or a guess
        AuditEvent.objects.create(
            organizer=None, actor=None, verb="account.locked_out", object_type="login", object_id=0, summary=summary
        )
