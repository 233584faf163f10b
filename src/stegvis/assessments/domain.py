"""State changes for rounds, assessments and answers: small keyword-only functions.

Each lists its side effects. Errors a user can cause raise ``AssessmentError`` (or a subclass)
with a translated message the view shows as it is.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core.models import record
from stegvis.cycles.models import RoundUnit
from stegvis.frameworks import outline
from stegvis.frameworks.models import Indicator

from .models import Answer, Assessment, Perspective


class AssessmentError(Exception):
    """A request the rules do not allow; ``str(error)`` is the message for the user."""


class RoundClosed(AssessmentError):
    pass


class ReadOnly(AssessmentError):
    pass


class Conflict(AssessmentError):
    """Someone else saved the same thing since this user loaded it."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def applicable_indicators(*, framework, unit):
    """The framework's indicators that apply to the unit's school forms, in order."""
    return (
        Indicator.objects.filter(framework=framework)
        .annotate(common=F("school_forms").bitand(unit.school_forms))
        .filter(common__gt=0)
        .select_related("area")
        .order_by("area__order", "order")
    )


def applicable_indicator_list(*, framework, unit):
    """``applicable_indicators`` as a list from the framework's per-process outline (no query
    once the framework has been read): Indicator objects with area, group and framework."""
    return [ind for ind in outline.indicators(framework) if ind.school_forms & unit.school_forms]


class RoundUpcoming(AssessmentError):
    pass


class NotInRound(AssessmentError):
    pass


def _require_open(rnd):
    if rnd.is_upcoming:
        raise RoundUpcoming(
            _("The round “%(round)s” opens on %(date)s; assessments can be started from that day.")
            % {"round": rnd.name, "date": rnd.opens_on.isoformat()}
        )
    if not rnd.is_open:
        raise RoundClosed(_("The round “%(round)s” is closed; nothing can be changed in it.") % {"round": rnd.name})


def current_version(versions):
    """Of one unit's versions in a round and perspective (ordered by version): the draft if there
    is one, else the latest version, else None."""
    drafts = [a for a in versions if a.is_draft]
    return drafts[-1] if drafts else (versions[-1] if versions else None)


def latest_published(*, unit, round, perspective=Perspective.PRINCIPAL, group=None):
    return (
        Assessment.objects.filter(
            unit=unit, round=round, perspective=perspective, group=group, status=Assessment.Status.PUBLISHED
        )
        .order_by("-version")
        .first()
    )


def start_assessment(*, unit, round, perspective=Perspective.PRINCIPAL, group=None, by):
    """Start (or return the existing) draft for the unit, round and perspective (with ``group``,
    an ``AssessorGroup`` of the unit and round: that group's assessment, in its perspective).

    When a published version exists, the draft is a new version that starts from its answers.
    Only the round's units (``cycles.RoundUnit``) take part: another unit gets ``NotInRound``,
    an upcoming round ``RoundUpcoming``, a closed one ``RoundClosed``.
    Side effects: an Assessment row (and copied Answer rows), an audit event. Idempotent.
    """
    _require_open(round)
    if group is not None:
        if group.unit_id != unit.pk or group.round_id != round.pk:
            raise AssessmentError(_("This group assesses another unit or round."))
        perspective = group.perspective
    if not RoundUnit.objects.filter(organizer_id=round.organizer_id, round=round, unit=unit).exists():
        raise NotInRound(
            _("%(unit)s is not one of the units of the round “%(round)s”.") % {"unit": unit.name, "round": round.name}
        )
    existing = Assessment.objects.filter(
        unit=unit, round=round, perspective=perspective, group=group, status=Assessment.Status.DRAFT
    ).first()
    if existing:
        return existing, False
    previous = latest_published(unit=unit, round=round, perspective=perspective, group=group)
    try:
        with transaction.atomic():
            draft = Assessment.objects.create(
                organizer=unit.organizer,
                unit=unit,
                round=round,
                perspective=perspective,
                group=group,
                version=previous.version + 1 if previous else 1,
                created_by=by,
            )
            if previous:
                Answer.objects.bulk_create(
                    Answer(
                        organizer=unit.organizer,
                        assessment=draft,
                        indicator_id=a.indicator_id,
                        level=a.level,
                        not_relevant=a.not_relevant,
                        comment=a.comment,
                        updated_by=a.updated_by,
                    )
                    for a in previous.answers.all()
                )
    except IntegrityError:
        # A double click or a second tab created the draft a moment ago.
        return Assessment.objects.get(
            unit=unit, round=round, perspective=perspective, group=group, status=Assessment.Status.DRAFT
        ), False
    verb = "assessment.new_version" if previous else "assessment.started"
    record(organizer=unit.organizer, actor=by, verb=verb, obj=draft, summary=str(draft))
    return draft, True


