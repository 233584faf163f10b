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


OTHER_PERSPECTIVES = [(k, v) for k, v in Perspective.choices if k != Perspective.PRINCIPAL]


class AssessorGroup(models.Model):
    """The assessors of one perspective other than the principal's, for one unit in one round:
    the unit's IT educators, its leadership group, or one named work team ("Arbetslag F-3").
    Each group makes one assessment of its own (``Assessment.group``); several groups of the
    same perspective (work teams) differ by name. See docs/perspectives.md."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="assessor_groups")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="assessor_groups")
    perspective = models.CharField(max_length=20, choices=OTHER_PERSPECTIVES)
    name = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["unit", "round", "perspective", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "round", "perspective", "name"], name="assessor_group_unique_name"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """What the group is called on pages: its name (a work team's), else its perspective."""
        return self.name or str(self.get_perspective_display())


class Assessor(models.Model):
    """A member of an assessor group: a user of the organiser, or an e-mail invitation
    (``organisations.Invitation``) that counts from the moment it is accepted (its
    ``accepted_by`` is the assessor). Nothing else is stored about the person."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(AssessorGroup, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    invitation = models.ForeignKey(
        "organisations.Invitation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(user__isnull=False), name="assessor_unique_user"
            ),
            models.UniqueConstraint(
                fields=["group", "invitation"], condition=Q(invitation__isnull=False), name="assessor_unique_invitation"
            ),
            models.CheckConstraint(
                name="assessor_user_or_invitation", condition=Q(user__isnull=False) | Q(invitation__isnull=False)
            ),
        ]


class Assessment(models.Model):
    """One perspective's assessment of a unit in a round. Published versions are read-only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="assessments")
    round = models.ForeignKey("cycles.Round", on_delete=models.PROTECT, related_name="assessments")
    perspective = models.CharField(max_length=20, choices=Perspective.choices, default=Perspective.PRINCIPAL)
    # the assessor group of another perspective than the principal's (None: the principal's, or
    # an older assessment of another perspective made before groups existed)
    group = models.ForeignKey(
        AssessorGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
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
                fields=["unit", "round", "perspective", "version"],
                condition=Q(group__isnull=True),
                name="assessment_unique_version",
            ),
            models.UniqueConstraint(
                fields=["unit", "round", "perspective"],
                condition=Q(status="draft", group__isnull=True),
                name="assessment_one_draft",
            ),
            models.UniqueConstraint(
                fields=["group", "version"], condition=Q(group__isnull=False), name="assessment_group_unique_version"
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="draft", group__isnull=False), name="assessment_group_one_draft"
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.round} – {self.perspective_label} v{self.version}"

    @property
    def perspective_label(self):
        """The perspective as pages name it: a group's label ("Arbetslag F-3"), else the perspective."""
        return self.group.label if self.group_id else str(self.get_perspective_display())

    @property
    def perspective_key(self):
        """One key per assessing perspective of a unit in a round: "principal", or "g<group id>"."""
        return f"g{self.group_id}" if self.group_id else self.perspective

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


class DiscussionNote(models.Model):
    """A note in the discussion of one indicator of a unit in a round, where perspectives
    differ: written by the principal or an assessor, dated, with its author."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("frameworks.Indicator", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["unit", "round", "indicator", "created_at", "id"]
        indexes = [models.Index(fields=["unit", "round"], name="discussion_unit_round")]
