"""Anonymous surveys of staff, pupils and guardians (docs/surveys.md, docs/anonymity.md).

A ``Survey`` asks one respondent group of the round's framework (``Framework.survey_groups``)
in a window of time, in one or many units. People answer through links (``SurveyLink``): one
public link per unit (and optionally per group code, a class or a work team), or personal
one-use links mailed to staff. A ``Response`` (its scale answers in one field) and its
free-text ``Answer`` rows hold no account, no address, no user agent, no time finer than the
day and random ids that reveal no order; the
record that a personal link was used (``SurveyLink.used``) has no relation to the response.
``SurveyFigure`` and ``SurveyTally`` are the pre-aggregated counts the result pages read
(refreshed by ``aggregate.refresh``, a scheduled job and on close).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

K_DEFAULT = 5  # docs/anonymity.md; an organiser may raise it (Survey.k), never lower it


class Survey(models.Model):
    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Distribution(models.TextChoices):
        LINKS = "links", _("Links and QR codes per unit")
        PERSONAL = "personal", _("Personal one-use links by e-mail")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("cycles.Round", on_delete=models.CASCADE, related_name="surveys", verbose_name=_("round"))
    respondent_group = models.SlugField(_("respondent group"), max_length=40)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    distribution = models.CharField(
        _("distribution"), max_length=10, choices=Distribution.choices, default=Distribution.LINKS
    )
    k = models.PositiveSmallIntegerField(_("smallest group shown"), default=K_DEFAULT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # when the figures were last computed, and from how many responses (aggregate.refresh)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refreshed_count = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-opens_at", "respondent_group"]
        indexes = [models.Index(fields=["organizer", "round"], name="survey_org_round")]

    def __str__(self):
        return f"{self.round} {self.respondent_group}"

    @property
    def ends_at(self):
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    def state_at(self, now):
        if now >= self.ends_at:
            return self.State.CLOSED
        return self.State.UPCOMING if now < self.opens_at else self.State.OPEN

    @property
    def state(self):
        return self.state_at(timezone.now())

    def get_state_display(self):
        return self.State(self.state).label

    @property
    def is_open(self):
        return self.state == self.State.OPEN


class SurveyUnit(models.Model):
    """A unit the survey asks (whatever its links: public, group codes or personal)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="survey_units")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(organizer="organizer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="surveyunit_unique")]


class SurveyLink(models.Model):
    """A way in: the unit's public link (``code`` empty), a group code's public link (a class, a
    work team: response rates per group), or a personal one-use link (``personal``).

    A public link is meant to be shown on a screen and printed, so its token is kept
    (``public_token``) to show again; a personal link's token is only mailed, never stored.
    ``used`` (personal links only) has no time and no relation to the response it led to.
    """

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("group code"), max_length=20, blank=True)
    expected = models.PositiveIntegerField(_("expected respondents"), null=True, blank=True)
    personal = models.BooleanField(default=False)
    used = models.BooleanField(default=False)
    access_token = models.OneToOneField(
        "organisations.AccessToken", on_delete=models.CASCADE, related_name="survey_link"
    )
    public_token = models.CharField(max_length=80, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["unit__name", "code"]
        indexes = [models.Index(fields=["survey", "unit"], name="surveylink_survey_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "code"], condition=models.Q(personal=False), name="surveylink_unique_code"
            )
        ]

    def __str__(self):
        return f"{self.survey} {self.unit} {self.code}"


def _random_id():
    return uuid.uuid4()


class Response(models.Model):
    """One respondent's answers. No account, no address, no user agent, only the day; the id is
    random (uuid4) so neither it nor the answers' ids reveal the order of responses.
    ``submit_key`` is a hash of a random key in the answer form: a double submit stores one.

    ``scale_answers`` holds every scale answer of the response in the row itself,
    ``{"<question id>": step}`` with the step 1..n (lowest first) or 0 ("don't know"),
    unanswered questions left out: one row per submission, however many questions
    (docs/anonymity.md, "Storage"). Free-text answers are ``Answer`` rows."""

    DONT_KNOW = 0

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    # Every index is written on each of hundreds of submissions a second (docs/surveys.md, "The
    # submit path"): the survey's own index would repeat the first column of (survey, unit), and
    # submit_key's uniqueness is a constraint, not unique=True, which on PostgreSQL adds a second
    # index for LIKE that nothing asks.
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", db_index=False)
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, blank=True)
    day = models.DateField()
    submit_key = models.CharField(max_length=64)
    scale_answers = models.JSONField(default=dict)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        indexes = [models.Index(fields=["survey", "unit"], name="response_survey_unit")]
        constraints = [models.UniqueConstraint(fields=["submit_key"], name="response_submit_key")]


