"""Demo content for the staff self-reflection (docs/reflection.md): an organiser-wide start link
and one for a school, and two school years of private reflections in about half the units, so
that the organiser's page shows units above the threshold, units below it and a unit hidden to
protect a smaller one, and a private link shows last year's result beside this year's.

Built through ``reflection.domain`` like real answers. Side effects: StartLinks (and their
tokens), Reflections with one or two Responses each, private-link tokens.
"""

import datetime

from stegvis.reflection import domain
from stegvis.reflection.models import Questionnaire, school_year

# (share of units, people answering last year, people answering this year)
SIZES = [(12, 11), (9, 8), (6, 7), (2, 3), (3, 0), (7, 5), (0, 6), (14, 12)]


def _levels(rng, keys, *, lift, count):
    """Levels that cluster around 2 (trying out), a little higher in the second year."""
    found = {}
    for n, key in enumerate(keys):
        base = 2 + (0.3 if n % 3 == 0 else 0) + lift
        level = round(rng.gauss(base, 0.8))
        found[key] = max(1, min(count, level))
    return found


def build(builder):
    """Add the self-reflection to the demo organiser built by ``builder`` (its rng, today,
    units, admin). Returns the first reflection's private token (for the login sheet), or None
    when the demo framework has no questionnaire."""
    questionnaire = Questionnaire.objects.filter(framework=builder.framework).first()
    if questionnaire is None:
        return None
    rng, today = builder.rng, builder.today
    units = sorted(builder.units.values(), key=lambda u: u.name)
    everyone = domain.create_start_link(organizer=builder.org, questionnaire=questionnaire, by=builder.admin)
    if units:
        domain.create_start_link(organizer=builder.org, questionnaire=questionnaire, unit=units[0], by=builder.admin)
    this_year = school_year(today)
    last_day = datetime.date(this_year, 10, 15)  # answered in the autumn
    first_token = None
    keys, count = questionnaire.area_keys, questionnaire.level_count
    for unit, (before, now) in zip(units[::2], SIZES, strict=False):
        for person in range(max(before, now)):
            answered_last = person < before
            answered_now = person < now
            start_day = builder.day_between(datetime.date(this_year - 1, 9, 1), datetime.date(this_year - 1, 11, 30))
            if not answered_last:
                start_day = min(today, builder.day_between(datetime.date(this_year, 8, 20), last_day))
            reflection, token = domain.start_reflection(
                start_link=everyone,
                unit=unit,
                levels=_levels(rng, keys, lift=0, count=count),
                today=start_day,
            )
            first_token = first_token or token
            if answered_last and answered_now:
                day = min(today, builder.day_between(datetime.date(this_year, 8, 20), last_day))
                if day > start_day:
                    domain.answer(
                        reflection=reflection, unit=unit, levels=_levels(rng, keys, lift=0.5, count=count), today=day
                    )
    return first_token
