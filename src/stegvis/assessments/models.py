from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Perspective(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    IT_EDUCATOR = "it_educator", _("IT educator")
    LEADERSHIP_GROUP = "leadership_group", _("Leadership group")
    WORK_TEAM = "work_team", _("Work team")


class Assessment(models.Model):
    """One perspective's assessment of a unit in a round. Published versions are read-only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="assessments")
    round = models.ForeignKey("cycles.Round", on_delete=models.PROTECT, related_name="assessments")
    perspective = models.CharField(max_length=20, choices=Perspective.choices, default=Perspective.PRINCIPAL)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["round", "unit", "perspective", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "round", "perspective", "version"], name="assessment_unique_version"
            ),
            models.UniqueConstraint(
                fields=["unit", "round", "perspective"], condition=Q(status="draft"), name="assessment_one_draft"
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.round} – {self.get_perspective_display()} v{self.version}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class Answer(models.Model):
    """The level chosen for one indicator, or "not relevant", with an optional comment."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey("frameworks.Indicator", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    not_relevant = models.BooleanField(default=False)
    comment = models.TextField(blank=True, max_length=4000)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="answer_unique_indicator"),
            models.CheckConstraint(
                name="answer_not_both_level_and_not_relevant",
                condition=~Q(level__isnull=False, not_relevant=True),
            ),
        ]

    @property
    def is_answered(self):
        return self.not_relevant or self.level is not None