class Answer(models.Model):
    """One free-text answer of a response (scale answers are in ``Response.scale_answers``);
    blanked after the retention time (``holdings.purge_free_text``)."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("frameworks.SurveyQuestion", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    objects = ScopedManager(organizer="organizer")


class SurveyTally(models.Model):
    """Responses per survey, unit and group code (pre-aggregated; ``aggregate.refresh``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, blank=True)
    responses = models.PositiveIntegerField()

    objects = ScopedManager(organizer="organizer")

    class Meta:
        indexes = [models.Index(fields=["survey", "unit"], name="surveytally_survey_unit")]


class SurveyFigure(models.Model):
    """Per survey, unit, group code and scale question: answers on the scale (``answered``,
    "don't know" not counted), of them positive, and "don't know" (``aggregate.refresh``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="figures")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, blank=True)
    question = models.ForeignKey("frameworks.SurveyQuestion", on_delete=models.CASCADE, related_name="+")
    answered = models.PositiveIntegerField()
    positive = models.PositiveIntegerField()
    dont_know = models.PositiveIntegerField()

    objects = ScopedManager(organizer="organizer")

    class Meta:
        indexes = [models.Index(fields=["survey", "unit"], name="surveyfigure_survey_unit")]


# -- surveys with questions of their own (custom.py; docs/surveys.md "Surveys of their own") ----
# A higher room (competence development's evaluations) asks its own questions of the people it
# names, through personal one-use links, under the same anonymity rules. The tables stand beside
# the round surveys' so that nothing that reads those (framework questions, units, rounds)
# changes: a response holds no account, no address, no unit and only the day.


class CustomSurvey(models.Model):
    """A survey with its own questions, not tied to a round or a unit; answered only through
    personal one-use links (``CustomLink``)."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, max_length=2000)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    k = models.PositiveSmallIntegerField(_("smallest group shown"), default=K_DEFAULT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    def __str__(self):
        return self.title

    @property
    def ends_at(self):
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    def state_at(self, now):
        if now >= self.ends_at:
            return Survey.State.CLOSED
        return Survey.State.UPCOMING if now < self.opens_at else Survey.State.OPEN

    @property
    def state(self):
        return self.state_at(timezone.now())


class CustomQuestion(models.Model):
    """A question of a ``CustomSurvey``: on the engine's extent scale (``custom.EXTENT_SCALE``,
    stored with the question) or free text. ``key`` lets the asking room find its own thing
    again (e.g. "goal-12")."""

    class Kind(models.TextChoices):
        SCALE = "scale", "scale"
        TEXT = "text", "text"

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(CustomSurvey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCALE)
    text = models.CharField(max_length=500)
    scale = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["survey", "order"]

    @property
    def step_count(self):
        return len((self.scale or {}).get("steps") or [])

    @property
    def positive_from(self):
        return self.step_count // 2 + 1


class CustomLink(models.Model):
    """A personal one-use link (its token only mailed, never stored). ``used`` has no time and no
    relation to the response it led to, and the link names no person."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(CustomSurvey, on_delete=models.CASCADE, related_name="links")
    used = models.BooleanField(default=False)
    access_token = models.OneToOneField(
        "organisations.AccessToken", on_delete=models.CASCADE, related_name="custom_survey_link"
    )

    objects = ScopedManager(organizer="organizer")


class CustomResponse(models.Model):
    """One respondent's answers: no account, address, unit or time, only the day; a random id."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(CustomSurvey, on_delete=models.CASCADE, related_name="responses")
    day = models.DateField()
    submit_key = models.CharField(max_length=64, unique=True)

    objects = ScopedManager(organizer="organizer")


class CustomAnswer(models.Model):
    """``value`` 1..n on the question's scale or 0 ("don't know"), or ``text``."""

    DONT_KNOW = 0

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(CustomResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CustomQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    objects = ScopedManager(organizer="organizer")