def save_answer(*, assessment, indicator, level=None, not_relevant=False, comment="", expected_revision, by):
    """Save one indicator's answer.

    ``expected_revision`` is the revision the user saw (0 when there was no answer); when the
    stored answer has moved on, nothing is saved and ``Conflict`` carries the current answer.
    Saving the same values again (a double submit) changes nothing and is not a conflict.
    Returns the Answer, or None when one conditional UPDATE saved it (the usual autosave).
    Side effects: creates or updates one Answer row; the assessment's ``updated_at`` (at most
    once a minute: ``TOUCH_EVERY``).
    """
    if not assessment.is_draft:
        raise ReadOnly(_("This assessment is published and read-only. Start a new version to change it."))
    _require_open(assessment.round)
    if indicator.framework_id != assessment.round.framework_id or not indicator.applies_to(
        assessment.unit.school_forms
    ):
        raise AssessmentError(_("This indicator does not belong to this assessment."))
    level_count = assessment.round.framework.level_count
    if not_relevant:
        level = None
    elif level is not None and not 1 <= level <= level_count:
        raise AssessmentError(
            _("Level %(level)s is out of range: choose a level from 1 to %(max)s.")
            % {"level": level, "max": level_count}
        )
    comment = (comment or "").strip()
    if expected_revision:
        # The usual autosave: the answer the user saw is still the stored one. One conditional
        # UPDATE saves it (the database decides, so two savers cannot both win); anything else
        # (a conflict, the same values again, no answer yet) takes the locked path below.
        changed = (
            Answer.objects.filter(assessment=assessment, indicator=indicator, revision=expected_revision)
            .exclude(level=level, not_relevant=not_relevant, comment=comment)
            .update(
                level=level,
                not_relevant=not_relevant,
                comment=comment,
                revision=F("revision") + 1,
                updated_by=by,
                updated_at=timezone.now(),
            )
        )
        if changed:
            _touch(assessment)
            return None
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(assessment=assessment, indicator=indicator).first()
        if answer is None:
            if expected_revision not in (0, None):
                raise Conflict(_("This answer was removed by someone else."), None)
            try:
                with transaction.atomic():
                    return Answer.objects.create(
                        organizer=assessment.organizer,
                        assessment=assessment,
                        indicator=indicator,
                        level=level,
                        not_relevant=not_relevant,
                        comment=comment,
                        updated_by=by,
                    )
            except IntegrityError:
                answer = Answer.objects.get(assessment=assessment, indicator=indicator)
        same = (answer.level, answer.not_relevant, answer.comment) == (level, not_relevant, comment)
        if same:
            return answer
        if expected_revision is not None and answer.revision != expected_revision:
            who = answer.updated_by.display_name if answer.updated_by else "?"
            raise Conflict(
                _("%(who)s changed this answer at %(time)s, after you opened the page. Your choice was not saved.")
                % {"who": who, "time": timezone.localtime(answer.updated_at).strftime("%H:%M")},
                answer,
            )
        answer.level, answer.not_relevant, answer.comment = level, not_relevant, comment
        answer.revision += 1
        answer.updated_by = by
        answer.save()
    _touch(assessment)
    return answer


# The assessment's ``updated_at`` (the status page's "last activity") moves at most this often
# while someone answers: autosaves come seconds apart, and one write fewer per save counts.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def _touch(assessment):
    now = timezone.now()
    if assessment.updated_at is None or now - assessment.updated_at >= TOUCH_EVERY:
        Assessment.objects.filter(pk=assessment.pk).update(updated_at=now)
        assessment.updated_at = now


def progress(*, assessment):
    """(answered, total) over the indicators that apply to the unit and are not optional (an
    assessor may leave an optional indicator unanswered)."""
    indicator_ids = set(
        applicable_indicators(framework=assessment.round.framework, unit=assessment.unit)
        .filter(optional=False)
        .values_list("pk", flat=True)
    )
    answered = {
        ind
        for ind, level, nr in assessment.answers.values_list("indicator_id", "level", "not_relevant")
        if ind in indicator_ids and (nr or level is not None)
    }
    return len(answered), len(indicator_ids)


def publish_assessment(*, assessment, by):
    """Publish a complete draft (every indicator answered, optional ones aside). Returns True
    when it was published, False when it already was.

    Side effects: the assessment becomes published (read-only), an audit event. The caller
    (planning.domain.publish) turns it into an action plan.
    """
    if not assessment.is_draft:
        return False
    _require_open(assessment.round)
    answered, total = progress(assessment=assessment)
    if answered < total:
        raise AssessmentError(
            _("%(left)s of %(total)s indicators are not answered yet. Answer every indicator before you publish.")
            % {"left": total - answered, "total": total}
        )
    updated = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
        status=Assessment.Status.PUBLISHED, published_at=timezone.now(), published_by=by
    )
    if not updated:
        return False
    assessment.refresh_from_db()
    record(
        organizer=assessment.organizer, actor=by, verb="assessment.published", obj=assessment, summary=str(assessment)
    )
    return True
