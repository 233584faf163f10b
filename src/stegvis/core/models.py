from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
}


class AuditEvent(models.Model):
    """Who did what, when: an append-only log written by domain functions."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
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
    """Append an audit event for ``obj``. Side effect: one AuditEvent row."""
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
