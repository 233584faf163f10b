"""The organiser's retention rules (docs/privacy.md). What is deleted when is declared by the rooms
that hold the data (``core.personal_data.register_retention``); this row holds the organiser's
choice of months per kind, so a new kind needs no migration."""

from django.db import models
from django_scopes import ScopedManager


class RetentionPolicy(models.Model):
    organizer = models.OneToOneField("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    months = models.JSONField(
        default=dict, blank=True, help_text="kind -> months kept; a missing kind keeps its default"
    )
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_deleted = models.JSONField(default=dict, blank=True, help_text="kind -> rows deleted by the last run")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    def __str__(self):
        return f"retention of {self.organizer}"
