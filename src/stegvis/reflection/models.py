"""A staff member's own self-reflection of their digital competence (docs/reflection.md).

- ``Questionnaire``: the `self_reflection:` part of a framework file, stored as loaded
  (``questionnaire.check`` made it clean: every text in both languages).
- ``StartLink``: where the organiser points staff (a link and QR code per unit, or one for the
  whole organiser where the respondent chooses the unit).
- ``Reflection``: one person's private thread, reached only through its private link (a token
  of purpose ``reflection``); no account, no name.
- ``Response``: that person's answers for one school year (one a year; answering again in the
  same school year replaces them). It stores no account, no IP address, no user agent and no
  time finer than the day.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stegvis.core.i18n import pick


def school_year(day):
    """The school year (läsår) a day belongs to, by the year it starts: 1 July 2026 to 30 June
    2027 is 2026."""
    return day.year if day.month >= 7 else day.year - 1


def school_year_label(year):
    """2026 -> "2026/27"."""
    return f"{year}/{(year + 1) % 100:02d}"


class Questionnaire(models.Model):
    """The self-reflection questionnaire of one framework version. Shared like its framework
    (a framework of an organiser's own is that organiser's)."""

    framework = models.OneToOneField("frameworks.Framework", on_delete=models.CASCADE, related_name="self_reflection")
    content = models.JSONField(
        help_text="{name, description, levels: [{sv, en}], areas: [{key, name, description, levels: [{text, next}]}]}"
    )

    def __str__(self):
        return f"{self.content['name']['sv']} ({self.framework})"

    def name(self, lang=None):
        return pick(self.content["name"]["sv"], self.content["name"]["en"], lang)

    def description(self, lang=None):
        text = self.content.get("description") or {}
        return pick(text.get("sv", ""), text.get("en", ""), lang)

    @property
    def level_count(self):
        return len(self.content["levels"])

    @property
    def area_keys(self):
        return [area["key"] for area in self.content["areas"]]

    def level_names(self, lang=None):
        return [pick(n["sv"], n["en"], lang) for n in self.content["levels"]]

    def areas(self, lang=None):
        """The areas in one language: ``[{key, name, description, levels: [{number, name, text, next}]}]``."""
        names = self.level_names(lang)
        return [
            {
                "key": area["key"],
                "name": pick(area["name"]["sv"], area["name"]["en"], lang),
                "description": pick(area["description"]["sv"], area["description"]["en"], lang),
                "levels": [
                    {
                        "number": n,
                        "name": names[n - 1],
                        "text": pick(level["text"]["sv"], level["text"]["en"], lang),
                        "next": [pick(s["sv"], s["en"], lang) for s in level["next"]],
                    }
                    for n, level in enumerate(area["levels"], start=1)
                ],
            }
            for area in self.content["areas"]
        ]


class StartLink(models.Model):
    """A link (and QR code) that starts a new self-reflection: for one unit, or for the whole
    organiser (``unit`` empty: the respondent chooses the unit).

    The link is meant to be spread (a poster in the staff room, a mail to all staff) and grants
    nothing but starting a reflection, so its address is kept (``link_token``) for principals and
    admins to show it again; closing the link revokes its token.
    """

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="start_links")
    unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    access_token = models.OneToOneField(
        "organisations.AccessToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_token = models.CharField(max_length=80, blank=True)
    created_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["unit__name", "-created_on", "-id"]

    def __str__(self):
        return f"{self.unit or self.organizer} ({self.created_on})"

    @property
    def is_open(self):
        return self.closed_on is None


class Reflection(models.Model):
    """One person's private self-reflection over the years, reached through its private link
    (an ``AccessToken`` of purpose ``reflection`` whose target this is). Nothing names the person."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="reflections")
    started_on = models.DateField()

    objects = ScopedManager(organizer="organizer")

    def __str__(self):
        return f"reflection {self.pk}"


class Response(models.Model):
    """One school year's answers of a reflection: ``levels`` maps each area key to the level
    chosen (1 = the lowest). The day only, never the time."""

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey("organisations.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    answered_on = models.DateField()
    levels = models.JSONField()

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(fields=["reflection", "school_year"], name="reflection_one_response_a_year")
        ]
        indexes = [models.Index(fields=["organizer", "questionnaire", "school_year"], name="reflection_resp_year")]

    def __str__(self):
        return f"{self.reflection_id} {school_year_label(self.school_year)}"


class ReflectionSettings(models.Model):
    """An organiser's own rule for the self-reflection's aggregates: the smallest group shown
    (``k``), which may be raised above the default 5, never lowered (``domain.set_min_group``)."""

    organizer = models.OneToOneField("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    k = models.PositiveSmallIntegerField(_("smallest group shown"), default=5)

    objects = ScopedManager(organizer="organizer")

    def __str__(self):
        return f"k={self.k} ({self.organizer_id})"
