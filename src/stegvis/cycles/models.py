"""Rounds (omgångar): the organiser's yearly cycle of assessment, with its dates and its units."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Round(models.Model):
    """An assessment round (omgång), typically a school year, opened by the organiser.

    ``status`` is data (open or closed, set by the organiser); ``state`` adds what the date
    says: an open round whose ``opens_on`` is still ahead is *upcoming*. It is visible to the
    organiser but nothing can be started in it and no page picks it by default.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="rounds")
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, verbose_name=_("framework"))
    name = models.CharField(_("name"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("publish by"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    survey_opens_on = models.DateField(_("survey window opens"), null=True, blank=True)
    survey_closes_on = models.DateField(_("survey window closes"), null=True, blank=True)
    # Perspective codes (assessments.Perspective) the organiser expects besides the principal's.
    expected_perspectives = models.JSONField(_("expected perspectives"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organizer", "name"], name="round_unique_name")]

    def __str__(self):
        return self.name

    @property
    def is_upcoming(self):
        """Open, but its opening date is still ahead (in the organiser's time zone)."""
        return self.status == self.Status.OPEN and self.opens_on > timezone.localdate()

    @property
    def is_open(self):
        """Open and started: assessments can be started, answered and published."""
        return self.status == self.Status.OPEN and not self.is_upcoming

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def state(self):
        if self.is_closed:
            return self.State.CLOSED
        return self.State.UPCOMING if self.is_upcoming else self.State.OPEN

    def get_state_display(self):
        return self.State(self.state).label


class RoundUnit(models.Model):
    """A unit taking part in a round: the units every total of the round counts.

    Filled when the round is opened (every active unit) and when a unit is created, imported
    or reactivated while the round is open; a unit deactivated while it is open leaves it.
    A closed round is frozen: it keeps the units it had. Written only by ``cycles.domain``.
    """

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="round_memberships")

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="roundunit_unique")]


class FollowUpDate(models.Model):
    """A date in a round when the units' action plans are reviewed (e.g. a mid-year review)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120, blank=True)
    # Raised each time the date or title changes, so calendar feeds can tell clients it moved.
    sequence = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "date"], name="followup_unique_date")]

    def __str__(self):
        return self.title or str(self.date)
