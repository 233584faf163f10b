from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ActionPlan(models.Model):
    """A unit's action plan for a round, made when the principal's assessment is published."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="action_plans")
    round = models.ForeignKey("cycles.Round", on_delete=models.PROTECT, related_name="action_plans")
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
        "frameworks.Indicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator"),
    )
    activity = models.ForeignKey(
        "frameworks.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 is the most urgent."),
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True, help_text=_("Who is responsible."))
    # The owner as a user of the organiser (gets the action's reminders, sees it under "my
    # actions"); ``owner`` stays for a name without an account. Set only to a member of the
    # organiser (domain.add_action / update_action check it).
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner (user)"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
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

    @property
    def owner_label(self):
        """Who owns the action, as shown: the user's name, else the free-text name."""
        if self.owner_user_id:
            return self.owner_user.display_name
        return self.owner


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


class ActivityOutcome(models.Model):
    """Read model of "what works" (docs/what-works.md): for one suggested activity, how many units
    that completed it rose on its indicator by the next round, against the units at the same
    starting level that did not. One row per organiser (or, with ``organizer`` empty, for the
    organisers that share national figures) x activity x school form (0: all units).

    Computed by the goals room's scheduled job (``goals.whatworks``) and written only through
    ``planning.domain.replace_activity_outcomes``; read by ``planning.outcomes``. Never edited
    by hand. The counts are of units; no figure is shown from them below the rules in
    ``planning.outcomes``.
    """

    organizer = models.ForeignKey(
        "organisations.Organizer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey("frameworks.Activity", on_delete=models.CASCADE, related_name="+")
    school_form = models.PositiveSmallIntegerField(default=0, help_text="a school form's bit; 0 for all units")
    did = models.PositiveIntegerField(default=0, help_text="units that completed the activity")
    did_rose = models.PositiveIntegerField(default=0)
    others = models.PositiveIntegerField(default=0, help_text="units at the same starting level that did not")
    others_rose = models.PositiveIntegerField(default=0)
    # national rows: how many organisers the units of each group come from
    did_organizers = models.PositiveIntegerField(default=0)
    others_organizers = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    # National rows (organizer is null) are shared by all; read them only through ``unscoped``.
    objects = ScopedManager(organizer="organizer")
    unscoped = models.Manager()  # noqa: DJ012 (a manager, declared after the default one on purpose)

    class Meta:
        indexes = [models.Index(fields=["organizer", "school_form", "activity"], name="outcome_org_form")]
