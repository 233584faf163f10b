from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

VERB_LABELS = {
    "round.opened": _("opened the round"),
    "round.open": _("reopened the round"),
    "round.closed": _("closed the round"),
    "round.changed": _("changed the round"),
    "assessment.started": _("started the assessment"),
    "assessment.new_version": _("started a new version"),
    "assessment.published": _("published"),
    "plan.created": _("the action plan was created"),
    "plan.carried_over": _("open actions were carried over"),
    "action.added": _("added an action"),
    "action.changed": _("changed an action"),
    "action.note": _("added a follow-up note"),
    "district.created": _("created the district"),
    "district.renamed": _("renamed the district"),
    "district.deleted": _("deleted the district"),
    "unit.created": _("created the unit"),
    "unit.changed": _("changed the unit"),
    "units.imported": _("imported units"),
    "user.created": _("created the user"),
    "user.changed": _("changed the user"),
    "membership.added": _("gave a role"),
    "membership.removed": _("removed a role"),
    "invitation.sent": _("sent an invitation"),
    "invitation.resent": _("sent the invitation again"),
    "invitation.cancelled": _("cancelled the invitation"),
    "invitation.accepted": _("accepted the invitation"),
    "password.changed": _("changed the password"),
    "password.reset": _("set a new password with a reset link"),
    "account.locked_out": _("login locked after too many failed attempts"),
    "person.erased": _("erased a person's personal data"),
    "retention.changed": _("changed the retention rules"),
    "goal.set": _("set the goal"),
    "goal.changed": _("changed the goal"),
    "goal.deleted": _("deleted the goal"),
}


class AuditEvent(models.Model):
    """Who did what, when: an append-only log written by domain functions.

    ``organizer`` is empty for events about an account itself rather than anything inside an
    organiser (a password change, a login lockout): an account belongs to no organiser, and such
    an event is nobody else's business.
    """

    organizer = models.ForeignKey(
        "organisations.Organizer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    summary = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organizer", "object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_type}#{self.object_id}"

    @property
    def label(self):
        return VERB_LABELS.get(self.verb, self.verb)


def record(*, organizer, actor, verb, obj, summary=""):
    """Append an audit event for ``obj`` (``organizer=None``: an account-level event).

    Side effect: one AuditEvent row."""
    return AuditEvent.objects.create(
        organizer=organizer,
        actor=actor if actor and actor.is_authenticated else None,
        verb=verb,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        summary=summary[:300],
    )


def history(*, organizer, obj):
    return AuditEvent.objects.filter(
        organizer=organizer, object_type=obj._meta.model_name, object_id=obj.pk
    ).select_related("actor")


class ScheduledJob(models.Model):
    """The lease row of one periodic job of ``STEGVIS_SCHEDULE`` (``core.scheduler``, docs/scheduler.md).

    A scheduler runs the job only after taking this row with one conditional UPDATE (due, and not
    leased or the lease expired), so two schedulers never run one job at the same time. Written
    only by ``core.scheduler``; not tenant data (no organiser).
    """

    name = models.CharField(max_length=100, unique=True)
    next_due = models.DateTimeField(null=True, blank=True, help_text="empty: due now")
    retry = models.PositiveIntegerField(default=0, help_text="the next run is the n-th retry after a failure")
    locked_by = models.CharField(max_length=200, blank=True, help_text="the scheduler running the job now")
    locked_until = models.DateTimeField(null=True, blank=True, help_text="the lease; renewed while the job runs")
    last_started = models.DateTimeField(null=True, blank=True)
    last_finished = models.DateTimeField(null=True, blank=True)
    last_failed = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="failed runs in a row")
    runs = models.PositiveIntegerField(default=0, help_text="runs started, in all")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Heartbeat(models.Model):
    """When a background process last showed it was alive: "scheduler" and "worker" (``core.heartbeat``).

    One row per kind, overwritten each minute; ``/health/`` reads them in one query. Not tenant
    data (no organiser).
    """

    name = models.CharField(max_length=20, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class SentMail(models.Model):
    """One e-mail, as rendered and handed (or to be handed) to the mail server.

    Written by ``core.mail.send`` and updated only by ``core.mail``: the record an admin reads
    to see what was sent to whom, and the guard that nothing is sent twice (``dedupe_key``).
    ``organizer`` is empty for mail about an account itself (a password reset).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    organizer = models.ForeignKey(
        "organisations.Organizer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_email = models.EmailField(_("recipient"), max_length=254)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300)
    language = models.CharField(_("language"), max_length=8)
    link = models.CharField(_("about"), max_length=500, blank=True, help_text=_("A page the mail is about."))
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # A one-time secret in the bodies (a set-password link): kept only until the mail is
    # delivered or given up, then blanked out of the bodies; never shown on the mail page.
    secret = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organizer", "-created_at"]),
            models.Index(fields=["status", "attempted_at"]),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email} ({self.status})"
