"""State changes of the self-reflection (docs/reflection.md). Keyword-only, side effects listed.

Nothing here records who answered: a reflection has no account, no name, no IP address, no
user agent, and its answers carry the day only. No audit event is written for answering (an
audit event has a time to the second); the private link's token row gets the day only too.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core.models import record
from stegvis.organisations import domain as organisations
from stegvis.organisations.models import AccessToken, Unit
from stegvis.surveys.anonymity import K_DEFAULT

from .models import Reflection, ReflectionSettings, Response, StartLink, school_year

START_PURPOSE = "reflection-start"  # a start link: begin a new reflection
PRIVATE_PURPOSE = "reflection"  # a person's private link: their profile, answering again, deleting


class ReflectionError(Exception):
    pass


def create_start_link(*, organizer, questionnaire, unit=None, by):
    """A new start link for ``unit`` (None: the whole organiser, the respondent chooses a unit).

    Side effects: a StartLink and its AccessToken (purpose ``reflection-start``, audited by
    ``issue_token``); the link's address is kept on the StartLink to be shown again.
    """
    if unit is not None and unit.organizer_id != organizer.pk:
        raise ReflectionError(_("That unit belongs to another organiser."))
    with transaction.atomic():
        link = StartLink.objects.create(
            organizer=organizer,
            questionnaire=questionnaire,
            unit=unit,
            created_by=by if by and by.is_authenticated else None,
        )
        access_token, token = organisations.issue_token(organizer=organizer, purpose=START_PURPOSE, target=link, by=by)
        link.access_token = access_token
        link.link_token = token
        link.save(update_fields=["access_token", "link_token"])
    return link


def close_start_link(*, link, by, today=None):
    """Close a start link: its address stops working at once (404); reflections already begun
    keep their private links.

    Side effects: revokes the token (audited), sets ``closed_on``, forgets the address.
    """
    if link.closed_on is not None:
        return link
    if link.access_token is not None:
        organisations.revoke_token(access_token=link.access_token, by=by)
    link.closed_on = today or timezone.localdate()
    link.link_token = ""
    link.save(update_fields=["closed_on", "link_token"])
    return link


def check_levels(*, questionnaire, levels):
    """``{area key: level}`` for every area of the questionnaire, each a whole number from 1 to
    the level count; ReflectionError otherwise."""
    if not isinstance(levels, dict) or set(levels) != set(questionnaire.area_keys):
        raise ReflectionError(_("Choose a level in every area."))
    clean = {}
    for key, value in levels.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= questionnaire.level_count:
            raise ReflectionError(_("Choose a level in every area."))
        clean[key] = value
    return clean


def _check_unit(*, organizer, unit):
    if unit is not None and (unit.organizer_id != organizer.pk or not unit.active):
        raise ReflectionError(_("Choose one of the organiser's units."))


def start_reflection(*, start_link, unit, levels, today=None):
    """Begin a new private self-reflection from a start link with its first answers.

    ``unit`` is the start link's unit when it has one, else the respondent's choice (or None).
    Returns ``(reflection, token)``: the token of the private link (``/t/<token>/reflection/``),
    shown to the respondent and never stored.

    Side effects: a Reflection, its first Response, an AccessToken of purpose ``reflection``
    (target the reflection, no expiry; its creation time cut to the day).
    """
    if not start_link.is_open:
        raise ReflectionError(_("This link is closed."))
    organizer = start_link.organizer
    if start_link.unit_id is not None:
        unit = start_link.unit
    _check_unit(organizer=organizer, unit=unit)
    questionnaire = start_link.questionnaire
    levels = check_levels(questionnaire=questionnaire, levels=levels)
    today = today or timezone.localdate()
    with transaction.atomic():
        reflection = Reflection.objects.create(organizer=organizer, questionnaire=questionnaire, started_on=today)
        Response.objects.create(
            organizer=organizer,
            reflection=reflection,
            questionnaire=questionnaire,
            unit=unit,
            school_year=school_year(today),
            answered_on=today,
            levels=levels,
        )
        access_token, token = organisations.issue_token(
            organizer=organizer, purpose=PRIVATE_PURPOSE, target=reflection, by=None
        )
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        AccessToken.objects.filter(pk=access_token.pk).update(created_at=midnight)
    return reflection, token


def answer(*, reflection, unit, levels, today=None):
    """This school year's answers of a reflection: new, or replacing the ones given earlier in
    the same school year (so each person counts once a year). Returns the Response.

    Side effects: creates or updates one Response (answers, unit, day).
    """
    _check_unit(organizer=reflection.organizer, unit=unit)
    levels = check_levels(questionnaire=reflection.questionnaire, levels=levels)
    today = today or timezone.localdate()
    response, _created = Response.objects.update_or_create(
        reflection=reflection,
        school_year=school_year(today),
        defaults={
            "organizer": reflection.organizer,
            "questionnaire": reflection.questionnaire,
            "unit": unit,
            "answered_on": today,
            "levels": levels,
        },
    )
    return response


def delete_reflection(*, reflection, access_token):
    """Delete a reflection and every answer in it, at its owner's request; the private link
    stops working.

    Side effects: revokes the private token (audited, no actor), deletes the Reflection and its
    Responses (they leave the aggregates).
    """
    with transaction.atomic():
        organisations.revoke_token(access_token=access_token, by=None)
        reflection.delete()


def units_to_choose(organizer):
    """The units a respondent may choose on an organiser-wide link: the active ones, by name."""
    return Unit.objects.filter(organizer=organizer, active=True).order_by("name")


MAX_K = 100


def set_min_group(*, organizer, k, by):
    """Set the smallest group the organiser's self-reflection aggregates rest on: at least the
    default 5 (never lower), at most 100.

    Side effects: creates or updates the organiser's ReflectionSettings; an audit event.
    """
    if isinstance(k, bool) or not isinstance(k, int) or not K_DEFAULT <= k <= MAX_K:
        raise ReflectionError(_("Give a whole number from %(low)s to %(high)s.") % {"low": K_DEFAULT, "high": MAX_K})
    found, _created = ReflectionSettings.objects.update_or_create(organizer=organizer, defaults={"k": k})
    record(organizer=organizer, actor=by, verb="reflection.k_changed", obj=found, summary=str(k))
    return found
