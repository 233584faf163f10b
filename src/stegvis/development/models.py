"""Competence development (docs/development.md): initiatives with purpose and goals, tracks,
enrolments and track choices, the evaluation (a survey of its own, ``surveys.custom``), and what
follows: actions in units' action plans linked to the initiative and meetings to spread it.

Personal data: an ``Enrolment`` says that a person takes part (and which tracks they chose, and
when an evaluation link was mailed to them); whether they answered is never stored against them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Initiative(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        EVALUATED = "evaluated", _("Evaluated")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=4000)
    # who owns it: the organiser (both empty), a district (its leads) or a unit (its principal)
    owner_district = models.ForeignKey(
        "organisations.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("district that owns it"),
    )  # fmt: skip
    owner_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("unit that owns it"),
    )  # fmt: skip
    # the target group: roles (organisations.Role values), districts and units; empty: everyone
    target_roles = models.JSONField(_("roles"), default=list, blank=True)
    # the links are tables of their own that carry the organiser, like every tenant table
    target_districts = models.ManyToManyField(
        "organisations.District",
        blank=True,
        related_name="+",
        verbose_name=_("districts"),
        through="InitiativeDistrict",
    )
    target_units = models.ManyToManyField(
        "organisations.Unit", blank=True, related_name="+", verbose_name=_("units"), through="InitiativeUnit"
    )
    indicators = models.ManyToManyField(
        "frameworks.Indicator",
        blank=True,
        related_name="+",
        verbose_name=_("indicators"),
        through="InitiativeIndicator",
    )
    areas = models.ManyToManyField(
        "frameworks.Area", blank=True, related_name="+", verbose_name=_("areas"), through="InitiativeArea"
    )
    budget = models.PositiveIntegerField(_("budget (SEK)"), null=True, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    choose_at_most = models.PositiveSmallIntegerField(
        _("tracks each participant may choose"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    evaluation = models.OneToOneField(
        "surveys.CustomSurvey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["organizer", "status"], name="initiative_org_status")]

    def __str__(self):
        return self.title


def _link(name, target, field):
    """A link table of an initiative to ``target`` ("app.Model") in field ``field``, with the organiser."""
    attrs = {
        "__module__": __name__,
        "organizer": models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+"),
        "initiative": models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+"),
        field: models.ForeignKey(target, on_delete=models.CASCADE, related_name="+"),
        "objects": ScopedManager(organizer="organizer"),
        "Meta": type(
            "Meta",
            (),
            {"constraints": [models.UniqueConstraint(fields=["initiative", field], name=f"{name.lower()}_unique")]},
        ),
    }
    return type(name, (models.Model,), attrs)


InitiativeDistrict = _link("InitiativeDistrict", "organisations.District", "district")
InitiativeUnit = _link("InitiativeUnit", "organisations.Unit", "unit")
InitiativeIndicator = _link("InitiativeIndicator", "frameworks.Indicator", "indicator")
InitiativeArea = _link("InitiativeArea", "frameworks.Area", "area")


class Goal(models.Model):
    """A stated goal of the initiative and how it is checked; the evaluation asks about each."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("goal"), max_length=300)
    check_text = models.CharField(_("how it is checked"), max_length=300)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["initiative", "order", "id"]

    def __str__(self):
        return self.text


class Track(models.Model):
    """A track or session: when, where (a place or a video link), how many it takes."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="tracks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit."))
    sequence = models.PositiveIntegerField(default=0)  # raised on each change (calendar feeds)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["initiative", "starts_at", "title"]

    def __str__(self):
        return self.title


class Enrolment(models.Model):
    """A person taking part. ``evaluation_sent_on``: the day an evaluation link was mailed to
    them (the link itself names no one, and whether it was used is not kept here)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    evaluation_sent_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["initiative", "user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="enrolment_unique")]


class TrackChoice(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="choices")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="choices")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "track"], name="trackchoice_unique")]


class LinkedAction(models.Model):
    """An action in a unit's action plan that follows from the initiative."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="linked_actions")
    action = models.ForeignKey("planning.Action", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "action"], name="linkedaction_unique")]


class SpreadMeeting(models.Model):
    """A meeting to spread what the initiative brought: a dated note."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="spread_meetings")
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["initiative", "-date", "-id"]
