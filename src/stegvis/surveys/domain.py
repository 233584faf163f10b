"""State changes of surveys: small keyword-only functions, each listing its side effects.

The hot path is ``submit`` (docs/surveys.md, "The submit path"): with the questions cached per
process (``questions``), a complete submission is one INSERT of the response, one bulk INSERT of
its answers and, for a personal link, one conditional UPDATE of the link; nothing else is
written (no aggregate row is touched: ``aggregate.refresh`` counts later).
"""

import hashlib
import re
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core import mail
from stegvis.core.models import record
from stegvis.frameworks.models import SurveyQuestion, survey_group
from stegvis.organisations import access as access_rules
from stegvis.organisations import domain as organisations

from . import anonymity
from .models import Answer, Response, Survey, SurveyLink, SurveyUnit

PURPOSE = "survey"
TEXT_MAX = 2000  # characters in one free-text answer
CODE_PATTERN = re.compile(r"^[\w][\w .-]{0,19}$")
SUBMIT_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SurveyError(Exception):
    """A change that cannot be made; the message is for the user."""


class BadAnswer(ValueError):
    """A tampered or out-of-range value in a submitted form (a 400)."""


class LinkUsed(Exception):
    """A personal link that has been used already."""


class SurveyNotOpen(Exception):
    """The survey is not open (not yet, or no longer)."""


# --- questions, cached per process ------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """One screen of the answer form: an area and its questions."""

    area_id: int
    name_sv: str
    name_en: str
    questions: tuple


_QUESTIONS = OrderedDict()
_QUESTIONS_MAX = 64


def questions(framework, group):
    """The screens (``Screen``, one per area with questions) of a respondent group's questions.

    Frameworks are never edited in place, so the result is kept per process, keyed by the
    framework's id and load time; a submission reads no question from the database.
    """
    key = (framework.pk, framework.loaded_at, group)
    found = _QUESTIONS.get(key)
    if found is None:
        rows = list(
            SurveyQuestion.objects.filter(framework=framework, respondent_group=group)
            .select_related("area")
            .order_by("area__order", "order")
        )
        screens = OrderedDict()
        for q in rows:
            screens.setdefault(q.area_id, (q.area, []))[1].append(q)
        found = tuple(
            Screen(area_id=area.pk, name_sv=area.name_sv, name_en=area.name_en, questions=tuple(qs))
            for area, qs in screens.values()
        )
        _QUESTIONS[key] = found
        if len(_QUESTIONS) > _QUESTIONS_MAX:
            _QUESTIONS.popitem(last=False)
    return found


def all_questions(screens):
    return [q for screen in screens for q in screen.questions]


# --- the link behind a door token, cached per process -------------------------------------------

# A public link (with its survey, round, framework and unit) is kept per process for
# ``LINK_SECONDS``, and its token likewise (``organisations.door.cache_purpose``, apps.py), so a
# submission reads nothing but the survey's window: that (opens, closes, closed early) is read
# again at most every ``STATE_SECONDS`` per survey and process, one small query shared by all
# the survey's links. What must be current is also checked where the response is written
# (``_response_insert``: the window, the closing, the token's revocation), so a survey closed in
# another process shows its "closed" page within ``STATE_SECONDS`` and never takes an answer
# after closing. Personal links are read on every request (``used`` matters).
LINK_SECONDS = 600
STATE_SECONDS = 5
_LINKS = {}
_LINKS_MAX = 20000
_STATE = {}  # (survey id, created) -> (opens_at, closes_at, closed_at, read again after)


def link_of(token, *, organizer):
    """The SurveyLink a door token opens, with its survey, round, framework and unit, or None;
    its survey's window as the database had it at most ``STATE_SECONDS`` ago."""
    hit = _LINKS.get(token.selector)
    clock = time.monotonic()
    if hit is not None and hit[1] > clock:
        link = hit[0]
    else:
        link = (
            SurveyLink.objects.select_related("survey", "survey__round__framework", "unit")
            .filter(organizer=organizer, access_token_id=token.pk)
            .first()
        )
        if link is None or link.personal:
            return link
        if len(_LINKS) >= _LINKS_MAX:
            _LINKS.clear()
        _LINKS[token.selector] = (link, clock + LINK_SECONDS)
    survey = link.survey
    state_key = (survey.pk, survey.created_at)
    state = _STATE.get(state_key)
    if state is None or state[3] <= clock:
        if hit is None or hit[1] <= clock:  # just read with the link
            window = (survey.opens_at, survey.closes_at, survey.closed_at)
        else:
            window = Survey.objects.filter(pk=survey.pk).values_list("opens_at", "closes_at", "closed_at").first()
            if window is None:  # deleted
                _LINKS.pop(token.selector, None)
                return None
        state = _STATE[state_key] = (*window, clock + STATE_SECONDS)
    survey.opens_at, survey.closes_at, survey.closed_at = state[:3]
    return link


