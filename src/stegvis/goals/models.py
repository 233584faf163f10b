"""Measurable goals (mätbara mål) with baseline, target and sub-goals, computed from the data
(docs/goals.md). A goal's measure is a definition (``measures.py``); its value per round is
computed by ``values.py`` into ``GoalValue`` rows, never typed in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager


class Measure(models.TextChoices):
    SHARE_AT_LEVEL = "share_at_level", _("Share of units at or above a level")
    MEAN_LEVEL = "mean_level", _("Mean level")
    MATURITY_INDEX = "maturity_index", _("Maturity index")
    ACTIONS_DONE = "actions_done", _("Share of planned actions done")
    UNITS_PUBLISHED = "units_published", _("Share of units that have published")
    # -- certification and surveys (certification.py, values.py) --
    UNITS_CERTIFIED = "units_certified", _("Share of units certified")
    SURVEY_POSITIVE = "survey_positive", _("Share of positive survey answers")


class Goal(models.Model):
    """A goal of the organiser, a district or a unit, on one measure, with a baseline computed
    from a chosen round and a target value and date. A goal with a ``parent`` is a sub-goal
    (delmål) of it. Changed only by ``goals.domain``."""

    class Scope(models.TextChoices):
        ORGANIZER = "organizer", _("The whole organiser")
        DISTRICT = "district", _("A district")
        UNIT = "unit", _("A unit")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="subgoals")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    scope = models.CharField(_("whose goal"), max_length=10, choices=Scope.choices, default=Scope.ORGANIZER)
    district = models.ForeignKey(
        "organisations.District", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("district")
    )
    unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("unit")
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # What the measure is taken on: an indicator (by its code, so it follows the framework's
    # versions) or an area (by key), and for a share the level; empty where the measure needs none.
    indicator_code = models.CharField(_("indicator"), max_length=20, blank=True)
    area_key = models.CharField(_("area"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    # survey measure: the respondent group and one question (by key), or the area's questions
    respondent_group = models.SlugField(_("respondent group"), max_length=40, blank=True)
    question_key = models.SlugField(_("survey question"), max_length=80, blank=True)
    # units certified: the certification rule counted
    certification_rule = models.ForeignKey(
        "goals.CertificationRule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("certification rule"),
    )
    baseline_round = models.ForeignKey(
        "cycles.Round", on_delete=models.PROTECT, related_name="+", verbose_name=_("baseline round")
    )
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_base = models.PositiveIntegerField(default=0, help_text="what the baseline rests on (units)")
    target_value = models.FloatField(_("target value"))
    target_date = models.DateField(_("target date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    actions = models.ManyToManyField("planning.Action", blank=True, related_name="+", verbose_name=_("actions"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self):
        return self.title


class GoalValue(models.Model):
    """A goal's computed value in one round (``values.py``), what it rests on, and the
    follow-up comment written for that round."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="values")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(null=True)
    base = models.PositiveIntegerField(default=0, help_text="units (or actions) the value rests on")
    of = models.PositiveIntegerField(default=0, help_text="units in scope in the round")
    computed_at = models.DateTimeField(auto_now=True)
    comment = models.TextField(blank=True, max_length=2000)
    comment_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "round"], name="goalvalue_unique")]


class GoalInitiative(models.Model):
    """A measurable goal that a competence-development initiative serves (docs/development.md,
    "Measurable goals"). The link lives here because goals stands above development: the
    initiative's page shows its goals through a ``core.slots`` slot that goals fills, and
    development knows nothing of this table. Changed only by ``goals.domain``."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="initiative_links")
    initiative = models.ForeignKey("development.Initiative", on_delete=models.CASCADE, related_name="+")
    # who linked it is in the audit log only (no personal data here)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "initiative"], name="goalinitiative_unique")]


class GoalSnapshot(models.Model):
    """What an organiser's goal values in a round were computed from (``values.ensure_fresh``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=200)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organizer", "round"], name="goalsnapshot_unique")]


