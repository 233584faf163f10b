"""Measurable goals (mätbara mål) with baseline, target and sub-goals, computed from the data
(docs/goals.md). A goal's measure is a definition (``measures.py``); its value per round is
computed by ``values.py`` into ``GoalValue`` rows, never typed in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Measure(models.TextChoices):
    SHARE_AT_LEVEL = "share_at_level", _("Share of units at or above a level")
    MEAN_LEVEL = "mean_level", _("Mean level")
    MATURITY_INDEX = "maturity_index", _("Maturity index")
    ACTIONS_DONE = "actions_done", _("Share of planned actions done")
    UNITS_PUBLISHED = "units_published", _("Share of units that have published")


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
