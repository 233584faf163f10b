"""State changes of competence development: small keyword-only functions, each listing its side
effects (docs/development.md)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core.models import record
from stegvis.surveys import anonymity
from stegvis.surveys import custom as custom_surveys

from .models import Enrolment, Goal, Initiative, LinkedAction, SpreadMeeting, Track, TrackChoice

RELATIONS = ("target_districts", "target_units", "indicators", "areas")


class DevelopmentError(Exception):
    """A change that cannot be made; the message is for the user."""


def _check_dates(starts_on, ends_on):
    if starts_on and ends_on and ends_on < starts_on:
        raise DevelopmentError(_("The initiative must end on or after the day it starts."))


def create_initiative(*, organizer, by, fields, relations):
    """Create an initiative from ``fields`` (model fields) and ``relations`` (``RELATIONS``:
    lists of districts, units, indicators, areas of the organiser).

    Side effects: an Initiative with its target group and links; an audit event.
    """
    _check_dates(fields.get("starts_on"), fields.get("ends_on"))
    with transaction.atomic():
        initiative = Initiative.objects.create(organizer=organizer, created_by=by, **fields)
        _set_relations(initiative, relations)
        record(organizer=organizer, actor=by, verb="initiative.created", obj=initiative, summary=initiative.title)
    return initiative


def update_initiative(*, initiative, by, fields, relations):
    """Change an initiative's fields and relations. Side effects: the row, its relations, an
    audit event."""
    _check_dates(fields.get("starts_on"), fields.get("ends_on"))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(initiative, name, value)
        initiative.save()
        _set_relations(initiative, relations)
        record(organizer=initiative.organizer, actor=by, verb="initiative.changed", obj=initiative)
    return initiative


def _set_relations(initiative, relations):
    for name in RELATIONS:
        if name in relations:
            getattr(initiative, name).set(relations[name], through_defaults={"organizer_id": initiative.organizer_id})


def add_goal(*, initiative, text, check, by):
    """A stated goal and how it is checked. Side effects: a Goal (last in order), an audit event."""
    last = initiative.goals.order_by("-order").values_list("order", flat=True).first() or 0
    goal = Goal.objects.create(
        organizer_id=initiative.organizer_id, initiative=initiative, order=last + 1, text=text, check_text=check
    )
    record(organizer=initiative.organizer, actor=by, verb="initiative.goal_added", obj=initiative, summary=text[:100])
    return goal


def remove_goal(*, goal, by):
    """Side effects: the Goal deleted, an audit event. Refused once the evaluation is open
    (its questions were made from the goals)."""
    if goal.initiative.evaluation_id:
        raise DevelopmentError(_("The evaluation has been opened: its goals can no longer be removed."))
    goal.delete()
    record(organizer=goal.initiative.organizer, actor=by, verb="initiative.goal_removed", obj=goal.initiative)


def add_track(
    *, initiative, by, title, starts_at, ends_at=None, place="", video_link="", capacity=None, description=""
):
    """A track or session. Side effects: a Track, an audit event."""
    if ends_at and ends_at < starts_at:
        raise DevelopmentError(_("A track must end after it starts."))
    track = Track.objects.create(
        organizer_id=initiative.organizer_id,
        initiative=initiative,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        capacity=capacity,
    )
    record(organizer=initiative.organizer, actor=by, verb="initiative.track_added", obj=initiative, summary=title)
    return track


def remove_track(*, track, by):
    """Side effects: the Track and the choices of it deleted, an audit event."""
    initiative = track.initiative
    track.delete()
    record(organizer=initiative.organizer, actor=by, verb="initiative.track_removed", obj=initiative)


def enrol(*, initiative, user, by):
    """Enrol ``user`` (a member of the organiser; who may is asked of Access by the caller).
    Returns ``(enrolment, created)``. Side effects: an Enrolment, an audit event."""
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                organizer_id=initiative.organizer_id, initiative=initiative, user=user, enrolled_by=by
            )
    except IntegrityError:
        return Enrolment.objects.get(initiative=initiative, user=user), False
    record(organizer=initiative.organizer, actor=by, verb="initiative.enrolled", obj=initiative, summary=user.email)
    return enrolment, True


def withdraw(*, enrolment, by):
    """Side effects: the Enrolment and its track choices deleted, an audit event."""
    initiative = enrolment.initiative
    enrolment.delete()
    record(organizer=initiative.organizer, actor=by, verb="initiative.withdrawn", obj=initiative)


def choose_tracks(*, enrolment, tracks, by):
    """Set the participant's tracks: at most the initiative's ``choose_at_most``, each with a
    free place. The tracks are locked (``select_for_update``, in id order) while their places
    are counted, so two people never take the last place at once.

    Side effects: the enrolment's TrackChoice rows replaced, an audit event. Raises
    DevelopmentError naming a full track, or for too many tracks.
    """
    initiative = enrolment.initiative
    ids = sorted({t.pk for t in tracks})
    if initiative.choose_at_most and len(ids) > initiative.choose_at_most:
        raise DevelopmentError(_("Choose at most %(n)s tracks.") % {"n": initiative.choose_at_most})
    with transaction.atomic():
        locked = list(Track.objects.select_for_update().filter(initiative=initiative, pk__in=ids).order_by("pk"))
        if len(locked) != len(ids):
            raise DevelopmentError(_("A chosen track is not part of this initiative."))
        already = set(TrackChoice.objects.filter(enrolment=enrolment).values_list("track_id", flat=True))
        for track in locked:
            if track.pk in already or track.capacity is None:
                continue
            taken = TrackChoice.objects.filter(track=track).count()
            if taken >= track.capacity:
                raise DevelopmentError(
                    _("The track “%(track)s” is full (%(n)s places). Choose another one.")
                    % {"track": track.title, "n": track.capacity}
                )
        TrackChoice.objects.filter(enrolment=enrolment).exclude(track_id__in=ids).delete()
        TrackChoice.objects.bulk_create(
            TrackChoice(organizer_id=enrolment.organizer_id, enrolment=enrolment, track=track)
            for track in locked
            if track.pk not in already
        )
        record(
            organizer=initiative.organizer, actor=by, verb="initiative.tracks_chosen", obj=initiative,
            summary=", ".join(t.title for t in locked)[:200],
        )  # fmt: skip


# -- the evaluation ------------------------------------------------------------------------


def goal_key(goal):
    return f"goal-{goal.pk}"


COMMENT_KEY = "comments"


def open_evaluation(*, initiative, closes_at, by, request=None, now=None):
    """Open the initiative's evaluation: a survey of its own (``surveys.custom``) asking, for
    each goal, "How far was this goal met?" on the extent scale, and one free-text question;
    then mail a personal one-use link to every participant.

    Side effects: a CustomSurvey with its questions; per participant a link and a mail, and the
    day on the enrolment (``evaluation_sent_on``); the initiative linked to the survey; an audit
    event. Raises DevelopmentError when it is open already, without goals or participants.
    """
    now = now or timezone.now()
    if initiative.evaluation_id:
        raise DevelopmentError(_("The evaluation has been opened already."))
    goals = list(initiative.goals.all())
    if not goals:
        raise DevelopmentError(_("Add the initiative's goals first: the evaluation asks about them."))
    enrolments = list(initiative.enrolments.select_related("user").filter(user__is_active=True))
    if not enrolments:
        raise DevelopmentError(_("The initiative has no participants to ask."))
    if closes_at <= now:
        raise DevelopmentError(_("The evaluation must close after it opens."))
    questions = [
        custom_surveys.Ask(text=_("How far was this goal met: %(goal)s") % {"goal": goal.text}, key=goal_key(goal))
        for goal in goals
    ]
    questions.append(
        custom_surveys.Ask(
            text=_("What will you take with you, and what could have been better?"), kind="text", key=COMMENT_KEY
        )
    )
    with transaction.atomic():
        survey = custom_surveys.open_custom_survey(
            organizer=initiative.organizer,
            title=_("Evaluation: %(title)s") % {"title": initiative.title},
            intro=initiative.purpose,
            questions=questions,
            opens_at=now,
            closes_at=closes_at,
            k=anonymity.K_DEFAULT,
            by=by,
        )
        initiative.evaluation = survey
        Initiative.objects.filter(pk=initiative.pk).update(evaluation=survey)
        custom_surveys.send_links(
            survey=survey,
            recipients=[(e.user.email, e.user.language or settings.LANGUAGE_CODE) for e in enrolments],
            subject=gettext_lazy("Evaluate the competence development you took part in"),
            why=gettext_lazy("You took part in the initiative."),
            by=by,
            request=request,
        )
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(evaluation_sent_on=timezone.localdate(now))
        record(organizer=initiative.organizer, actor=by, verb="initiative.evaluation_opened", obj=initiative)
    return survey


def close_evaluation(*, initiative, by):
    """Close the evaluation now and mark the initiative evaluated. Side effects: the survey's
    closed_at, the initiative's status, an audit event."""
    if not initiative.evaluation_id:
        raise DevelopmentError(_("The evaluation has not been opened."))
    custom_surveys.close_custom_survey(survey=initiative.evaluation, by=by)
    initiative.status = Initiative.Status.EVALUATED
    Initiative.objects.filter(pk=initiative.pk).update(status=initiative.status)
    record(organizer=initiative.organizer, actor=by, verb="initiative.evaluated", obj=initiative)


