"""What the platform room holds about a person: audit entries they made or that name them, and
the mail sent to them (registered in ``CoreConfig.ready``; docs/privacy.md)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, SentMail
from .personal_data import Holder, RetentionRule, when

ERASED = "—"  # what an audit summary that named an erased person becomes


def _names(user):
    return [value for value in {user.email, user.full_name} if value and len(value) >= 3]


def _about(user):
    """Audit entries that name the person in their summary, or whose object is their account."""
    q = Q(object_type="user", object_id=user.pk)
    for value in _names(user):
        q |= Q(summary__icontains=value)
    return q


def export_audit(*, user, organizer):
    events = AuditEvent.objects.filter(Q(organizer=organizer) & (Q(actor=user) | _about(user))).order_by("at", "id")
    return [
        {
            "at": when(e.at),
            "by_the_person": e.actor_id == user.pk,
            "what": str(e.label),
            "object": f"{e.object_type} {e.object_id}",
            "summary": e.summary,
        }
        for e in events
    ]


def erase_audit(*, user, organizer):
    events = AuditEvent.objects.filter(organizer=organizer)
    events.filter(_about(user) & ~Q(summary="")).update(summary=ERASED)
    events.filter(actor=user).update(actor=None)


def export_mail(*, user, organizer):
    mails = SentMail.objects.filter(organizer=organizer).filter(Q(to_user=user) | Q(to_email__iexact=user.email))
    return [
        {
            "created": when(m.created_at),
            "sent": when(m.sent_at),
            "to": m.to_email,
            "kind": m.kind,
            "subject": m.subject,
            "status": m.status,
        }
        for m in mails.order_by("created_at", "id")
    ]


def erase_mail(*, user, organizer):
    SentMail.objects.filter(organizer=organizer).filter(Q(to_user=user) | Q(to_email__iexact=user.email)).delete()


def purge_audit(*, organizer, before):
    return AuditEvent.objects.filter(organizer=organizer, at__lt=before).delete()[0]


def purge_mail(*, organizer, before):
    return SentMail.objects.filter(organizer=organizer, created_at__lt=before).delete()[0]


AUDIT_COLUMNS = (
    ("at", _("When")),
    ("by_the_person", _("By the person")),
    ("what", _("What")),
    ("object", _("Object")),
    ("summary", _("Summary")),
)


MAIL_COLUMNS = (
    ("created", _("Created")),
    ("sent", _("Sent")),
    ("to", _("Recipient")),
    ("kind", _("Kind")),
    ("subject", _("Subject")),
    ("status", _("Status")),
)


HOLDERS = [
    Holder(
        key="audit",
        columns=AUDIT_COLUMNS,
        label=_("Audit log entries"),
        export=export_audit,
        erase=erase_audit,
        order=90,
    ),
    Holder(
        key="mail",
        columns=MAIL_COLUMNS,
        label=_("E-mail sent to the person"),
        export=export_mail,
        erase=erase_mail,
        order=80,
    ),
]

RETENTION = [
    RetentionRule(
        key="audit",
        label=_("Audit log entries"),
        default_months=60,
        minimum_months=12,
        purge=purge_audit,
        why=_("Five years: long enough to answer who changed what in the organisation's records."),
    ),
    RetentionRule(
        key="mail",
        label=_("Record of sent e-mail (with its text)"),
        default_months=24,
        minimum_months=3,
        purge=purge_mail,
        why=_("Two years: enough to show that a reminder or invitation went out."),
    ),
]
