"""The calendar's own data: the organiser's own events, the feeds, and the revisions of the
events derived from other rooms (so a moved deadline gets a higher SEQUENCE). docs/calendar.md."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Event(models.Model):
    """An event the organiser adds to its year wheel ("Kvalitetsdialog med nämnden"): for the
    whole organiser or for one district. Written only by ``calendar.domain``."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "organisations.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Empty: the event concerns the whole organiser."),
    )
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True, help_text=_("Only for events over several days."))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # Raised each time the event changes, so calendar clients replace the copy they have.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["starts_on", "starts_at", "id"]
        indexes = [models.Index(fields=["organizer", "starts_on"], name="calendar_event_org_day")]

    def __str__(self):
        return self.title


class Feed(models.Model):
    """A calendar feed behind the token door (``/t/<token>/calendar.ics``): a user's personal
    feed (``user`` set: the events that concern that user) or the organiser's feed of the whole
    wheel (``user`` empty, managed by organiser admins). The token's target is this row; a
    revoked token closes the feed. At most one live feed per user and organiser."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    token = models.OneToOneField("organisations.AccessToken", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_live(self):
        return self.token.revoked_at is None


class Revision(models.Model):
    """The SEQUENCE of an event derived from another room (a round's deadline, its survey
    window): the digest of its content when last served, and how often that content changed.
    Updated when a feed is read (``calendar.feeds.apply_sequences``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    uid = models.CharField(max_length=120)
    digest = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organizer", "uid"], name="calendar_revision_uid")]
