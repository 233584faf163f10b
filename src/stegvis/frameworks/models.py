"""A framework: areas, (groups,) indicators, levels and suggested activities, loaded from a data file.

Texts are bilingual: ``<field>_sv`` and ``<field>_en`` (use the ``tr`` template filter); the
loader fills a language the file leaves out with the other, so both are always there.
A framework with no organiser is shared by all; an organiser may load its own.
Frameworks are never edited in place: a revision is a new version.

Levels are numbered 1..n from the lowest; a framework may give them labels of its own
(360 degree safe numbers its levels 5 down to 1), which is what pages and files show.
"""

from itertools import pairwise

from django.db import models
from django.db.models import Q

from stegvis.core import levels, numbers, schoolforms
from stegvis.core.i18n import bilingual, pick


class FrameworkQuerySet(models.QuerySet):
    def available_to(self, organizer):
        return self.filter(Q(organizer__isnull=True) | Q(organizer=organizer))


class Framework(models.Model):
    organizer = models.ForeignKey(
        "organisations.Organizer", null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )
    key = models.SlugField(max_length=60)
    version = models.CharField(max_length=30)
    name_sv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    level_names = models.JSONField(help_text="[{sv, en, label?}, ...] for levels 1..n, lowest first")
    tag_names = models.JSONField(default=dict, blank=True, help_text="{tag: {sv, en}} for the indicator tags")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What the framework calls its grouping between area and indicator ("Strand"), if it has one.
    group_term_sv = models.CharField(max_length=60, blank=True)
    group_term_en = models.CharField(max_length=60, blank=True)
    # The survey's respondent groups: [{key, audience (staff, pupils, guardians), name: {sv, en}}]
    # in the file's order; their questions are ``SurveyQuestion`` rows.
    survey_groups = models.JSONField(default=list, blank=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["organizer", "key", "version"], name="framework_unique_version"),
            models.UniqueConstraint(
                fields=["key", "version"], condition=Q(organizer__isnull=True), name="framework_unique_shared_version"
            ),
        ]

    def __str__(self):
        return f"{self.name_sv} {self.version}"

    @property
    def level_count(self):
        return len(self.level_names)

    def level_name(self, number, lang="sv"):
        names = self.level_names[number - 1]
        return pick(names.get("sv") or names.get("en") or "", names.get("en"), lang)

    def level_label(self, number):
        """What a page prints for level ``number`` (1 = lowest): its label, by default the number."""
        return str(self.level_names[number - 1].get("label") or number)

    @property
    def has_labels(self):
        """The framework labels its levels itself (else the labels are the numbers 1..n)."""
        return any("label" in names for names in self.level_names)

    def levels(self, lang="sv"):
        """``[(number, label, name, css class)]`` from the lowest level to the top."""
        return [
            (n, self.level_label(n), self.level_name(n, lang), levels.css_class(self.level_count, n))
            for n in range(1, self.level_count + 1)
        ]

    def level_scale(self):
        """``(first, step)`` when the labels are numbers evenly spaced (1, 2, 3 or 5, 4, 3, 2, 1):
        a mean level ``x`` then reads as the label ``first + (x - 1) * step``. None otherwise."""
        try:
            numbers = [float(self.level_label(n)) for n in range(1, self.level_count + 1)]
        except ValueError:
            return None
        step = numbers[1] - numbers[0]
        if step == 0 or any(abs(b - a - step) > 1e-9 for a, b in pairwise(numbers)):
            return None
        return numbers[0], step

    def mean_text(self, value):
        """A mean of level numbers written in the labels as every page writes a mean level
        (``numbers.figure``: "2,5" on the 5..1 scale for 3.5), or None when the labels are not
        evenly spaced numbers (then the caller shows the mean as is)."""
        label = self.mean_label(value)
        return None if label is None else numbers.figure(label, numbers.LEVEL_DIGITS)

    def mean_label(self, value):
        """A mean of level numbers as it reads in the framework's labels (a number), or None when
        the labels are not evenly spaced numbers."""
        scale = self.level_scale()
        if value is None or scale is None:
            return None
        first, step = scale
        return first + (value - 1) * step

    def tag_name(self, tag, lang="sv"):
        """A tag as people read it: its name in ``tag_names``, else one made from the key."""
        names = (self.tag_names or {}).get(tag) or {}
        return names.get(lang) or names.get("sv") or tag_label(tag)


def tag_label(tag):
    """A readable label made from a tag key: "digital-kompetens" -> "Digital kompetens"."""
    text = str(tag).replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField()
    name_sv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="area_unique_key")]

    def __str__(self):
        return self.name_sv


