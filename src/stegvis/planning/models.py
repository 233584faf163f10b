from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ActionPlan(models.Model):
    """A unit's action plan for a round, made when the principal's assessment is published."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="action_plans")
    round = models.ForeignKey("assessments.Round", on_delete=models.PROTECT, related_name="action_plans")
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-round__opens_on"]
        constraints = [models.UniqueConstraint(fields=["unit", "round"], name="actionplan_unique_round")]

    def __str__(self):
        return f"{self.unit} – {self.round}"


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        "frameworks.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    activity = models.ForeignKey("frameworks.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 is the most urgent."),
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True, help_text=_("Who is responsible."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to")
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["priority", "due_date", "id"]
        constraints = [
            models.CheckConstraint(name="action_priority_1_to_3", condition=models.Q(priority__gte=1, priority__lte=3)),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class Note(models.Model):
    """A dated follow-up note on an action."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("date"))
    text = models.TextField(_("note"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-date", "-id"]


class PlanCell(models.Model):
    """Read model: one row per unit x indicator x round, for the organiser's overview grid.

    Kept current by ``planning.readmodel`` whenever an assessment is published or an action
    changes; never edited by hand. ``state`` is what the grid's plan mode shows:
      na       grey: not assessed, or not relevant for the unit
      none     empty: assessed below the top level, nothing planned
      planned  yellow with the priority: an action is planned or in progress
      done     green: the top level is reached, or an action for it is done
    """

    class State(models.TextChoices):
        NA = "na", _("Not assessed or not relevant")
        NONE = "none", _("Nothing planned")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Reached or done")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    district_id = models.BigIntegerField(null=True, db_index=False)
    indicator = models.ForeignKey("frameworks.Indicator", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(null=True)
    not_relevant = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices)
    priority = models.PositiveSmallIntegerField(null=True)
    # level + 10 x state code + 100 x priority (readmodel.cell_code): the overview grid reads
    # this one integer per cell instead of four columns.
    code = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit", "indicator"], name="plancell_unique")]
        indexes = [models.Index(fields=["organizer", "round", "unit"], name="plancell_org_round")]
