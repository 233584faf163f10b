"""Rounds (omgångar): the organiser's yearly cycle of assessment, with its dates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Round(models.Model):
    """An assessment round (omgång), typically a school year, opened by the organiser."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="rounds")
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, verbose_name=_("framework"))
    name = models.CharField(_("name"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("publish by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organizer", "name"], name="round_unique_name")]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