class Group(models.Model):
    """A grouping of an area's indicators (360 degree safe's strands, DigCompOrg's sub-elements)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField()
    name_sv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    class Meta:
        ordering = ["area__order", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="group_unique_key")]

    def __str__(self):
        return self.name_sv


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField(max_length=80)
    code = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField()
    title_sv = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    # the title in preschool wording ("barn", not "elever"), shown to preschool units; as for
    # Level and Activity, ``localized_text(indicator, "title", preschool=True)`` picks it
    preschool_sv = models.CharField(max_length=300, blank=True)
    preschool_en = models.CharField(max_length=300, blank=True)
    school_forms = models.PositiveSmallIntegerField(default=schoolforms.ALL_FORMS)
    tags = models.JSONField(default=list)
    previous_key = models.SlugField(max_length=80, blank=True, help_text="Indicator key in the previous version")
    optional = models.BooleanField(default=False, help_text="An assessor may leave it unanswered")

    class Meta:
        ordering = ["area__order", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="indicator_unique_key")]

    def __str__(self):
        return f"{self.code} {self.title_sv}"

    def applies_to(self, unit_forms):
        return bool(self.school_forms & unit_forms)


class Level(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    text_sv = models.TextField()
    text_en = models.TextField()
    preschool_sv = models.TextField(blank=True)
    preschool_en = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator", "number"]
        constraints = [models.UniqueConstraint(fields=["indicator", "number"], name="level_unique_number")]


class Activity(models.Model):
    """A suggested activity that takes a unit from ``to_level - 1`` to ``to_level``."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="activities")
    to_level = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField()
    title_sv = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    preschool_sv = models.TextField(blank=True)
    preschool_en = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator", "to_level", "order"]

    def __str__(self):
        return self.title_sv


def localized_text(obj, field, *, preschool=False, lang="sv"):
    """The text to show: preschool wording when asked for and present, English when asked for."""
    if preschool:
        value = bilingual(obj, "preschool", lang)
        if value:
            return value
    return bilingual(obj, field, lang)


# --- survey questions (issue 12; read by the surveys room) ------------------------------------

# The scale a survey question uses when the file gives none: four steps and "don't know", as in
# Skolverket's and Skolinspektionen's surveys. Stored on every question (``SurveyQuestion.scale``).
DEFAULT_SURVEY_SCALE = {
    "steps": [
        {"sv": "Stämmer inte alls", "en": "Not true at all"},
        {"sv": "Stämmer ganska dåligt", "en": "Mostly not true"},
        {"sv": "Stämmer ganska bra", "en": "Mostly true"},
        {"sv": "Stämmer helt och hållet", "en": "Completely true"},
    ],
    "dont_know": {"sv": "Vet ej", "en": "Don't know"},
}
SURVEY_AUDIENCES = ("staff", "pupils", "guardians")


class SurveyQuestion(models.Model):
    """A survey question for one respondent group of the framework (``Framework.survey_groups``:
    staff, pupils in an age band, guardians), tied to an indicator or to an area.

    A ``scale`` question is answered with a step 1..n of its scale (lowest first) or "don't
    know" (stored as 0); a ``text`` question with free text. The positive answers are the upper
    half of the steps (``positive_from``).
    """

    class Kind(models.TextChoices):
        SCALE = "scale", "scale"
        TEXT = "text", "text"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="survey_questions")
    respondent_group = models.SlugField(max_length=40)
    key = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField()
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="survey_questions")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_questions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCALE)
    text_sv = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500)
    scale = models.JSONField(default=dict, blank=True, help_text="{steps: [{sv, en}, ...], dont_know: {sv, en}|null}")

    class Meta:
        ordering = ["framework", "respondent_group", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="surveyquestion_unique_key")]

    def __str__(self):
        return f"{self.respondent_group}: {self.text_sv}"

    @property
    def step_count(self):
        return len((self.scale or {}).get("steps") or [])

    @property
    def positive_from(self):
        """The lowest step counted as a positive answer: the upper half of the scale."""
        return self.step_count // 2 + 1


def survey_group(framework, key):
    """The respondent group ``key`` of a framework (``{key, audience, name}``) or None."""
    return next((g for g in framework.survey_groups or [] if g.get("key") == key), None)


def survey_group_name(framework, key, lang="sv"):
    group = survey_group(framework, key)
    if group is None:
        return key
    return pick(group["name"].get("sv", key), group["name"].get("en"), lang)