# -- spreading -----------------------------------------------------------------------------


def link_action(*, initiative, action, by):
    """Link an action in a unit's action plan to the initiative (the caller checked that the
    user reads the unit). Side effects: a LinkedAction (once per action), an audit event."""
    if action.organizer_id != initiative.organizer_id:
        raise DevelopmentError(_("That action belongs to another organiser."))
    link, created = LinkedAction.objects.get_or_create(
        organizer_id=initiative.organizer_id, initiative=initiative, action=action, defaults={"added_by": by}
    )
    if created:
        record(organizer=initiative.organizer, actor=by, verb="initiative.action_linked", obj=initiative,
               summary=action.title[:100])  # fmt: skip
    return link


def unlink_action(*, link, by):
    """Side effects: the LinkedAction deleted (the action stays), an audit event."""
    link.delete()
    record(organizer=link.initiative.organizer, actor=by, verb="initiative.action_unlinked", obj=link.initiative)


def add_spread_meeting(*, initiative, date, note, by):
    """A meeting to spread the initiative: a dated note. Side effects: a SpreadMeeting, an
    audit event."""
    if not isinstance(date, datetime.date):
        raise DevelopmentError(_("Give the meeting's date."))
    meeting = SpreadMeeting.objects.create(
        organizer_id=initiative.organizer_id, initiative=initiative, date=date, note=note, author=by
    )
    record(organizer=initiative.organizer, actor=by, verb="initiative.spread_meeting", obj=initiative)
    return meeting
