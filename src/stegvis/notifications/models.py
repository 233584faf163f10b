"""A round's reminder rules and each user's notification preferences (docs/notifications.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def default_days_before():
    return [14, 3, 0]


DIGEST_SURVEY_RATE = 50  # the default: an open survey's units below this response rate (%) are named in the digest


class ReminderRules(models.Model):
    """Which reminders a round sends, chosen by the organiser. Made with the defaults the first
    time a round is read without one (``domain.rules_for``); written by ``domain.change_rules``."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField("cycles.Round", on_delete=models.CASCADE, related_name="reminder_rules")
    # Days before the publish-by date (0: on the day) when principals who have not published are reminded.
    days_before = models.JSONField(_("days before the publish-by date"), default=default_days_before, blank=True)
    # Days after the publish-by date when the principal and the district lead are reminded (None: never).
    days_after = models.PositiveSmallIntegerField(_("days after the publish-by date"), null=True, blank=True, default=7)
    action_days_before = models.PositiveSmallIntegerField(
        _("days before an action's due date"), null=True, blank=True, default=7
    )
    action_overdue = models.BooleanField(_("when an action is overdue"), default=True)
    follow_up = models.BooleanField(_("at each follow-up date"), default=True)
    digest = models.BooleanField(_("weekly digest to organiser admins"), default=True)
    # The digest names an open survey's units whose response rate is below this many per cent (1-100).
    digest_survey_rate = models.PositiveSmallIntegerField(
        _("response rate named in the digest (%)"),
        default=DIGEST_SURVEY_RATE,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_survey_rate__gte=1, digest_survey_rate__lte=100),
                name="reminderrules_digest_survey_rate_1_100",
            )
        ]

    def __str__(self):
        return f"reminders of {self.round}"


class Preference(models.Model):
    """One user's notification choices in one organiser: the optional kinds they switched off.

    Also the target of their unsubscribe token (``tokens``): ``selector`` is the public half of
    it; the secret half is derived from SECRET_KEY, so the token itself is stored nowhere.
    """

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted = models.JSONField(default=list, blank=True, help_text="kinds (notifications.kinds) switched off")
    selector = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organizer", "user"], name="preference_unique_user")]

    def __str__(self):
        return f"preferences of {self.user_id} in {self.organizer_id}"
