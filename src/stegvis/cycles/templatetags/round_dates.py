"""``{% round_dates round published_rounds=... %}``: a round's dates for a unit, with the days left.

Used on the start page: the deadline for publishing (with "overdue" once it has passed and the
unit has not published), the survey window, the follow-up dates still ahead (read from
``round.follow_ups.all()``, so prefetch them) and the last day of the round.
"""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def days_left(day, today):
    """A short phrase: "today", "in 3 days", "2 days ago"."""
    n = (day - today).days
    if n == 0:
        return _("today")
    if n > 0:
        return ngettext("%(n)d day left", "%(n)d days left", n) % {"n": n}
    return ngettext("%(n)d day ago", "%(n)d days ago", -n) % {"n": -n}


def dates_of(rnd, *, published, today):
    """The rows shown: (label, date or (first, last), phrase, overdue)."""
    rows = []
    if rnd.deadline:
        overdue = rnd.deadline < today and not published
        rows.append((_("Publish by"), rnd.deadline, None, days_left(rnd.deadline, today), overdue))
    if rnd.survey_opens_on and rnd.survey_closes_on and rnd.survey_closes_on >= today:
        phrase = days_left(rnd.survey_opens_on, today) if rnd.survey_opens_on > today else _("open now")
        rows.append((_("Survey window"), rnd.survey_opens_on, rnd.survey_closes_on, phrase, False))
    for fu in rnd.follow_ups.all():
        if fu.date >= today:
            rows.append((fu.title or _("Follow-up"), fu.date, None, days_left(fu.date, today), False))
    if rnd.closes_on:
        rows.append((_("Round closes"), rnd.closes_on, None, days_left(rnd.closes_on, today), False))
    return rows


@register.inclusion_tag("cycles/round_dates.html")
def round_dates(rnd, published_rounds=()):
    """``published_rounds``: the ids of the rounds in which the unit has published."""
    today = timezone.localdate()
    published = rnd.pk in published_rounds
    rows = [
        {"label": label, "date": date, "until": until, "phrase": phrase, "overdue": overdue}
        for label, date, until, phrase, overdue in dates_of(rnd, published=published, today=today)
    ]
    return {"rows": rows, "round": rnd}
