"""What the tenant room holds about a person in an organiser: roles, invitations, address
changes, door tokens they issued, staged unit imports (registered in ``ready``; docs/privacy.md)."""

from django.utils.translation import gettext_lazy as _

from stegvis.core.personal_data import Holder, when

from .models import AccessToken, EmailChange, Invitation, Membership, UnitImport


def export_roles(*, user, organizer):
    rows = Membership.objects.filter(organizer=organizer, user=user).select_related("district", "unit")
    return [
        {
            "role": m.get_role_display(),
            "district": m.district.name if m.district else None,
            "unit": m.unit.name if m.unit else None,
            "since": when(m.created_at),
        }
        for m in rows
    ]


def erase_roles(*, user, organizer):
    Membership.objects.filter(organizer=organizer, user=user).delete()


def export_invitations(*, user, organizer):
    rows = Invitation.objects.filter(organizer=organizer, email__iexact=user.email)
    return [
        {
            "email": i.email,
            "name": i.full_name,
            "role": i.get_role_display(),
            "sent": when(i.sent_at),
            "accepted": when(i.accepted_at),
            "cancelled": when(i.cancelled_at),
        }
        for i in rows
    ]


def erase_invitations(*, user, organizer):
    Invitation.objects.filter(organizer=organizer, email__iexact=user.email).delete()
    Invitation.objects.filter(organizer=organizer, invited_by=user).update(invited_by=None)
    Invitation.objects.filter(organizer=organizer, accepted_by=user).update(accepted_by=None)


def export_email_changes(*, user, organizer):
    rows = EmailChange.objects.filter(organizer=organizer, user=user)
    return [
        {
            "new_email": c.new_email,
            "asked": when(c.created_at),
            "confirmed": when(c.confirmed_at),
            "cancelled": when(c.cancelled_at),
        }
        for c in rows
    ]


def erase_email_changes(*, user, organizer):
    EmailChange.objects.filter(organizer=organizer, user=user).delete()
    EmailChange.objects.filter(organizer=organizer, requested_by=user).update(requested_by=None)


def export_tokens(*, user, organizer):
    rows = AccessToken.objects.filter(organizer=organizer, created_by=user)
    return [{"purpose": t.purpose, "created": when(t.created_at), "revoked": when(t.revoked_at)} for t in rows]


def erase_tokens(*, user, organizer):
    AccessToken.objects.filter(organizer=organizer, created_by=user).update(created_by=None)
    UnitImport.objects.filter(organizer=organizer, user=user).delete()


ROLES_COLUMNS = (
    ("role", _("Role")),
    ("district", _("District")),
    ("unit", _("Unit")),
    ("since", _("Since")),
)


INVITATIONS_COLUMNS = (
    ("email", _("E-mail address")),
    ("name", _("Name")),
    ("role", _("Role")),
    ("sent", _("Sent")),
    ("accepted", _("Accepted")),
    ("cancelled", _("Cancelled")),
)


EMAIL_CHANGES_COLUMNS = (
    ("new_email", _("New e-mail address")),
    ("asked", _("Asked for")),
    ("confirmed", _("Confirmed")),
    ("cancelled", _("Cancelled")),
)


TOKENS_COLUMNS = (
    ("purpose", _("Purpose")),
    ("created", _("Created")),
    ("revoked", _("Revoked")),
)


HOLDERS = [
    Holder(key="roles", columns=ROLES_COLUMNS, label=_("Roles"), export=export_roles, erase=erase_roles, order=10),
    Holder(
        key="invitations",
        columns=INVITATIONS_COLUMNS,
        label=_("Invitations"),
        export=export_invitations,
        erase=erase_invitations,
        order=11,
    ),
    Holder(
        key="email_changes",
        columns=EMAIL_CHANGES_COLUMNS,
        label=_("Changes of e-mail address"),
        export=export_email_changes,
        erase=erase_email_changes,
        order=12,
    ),
    Holder(
        key="tokens",
        columns=TOKENS_COLUMNS,
        label=_("Links issued by the person"),
        export=export_tokens,
        erase=erase_tokens,
        order=70,
    ),
]