def forget_links(*, survey_id):
    """Drop a survey's links from this process's cache (it closed here: at once, not in seconds)."""
    for key in [key for key in _STATE if key[0] == survey_id]:
        _STATE.pop(key, None)
    for selector, (link, _until) in list(_LINKS.items()):
        if link.survey_id == survey_id:
            _LINKS.pop(selector, None)


# --- opening and changing a survey --------------------------------------------------------------


def _issue(*, survey, by):
    return organisations.issue_token(organizer=survey.organizer, purpose=PURPOSE, target=survey, by=by)


def answer_path(token):
    return reverse("survey_answer", kwargs={"access_token": token})


def open_survey(*, organizer, round, respondent_group, opens_at, closes_at, units, distribution, k, by):
    """Open a survey of one respondent group for a round and a window, in ``units``.

    Side effects: a Survey; for link distribution a public SurveyLink (with its AccessToken)
    per unit; an audit event. Raises SurveyError for a group the framework does not have, a
    window that ends before it begins, no units or a k below the minimum.
    """
    if survey_group(round.framework, respondent_group) is None:
        raise SurveyError(_("The round's framework has no such respondent group."))
    if closes_at <= opens_at:
        raise SurveyError(_("The survey must close after it opens."))
    if not units:
        raise SurveyError(_("Choose at least one unit."))
    if k < anonymity.K_DEFAULT:
        raise SurveyError(_("The smallest group shown cannot be below %(k)s.") % {"k": anonymity.K_DEFAULT})
    with transaction.atomic():
        survey = Survey.objects.create(
            organizer=organizer,
            round=round,
            respondent_group=respondent_group,
            opens_at=opens_at,
            closes_at=closes_at,
            distribution=distribution,
            k=k,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        SurveyUnit.objects.bulk_create(SurveyUnit(organizer=organizer, survey=survey, unit=unit) for unit in units)
        for unit in units:
            if distribution == Survey.Distribution.LINKS:
                _public_link(survey=survey, unit=unit, code="", expected=None, by=by)
        record(organizer=organizer, actor=by, verb="survey.opened", obj=survey, summary=respondent_group)
    return survey


def _public_link(*, survey, unit, code, expected, by):
    access_token, token = _issue(survey=survey, by=by)
    return SurveyLink.objects.create(
        organizer=survey.organizer,
        survey=survey,
        unit=unit,
        code=code,
        expected=expected,
        access_token=access_token,
        public_token=token,
    )


def add_group_code(*, survey, unit, code, expected=None, by):
    """A public link for a group code of a unit (a class, a work team), so its response rate
    can be followed. Side effects: a SurveyLink and its AccessToken, an audit event."""
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        raise SurveyError(_("A group code is 1-20 letters, digits, spaces, dots or dashes."))
    if SurveyLink.objects.filter(survey=survey, unit=unit, code=code, personal=False).exists():
        raise SurveyError(_("The unit already has that group code."))
    link = _public_link(survey=survey, unit=unit, code=code, expected=expected, by=by)
    record(organizer=survey.organizer, actor=by, verb="survey.code_added", obj=survey, summary=code)
    return link


def send_personal_links(*, survey, unit, emails, by, request=None):
    """Mail a personal one-use link to each address (staff of ``unit``).

    Side effects: per address a SurveyLink (personal, no address stored on it) with its
    AccessToken, and a mail through ``core.mail.send`` whose token is blanked from the record
    once delivered (``secret``); an audit event. Returns the number of links sent.
    """
    sent = 0
    for email in emails:
        access_token, token = _issue(survey=survey, by=by)
        SurveyLink.objects.create(
            organizer=survey.organizer, survey=survey, unit=unit, personal=True, access_token=access_token
        )
        url = mail.absolute_url(answer_path(token), request)
        mail.send(
            to_email=email,
            kind="survey_invitation",
            subject=gettext_lazy("A short anonymous survey from %(organizer)s") % {"organizer": survey.organizer.name},
            template="surveys/mail/invitation",
            context={"survey": survey, "unit": unit, "url": url, "closes_at": survey.closes_at},
            language=settings.LANGUAGE_CODE,
            organizer=survey.organizer,
            why=gettext_lazy("You work at a unit taking part in the survey."),
            secret=token,
        )
        sent += 1
    record(organizer=survey.organizer, actor=by, verb="survey.personal_links", obj=survey, summary=str(sent))
    return sent


def close_survey(*, survey, by):
    """Close an open survey now. Side effects: closed_at, the figures refreshed, an audit event."""
    from . import aggregate

    now = timezone.now()
    if survey.state_at(now) == Survey.State.CLOSED:
        return survey
    survey.closed_at = now
    Survey.objects.filter(pk=survey.pk).update(closed_at=now)
    forget_links(survey_id=survey.pk)
    aggregate.refresh(survey=survey)
    record(organizer=survey.organizer, actor=by, verb="survey.closed", obj=survey)
    return survey


def send_reminders(*, survey, below, rates, by, request=None):
    """Remind the principals of the units whose response rate is below ``below`` (0..1).

    ``rates`` is ``{unit: rate or None}`` (``results.response_rates``); units without a known
    rate are left out. Side effects: one mail per principal and unit through ``core.mail.send``
    (deduplicated per survey, unit, person and day), an audit event. Returns mails sent.
    """
    units = {unit.pk: unit for unit, rate in rates.items() if rate is not None and rate < below}
    recipients = access_rules.survey_reminder_recipients(organizer=survey.organizer, unit_ids=list(units))
    today = timezone.localdate().isoformat()
    sent = 0
    for unit_id, users in recipients.items():
        unit = units[unit_id]
        for user in users:
            link = reverse("survey", kwargs={"organizer_slug": survey.organizer.slug, "survey_id": survey.pk})
            mail.send(
                to_email=user.email,
                to_user=user,
                kind="survey_reminder",
                subject=gettext_lazy("Reminder: the survey at %(unit)s is open") % {"unit": unit.name},
                template="surveys/mail/reminder",
                context={"survey": survey, "unit": unit, "rate": rates[unit], "url": mail.absolute_url(link, request)},
                language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
                organizer=survey.organizer,
                link=link,
                why=gettext_lazy("You are the principal of a unit in the survey."),
                dedupe_key=f"survey-reminder:{survey.pk}:{unit_id}:{user.pk}:{today}",
            )
            sent += 1
    record(organizer=survey.organizer, actor=by, verb="survey.reminded", obj=survey, summary=str(sent))
    return sent


# --- answering ------------------------------------------------------------------------------


def parse_answers(screens, data):
    """``{question id: value}`` from a submitted form (``q<id>`` fields): a step 1..n, 0 for
    "don't know", or text for a free-text question; empty fields are left out.

    Raises BadAnswer for a field of a question not in the survey, a value that is not a step of
    the question's scale, or an over-long text (a form made by the page cannot send them).
    """
    by_id = {q.pk: q for q in all_questions(screens)}
    found = {}
    for name, raw in data.items():
        if not name.startswith("q"):
            continue
        try:
            qid = int(name[1:])
        except ValueError:
            raise BadAnswer(_("The form holds an answer to a question that is not in this survey.")) from None
        question = by_id.get(qid)
        if question is None:
            raise BadAnswer(_("The form holds an answer to a question that is not in this survey."))
        raw = raw if isinstance(raw, str) else ""
        if question.kind == SurveyQuestion.Kind.TEXT:
            text = raw.strip()
            if len(text) > TEXT_MAX:
                raise BadAnswer(_("An answer is longer than %(max)s characters.") % {"max": TEXT_MAX})
            if text:
                found[qid] = text
            continue
        if raw == "":
            continue
        if not raw.isdigit() or len(raw) > 2:
            raise BadAnswer(_("An answer is not one of the choices."))
        value = int(raw)
        top = question.step_count
        if value > top or (value == Response.DONT_KNOW and not question.scale.get("dont_know")):
            raise BadAnswer(_("An answer is not one of the choices."))
        found[qid] = value
    return found


def valid_submit_key(key):
    return isinstance(key, str) and SUBMIT_KEY.fullmatch(key) is not None


class _Refused(Exception):
    """The response's INSERT stored nothing (inside a transaction: undo the link's UPDATE)."""


def _response_insert(conn):
    """The one statement that stores a response (per database vendor, built once): an INSERT of
    a SELECT that yields a row only while the survey is open and the link's token is valid, and
    that stores nothing for a submit key stored before (``ON CONFLICT DO NOTHING``). The checks
    are in the database, so a link read from the per-process cache can never let an answer
    into a survey closed since, nor through a revoked token."""
    sql = _INSERT_SQL.get(conn.vendor)
    if sql is None:
        from stegvis.organisations.models import AccessToken

        q = conn.ops.quote_name
        response, survey, token = Response._meta.db_table, Survey._meta.db_table, AccessToken._meta.db_table
        columns = ["id", "organizer_id", "survey_id", "unit_id", "code", "day", "submit_key", "scale_answers"]
        sql = (
            f"INSERT INTO {q(response)} ({', '.join(q(c) for c in columns)}) "
            f"SELECT {', '.join(['%s'] * len(columns))} "
            f"WHERE EXISTS (SELECT 1 FROM {q(survey)} s WHERE s.id = %s AND s.opens_at <= %s AND s.closes_at > %s"
            " AND (s.closed_at IS NULL OR s.closed_at > %s)) "
            f"AND EXISTS (SELECT 1 FROM {q(token)} t WHERE t.id = %s AND t.revoked_at IS NULL"
            " AND (t.expires_at IS NULL OR t.expires_at > %s)) "
            f"ON CONFLICT ({q('submit_key')}) DO NOTHING RETURNING {q('id')}"
        )
        _INSERT_SQL[conn.vendor] = sql
    return sql


_INSERT_SQL = {}
_FIELDS = {}


def _prep(name, value, conn):
    field = _FIELDS.get(name)
    if field is None:
        field = _FIELDS[name] = (Response if name != "at" else Survey)._meta.get_field(
            name if name != "at" else "opens_at"
        )
    return field.get_db_prep_value(value, conn)


def submit(*, link, survey, answers, submit_key, screens, now=None):
    """Store one response. Returns True when stored, False when this form was stored before
    (a double submit: nothing more is stored).

    Queries: one INSERT of the response with every scale answer in it (``_response_insert``:
    it stores nothing outside the survey's window or through a revoked token, checked in the
    database); for a personal link before it one conditional UPDATE of the link (used, no
    time), and for free-text answers after it one bulk INSERT, both in one transaction with
    the response. Raises SurveyNotOpen outside the window (or when the link's token was
    revoked), LinkUsed for a used personal link.

    Side effects: a Response (no account, address, user agent or time, only the day; a random
    id; its scale answers as ``{question id: step}``), Answer rows (random ids) for free text,
    and for a personal link ``used``.
    """
    now = now or timezone.now()
    if survey.state_at(now) != Survey.State.OPEN:
        raise SurveyNotOpen
    digest = hashlib.sha256(submit_key.encode()).hexdigest()
    text_ids = {q.pk for q in all_questions(screens) if q.kind == SurveyQuestion.Kind.TEXT}
    scale = {str(qid): value for qid, value in answers.items() if qid not in text_ids}
    texts = [(qid, value) for qid, value in answers.items() if qid in text_ids]
    conn = connections[router.db_for_write(Response)]
    response_id = uuid.uuid4()
    at = _prep("at", now, conn)
    params = [
        _prep("id", response_id, conn),
        link.organizer_id,
        link.survey_id,
        link.unit_id,
        "" if link.personal else link.code,
        _prep("day", timezone.localdate(now), conn),
        digest,
        _prep("scale_answers", scale, conn),
        link.survey_id,
        at,
        at,
        at,
        link.access_token_id,
        at,
    ]
    sql = _response_insert(conn)

    def insert():
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() is not None

    try:
        if not link.personal and not texts:
            if not insert():  # one statement, atomic by itself
                raise _Refused
        else:
            with transaction.atomic(using=conn.alias):
                if link.personal and not SurveyLink.objects.filter(pk=link.pk, used=False).update(used=True):
                    raise LinkUsed
                if not insert():
                    raise _Refused
                Answer.objects.bulk_create(
                    Answer(organizer_id=link.organizer_id, response_id=response_id, question_id=qid, text=text)
                    for qid, text in texts
                )
    except LinkUsed:
        if Response.objects.filter(submit_key=digest).exists():
            return False  # a double submit: the first one used the link
        raise
    except _Refused:
        if Response.objects.filter(submit_key=digest).exists():
            return False  # a double submit
        raise SurveyNotOpen from None
    return True


# --- the flood limit ------------------------------------------------------------------------


def slow_down(selector, *, now=None):
    """Whether a link (its token's ``selector``) has had more submissions this minute than ``STEGVIS_SURVEY_RATE`` allows
    (a flood from one link). A cache counter per link and minute (docs/surveys.md); the page
    keeps every answer and asks the respondent to send again in a moment."""
    limit = settings.STEGVIS_SURVEY_RATE
    if not limit:
        return False
    minute = int((now or timezone.now()).timestamp() // 60)
    key = f"survey-rate:{selector}:{minute}"  # the token's selector: random, never reused
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > limit
