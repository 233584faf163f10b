"""Background jobs as the user sees them: what was asked for, how far it has come, the file.

The task queue (django-tasks) runs the work; an ``ExportJob`` row is the part that belongs to
the product: it is scoped to the organiser, owned by the user who asked, and it outlives the
task result. State changes live in ``stegvis.exports.domain``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("export"), max_length=30)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True, help_text="Relative to the private export folder")
    download_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organizer", "user", "-created_at"], name="exportjob_org_user")]

    def __str__(self):
        return f"{self.kind} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
