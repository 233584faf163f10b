"""The second factor of a password login: a TOTP authenticator app and one-use recovery codes.

pyotp computes the codes; this module keeps them one-use. Who must use a second factor is
decided above this room (``sso.second_factor``: organiser admins, and anyone who set one up);
the login marks the session with ``PENDING`` until a code is given. docs/sso.md.
"""

import hashlib
import secrets
import time

import pyotp
from django.db import transaction
from django.utils import timezone

from stegvis.core.models import record

from .models import Authenticator, RecoveryCode

PENDING = "stegvis_second_factor_pending"  # session key: password given, code not yet
SETUP_SECRET = "stegvis_second_factor_setup"  # session key: the secret being set up
FAILURES = "stegvis_second_factor_failures"  # session key: wrong codes since the password
MAX_FAILURES = 5  # then the session ends and the password (throttled by axes) is asked again
RECOVERY_CODES = 10
STEP = 30
ISSUER = "Stegvis"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret():
    return pyotp.random_base32()


def provisioning_uri(*, secret, user):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _hash(code):
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _matching_step(secret, code, after=0, now=None):
    """The time step (now, or one step either side for clocks a little off) whose code is
    ``code`` and that is later than ``after``, else None."""
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((now if now is not None else time.time()) // STEP)
    for step in (current - 1, current, current + 1):
        if step > after and secrets.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def has_second_factor(user):
    return Authenticator.objects.filter(user=user).exists()


def check_setup_code(*, secret, code):
    """Whether ``code`` is the authenticator's current code for a secret being set up."""
    return _matching_step(secret, code) is not None


@transaction.atomic
def enable(*, user, secret):
    """Make ``secret`` the user's authenticator (replacing one there was) and new recovery codes.

    Returns the recovery codes in clear, to be shown once. Side effects: the Authenticator row;
    the user's RecoveryCode rows replaced; an account-level audit event ``second_factor.enabled``."""
    Authenticator.objects.update_or_create(user=user, defaults={"secret": secret, "last_step": 0})
    codes = _replace_recovery_codes(user)
    record(organizer=None, actor=user, verb="second_factor.enabled", obj=user)
    return codes


def _replace_recovery_codes(user):
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash(c)) for c in codes])
    return codes


@transaction.atomic
def new_recovery_codes(*, user):
    """Replace the user's recovery codes (the old ones stop working); returns the new ones.

    Side effects: the RecoveryCode rows; an account-level audit event."""
    codes = _replace_recovery_codes(user)
    record(organizer=None, actor=user, verb="second_factor.recovery_codes", obj=user)
    return codes


@transaction.atomic
def verify(*, user, code, now=None):
    """Check a code from the authenticator app, or a recovery code; each works once.

    Returns "totp", "recovery" or "" (wrong). Side effects: the authenticator's last step, or the
    recovery code marked used (and an audit event ``second_factor.recovery_code_used``)."""
    authenticator = Authenticator.objects.select_for_update().filter(user=user).first()
    if authenticator is None:
        return ""
    step = _matching_step(authenticator.secret, code, after=authenticator.last_step, now=now)
    if step is not None:
        authenticator.last_step = step
        authenticator.last_used_at = timezone.now()
        authenticator.save(update_fields=["last_step", "last_used_at"])
        return "totp"
    used = RecoveryCode.objects.filter(user=user, code_hash=_hash(code or ""), used_at=None).update(
        used_at=timezone.now()
    )
    if used:
        record(organizer=None, actor=user, verb="second_factor.recovery_code_used", obj=user)
        return "recovery"
    return ""


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


@transaction.atomic
def remove(*, user, by=None):
    """Remove the user's authenticator and recovery codes (``manage.py reset_second_factor``,
    for someone who lost both). Side effects: those rows; an account-level audit event."""
    Authenticator.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    record(organizer=None, actor=by, verb="second_factor.removed", obj=user)
