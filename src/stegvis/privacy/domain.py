"""Personal data under GDPR: export what Stegvis holds about a person in an organiser, erase a
person there, and apply the organiser's retention rules (docs/privacy.md).

The rooms declare what they hold (``core.personal_data``); nothing here knows their models.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled

from stegvis.accounts.models import Identity, User
from stegvis.core.models import AuditEvent, record
from stegvis.core.personal_data import holders, months_before, retention_rule, retention_rules, when
from stegvis.organisations.models import Membership, Organizer

from .models import RetentionPolicy

log = logging.getLogger(__name__)


class CannotErase(Exception):
    """The person cannot be erased by this admin (themselves)."""


ACCOUNT_COLUMNS = (
    ("email", _("E-mail address")),
    ("name", _("Name")),
    ("language", _("Language")),
    ("active", _("Active")),
    ("joined", _("Account created")),
    ("last_login", _("Last login")),
)
IDENTITY_COLUMNS = (
    ("provider", _("Provider")),
    ("subject", _("Identifier at the provider")),
    ("linked", _("Linked")),
    ("last_used", _("Last used")),
)


def _section(*, key, label, columns, rows):
    return {"key": key, "label": str(label), "columns": [[k, str(v)] for k, v in columns], "rows": rows}


def export_person(*, organizer, user):
    """Everything Stegvis holds about ``user`` in ``organizer``, section by section, as plain
    JSON values: the account as the organiser sees it, then each room's records.

    No side effects (reading only)."""
    sections = [
        _section(
            key="account",
            label=_("Account"),
            columns=ACCOUNT_COLUMNS,
            rows=[
                {
                    "email": user.email,
                    "name": user.full_name,
                    "language": user.language,
                    "active": user.is_active,
                    "joined": when(user.date_joined),
                    "last_login": when(user.last_login),
                }
            ],
        ),
        _section(
            key="identities",
            label=_("Sign-in identities (school accounts)"),
            columns=IDENTITY_COLUMNS,
            rows=[
                {
                    "provider": i.provider,
                    "subject": i.subject,
                    "linked": when(i.created_at),
                    "last_used": when(i.last_used_at),
                }
                for i in Identity.objects.filter(user=user).order_by("created_at")
            ],
        ),
    ]
    with scope(organizer=organizer):
        for holder in holders():
            rows = holder.export(user=user, organizer=organizer)
            sections.append(_section(key=holder.key, label=holder.label, columns=holder.columns, rows=rows))
    return {
        "organizer": organizer.name,
        "exported_at": when(timezone.now()),
        "person": user.email,
        "sections": sections,
    }


def erase_person(*, organizer, user, by):
    """Erase ``user`` in ``organizer``: every room removes what is only about the person (roles,
    invitations, mail to them, export files) and makes their authorship of the organisation's
    records anonymous ("deleted user"). When the account then has no role in any organiser, the
    account and its identities are deleted too (nothing tells the admin whether it had roles
    elsewhere: the answer is the same either way).

    Side effects: updates and deletes rows in every room that holds personal data, possibly
    deletes the User (with Identity rows, login-throttling records and sessions ending), and
    appends one audit event that names no one. Raises CannotErase for the admin themselves.
    """
    if user.pk == by.pk:
        raise CannotErase
    user_pk = user.pk
    with transaction.atomic(), scope(organizer=organizer):
        for holder in holders():
            holder.erase(user=user, organizer=organizer)
        with scopes_disabled():
            Membership.objects.filter(organizer=organizer, user=user).delete()
            elsewhere = Membership.objects.filter(user=user).exists()
        account_deleted = False
        if not elsewhere:
            _delete_account(user)
            account_deleted = True
        record(organizer=organizer, actor=by, verb="person.erased", obj=organizer, summary="")
    log.info("person %s erased in %s (account deleted: %s)", user_pk, organizer.slug, account_deleted)
    return account_deleted


def _delete_account(user):
    """Delete the account and what belongs to it alone (identities cascade; the login-throttling
    records name the address; account-level audit entries are about the account)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    email = user.email
    with scopes_disabled():
        AuditEvent.objects.filter(organizer=None, actor=user).delete()
        AuditEvent.objects.filter(organizer=None, object_type="user", object_id=user.pk).delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()
    user.delete()


# --- retention --------------------------------------------------------------------------


def policy_of(organizer):
    """The organiser's retention row (unsaved defaults when it has never chosen)."""
    return RetentionPolicy.objects.filter(organizer=organizer).first() or RetentionPolicy(organizer=organizer)


def months_for(policy, rule):
    value = policy.months.get(rule.key)
    return value if isinstance(value, int) and value >= rule.minimum_months else rule.default_months


def set_retention(*, organizer, months, by):
    """Store the organiser's months per kind (each at least the kind's minimum; the form checks).

    Side effects: creates or updates the RetentionPolicy row; one audit event."""
    policy = policy_of(organizer)
    clean = {}
    for key, value in months.items():
        rule = retention_rule(key)
        if rule is None:
            continue
        if value < rule.minimum_months:
            raise ValueError(f"{key}: at least {rule.minimum_months} months")
        clean[key] = value
    policy.months = clean
    policy.save()
    record(organizer=organizer, actor=by, verb="retention.changed", obj=organizer, summary="")
    return policy


def apply_retention(*, organizer, now=None):
    """Delete, kind by kind, what is older than the organiser keeps it.

    Side effects: deletes rows in the rooms that declared retention rules; stores the counts
    and time on the RetentionPolicy row. Returns {kind: rows deleted}."""
    now = now or timezone.now()
    policy = policy_of(organizer)
    deleted = {}
    with transaction.atomic(), scope(organizer=organizer):
        for rule in retention_rules():
            deleted[rule.key] = rule.purge(organizer=organizer, before=months_before(now, months_for(policy, rule)))
        policy.last_run_at = now
        policy.last_deleted = deleted
        policy.save()
    return deleted


def apply_all_retention(*, now=None):
    """The scheduler's nightly job: ``apply_retention`` for every organiser. Returns the rows deleted."""
    with scopes_disabled():
        organizers = list(Organizer.objects.all())
    return sum(sum(apply_retention(organizer=o, now=now).values()) for o in organizers)


def member_of(*, organizer, user_id):
    """The user with this id if they have a role in the organiser, else None (the view says
    404): other accounts are not this organiser's to see."""
    with scopes_disabled():
        return User.objects.filter(pk=user_id, memberships__organizer=organizer).distinct().first()