class GoalTemplate(models.Model):
    """A goal in the organiser's own library (the shipped library is in ``library.py``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("goal"), max_length=300)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    indicator_code = models.CharField(_("indicator"), max_length=20, blank=True)
    area_key = models.CharField(_("area"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    respondent_group = models.SlugField(_("respondent group"), max_length=40, blank=True)
    question_key = models.SlugField(_("survey question"), max_length=80, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class WhatWorksSnapshot(models.Model):
    """What an organiser's "what works" figures were computed from (``whatworks.refresh``), so a
    pass recomputes only the organisers whose plans or published levels changed since. The row
    with no organiser is the national figures' (``source``: the sharing organisers)."""

    organizer = models.ForeignKey(
        "organisations.Organizer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=200)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0, help_text="how long the computation took")

    objects = ScopedManager(organizer="organizer")
    unscoped = models.Manager()  # noqa: DJ012 (a manager, declared after the default one on purpose)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organizer"], name="whatworks_snapshot_unique")]


# -- certification and the council indicator (certification.py, council.py; docs/goals.md) --


class CertificationRule(models.Model):
    """The organiser's rule for certifying a unit from its levels in a round (digital
    certifiering), optionally with a survey and a plan condition. Evaluated by
    ``certification.py``; changed only by ``certification.py``'s domain functions."""

    class Over(models.TextChoices):
        ALL = "all", _("Every indicator")
        AREA = "area", _("The indicators of an area")
        INDICATORS = "indicators", _("Chosen indicators")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    over = models.CharField(_("indicators counted"), max_length=12, choices=Over.choices, default=Over.ALL)
    area_key = models.CharField(_("area"), max_length=60, blank=True)
    indicator_codes = models.CharField(
        _("indicators"), max_length=500, blank=True, help_text=_("Indicator codes separated by commas, e.g. L1, K2.")
    )
    every_at_least = models.PositiveSmallIntegerField(_("every indicator at or above level"), null=True, blank=True)
    none_below = models.PositiveSmallIntegerField(_("no indicator below level"), null=True, blank=True)
    some_count = models.PositiveSmallIntegerField(_("at least this many indicators"), null=True, blank=True)
    some_level = models.PositiveSmallIntegerField(_("at or above level"), null=True, blank=True)
    survey_group = models.SlugField(_("survey respondent group"), max_length=40, blank=True)
    survey_area_key = models.CharField(_("survey area"), max_length=60, blank=True)
    survey_min_share = models.PositiveSmallIntegerField(_("positive answers at least (%)"), null=True, blank=True)
    plan_checks = models.JSONField(default=list, blank=True, help_text="keys of certification.PLAN_CHECKS required")
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def codes(self):
        return [c.strip() for c in self.indicator_codes.split(",") if c.strip()]


class Certification(models.Model):
    """One unit's result under one rule in one round: certified or not, and, when not, what
    it lacks (``certification.evaluate``). Recomputed by ``certification.ensure_fresh``."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(CertificationRule, on_delete=models.CASCADE, related_name="results")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    certified = models.BooleanField(default=False)
    # what it lacks, as codes the page puts into words: [["below", "K2", 1], ["survey", 62], ...]
    missing = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "round", "unit"], name="certification_unique")]
        indexes = [models.Index(fields=["organizer", "round", "certified"], name="certification_round")]


class CertificationSnapshot(models.Model):
    """What a round's certifications were computed from (``certification.ensure_fresh``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=200)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organizer", "round"], name="certsnapshot_unique")]


class CouncilIndicator(models.Model):
    """The measure the organiser reports to the council (kommunfullmäktige) as the indicator of
    its goal for digitalisation; without a row it is the maturity index (``council.py``)."""

    organizer = models.OneToOneField("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("the council's goal"), max_length=300, blank=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.MATURITY_INDEX)
    indicator_code = models.CharField(_("indicator"), max_length=20, blank=True)
    area_key = models.CharField(_("area"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    respondent_group = models.SlugField(_("respondent group"), max_length=40, blank=True)
    question_key = models.SlugField(_("survey question"), max_length=80, blank=True)
    certification_rule = models.ForeignKey(
        CertificationRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")


# -- local digital plans and the organiser's plan (docs/digital-plans.md) ---------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class DigitalPlan(models.Model):
    """A unit's local digital plan (lokal digital plan) for one school year (``school_year``: the
    year it starts, July to June). Drafted by ``plans.draft_unit_plan`` from the unit's published
    assessment, chosen actions and goals; the principal edits and adopts it. An adopted version
    is read-only; a new version of the same year starts from it. Changed only by ``goals.plans``."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # the round whose published assessment and action plan the draft was made from (if any)
    round = models.ForeignKey("cycles.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    leadership = models.TextField(_("Leadership"), blank=True, max_length=8000)
    infrastructure = models.TextField(_("Infrastructure"), blank=True, max_length=8000)
    competence = models.TextField(_("Competence"), blank=True, max_length=8000)
    use = models.TextField(pgettext_lazy("digital plan section", "Use"), blank=True, max_length=8000)
    diversity = models.TextField(_("Diversity"), blank=True, max_length=8000)
    food_for_thought = models.TextField(_("Food for thought"), blank=True, max_length=8000)
    goals = models.ManyToManyField(Goal, blank=True, related_name="+", verbose_name=_("goals"))
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-school_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year", "version"], name="digitalplan_unique_version"),
            models.UniqueConstraint(
                fields=["unit", "school_year"], condition=models.Q(status="draft"), name="digitalplan_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["organizer", "school_year"], name="digitalplan_org_year")]

    def __str__(self):
        return f"{self.unit} {self.school_year}/{(self.school_year + 1) % 100:02d} v{self.version}"

    @property
    def is_adopted(self):
        return self.status == PlanStatus.ADOPTED

    @property
    def year_label(self):
        """The school year as written: "2026/27"."""
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d}"


class OrganiserPlan(models.Model):
    """The organiser's own plan for one school year: its goals, the central support it gives
    (``CentralAction``) and a compiled summary of the units' plans (computed when read). Adopted
    like a unit's plan. Changed only by ``goals.plans``."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # the round whose to-do list (planned priority-1 cells) the central support was taken from
    round = models.ForeignKey("cycles.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    introduction = models.TextField(_("Introduction"), blank=True, max_length=8000)
    goals = models.ManyToManyField(Goal, blank=True, related_name="+", verbose_name=_("goals"))
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-school_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "school_year", "version"], name="organiserplan_unique_version"
            ),
            models.UniqueConstraint(
                fields=["organizer", "school_year"], condition=models.Q(status="draft"), name="organiserplan_one_draft"
            ),
        ]

    def __str__(self):
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d} v{self.version}"

    @property
    def is_adopted(self):
        return self.status == PlanStatus.ADOPTED

    @property
    def year_label(self):
        """The school year as written: "2026/27"."""
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d}"


class CentralAction(models.Model):
    """Central support in the organiser's plan: one indicator that many units plan at priority 1
    (from the overview's to-do list), turned into an action with an owner, a due date and a status."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)  # reminded; done and dropped are not

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(OrganiserPlan, on_delete=models.CASCADE, related_name="actions")
    indicator = models.ForeignKey(
        "frameworks.Indicator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    # how many units planned the indicator at priority 1 when the action was taken from the to-do list
    units_count = models.PositiveIntegerField(default=0)
    # the id of the action in an earlier version of the plan that this one is a copy of (the first
    # such), None for an action of its own: the year wheel and the reminders know it by that id
    origin = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-units_count", "id"]

    def __str__(self):
        return self.title
