"""Surveys with questions of their own (docs/surveys.md, "Surveys of their own").

A room above surveys (competence development's evaluations) opens a ``CustomSurvey`` with the
questions it makes, mails personal one-use links to the people it names, and reads the results
through ``results``: the same rules as every survey figure (``anonymity``: nothing resting on
fewer than k answers, free text only where at least ``FREE_TEXT_MIN`` responded). Submitting is
the round surveys' path in small: one conditional UPDATE of the link, one INSERT of the
response, one bulk INSERT of its answers.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core import mail
from stegvis.core.models import record
from stegvis.organisations import domain as organisations

from . import anonymity
from .domain import TEXT_MAX, BadAnswer, LinkUsed, SurveyError, SurveyNotOpen
from .models import CustomAnswer, CustomLink, CustomQuestion, CustomResponse, CustomSurvey

PURPOSE = "custom_survey"

# "How far ...?": four steps, lowest first, and "don't know"
EXTENT_SCALE = {
    "steps": [
        {"sv": "Inte alls", "en": "Not at all"},
        {"sv": "I liten utsträckning", "en": "To a small extent"},
        {"sv": "I stor utsträckning", "en": "To a large extent"},
        {"sv": "Helt och hållet", "en": "Fully"},
    ],
    "dont_know": {"sv": "Vet inte", "en": "Don't know"},
}


@dataclass(frozen=True)
class Ask:
    """A question to ask: ``kind`` "scale" (on ``EXTENT_SCALE``) or "text"."""

    text: str
    kind: str = CustomQuestion.Kind.SCALE
    key: str = ""


def answer_path(token):
    return reverse("custom_survey_answer", kwargs={"access_token": token})


def open_custom_survey(*, organizer, title, intro="", questions, opens_at, closes_at, k, by):
    """Open a survey with its own ``questions`` (``Ask`` rows, in order).

    Side effects: a CustomSurvey and its CustomQuestion rows; an audit event. Raises SurveyError
    for no questions, a window that ends before it begins or a k below the minimum.
    """
    if not questions:
        raise SurveyError(_("A survey needs at least one question."))
    if closes_at <= opens_at:
        raise SurveyError(_("The survey must close after it opens."))
    if k < anonymity.K_DEFAULT:
        raise SurveyError(_("The smallest group shown cannot be below %(k)s.") % {"k": anonymity.K_DEFAULT})
    with transaction.atomic():
        survey = CustomSurvey.objects.create(
            organizer=organizer,
            title=title,
            intro=intro,
            opens_at=opens_at,
            closes_at=closes_at,
            k=k,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        CustomQuestion.objects.bulk_create(
            CustomQuestion(
                organizer=organizer,
                survey=survey,
                order=n,
                key=ask.key,
                kind=ask.kind,
                text=ask.text[:500],
                scale=EXTENT_SCALE if ask.kind == CustomQuestion.Kind.SCALE else {},
            )
            for n, ask in enumerate(questions, start=1)
        )
        record(organizer=organizer, actor=by, verb="custom_survey.opened", obj=survey, summary=title[:100])
    return survey


def send_links(*, survey, recipients, subject, why, by, request=None):
    """Mail a personal one-use link to each of ``recipients`` (``(email, language)`` pairs).

    Side effects: per recipient a CustomLink (naming no one) with its AccessToken, and a mail
    through ``core.mail.send`` whose token is blanked from the record once delivered; an audit
    event. Returns the number of links sent.
    """
    sent = 0
    for email, language in recipients:
        access_token, token = organisations.issue_token(
            organizer=survey.organizer, purpose=PURPOSE, target=survey, by=by
        )
        CustomLink.objects.create(organizer=survey.organizer, survey=survey, access_token=access_token)
        mail.send(
            to_email=email,
            kind="custom_survey_invitation",
            subject=subject,
            template="surveys/mail/custom_invitation",
            context={"survey": survey, "url": mail.absolute_url(answer_path(token), request)},
            language=language or settings.LANGUAGE_CODE,
            organizer=survey.organizer,
            why=why,
            secret=token,
        )
        sent += 1
    record(organizer=survey.organizer, actor=by, verb="custom_survey.links", obj=survey, summary=str(sent))
    return sent


def close_custom_survey(*, survey, by):
    """Close an open survey now. Side effects: closed_at, an audit event."""
    now = timezone.now()
    if survey.state_at(now) == "closed":
        return survey
    survey.closed_at = now
    CustomSurvey.objects.filter(pk=survey.pk).update(closed_at=now)
    record(organizer=survey.organizer, actor=by, verb="custom_survey.closed", obj=survey)
    return survey


def parse_answers(questions, data):
    """``{question id: value}`` from a submitted form (fields ``q<id>``); empty fields left out.
    Raises BadAnswer for an unknown question, a value off the scale or an over-long text."""
    by_id = {q.pk: q for q in questions}
    found = {}
    for name, raw in data.items():
        if not name.startswith("q"):
            continue
        try:
            question = by_id[int(name[1:])]
        except (ValueError, KeyError):
            raise BadAnswer(_("The form holds an answer to a question that is not in this survey.")) from None
        raw = raw if isinstance(raw, str) else ""
        if question.kind == CustomQuestion.Kind.TEXT:
            text = raw.strip()
            if len(text) > TEXT_MAX:
                raise BadAnswer(_("An answer is longer than %(max)s characters.") % {"max": TEXT_MAX})
            if text:
                found[question.pk] = text
            continue
        if raw == "":
            continue
        if not raw.isdigit() or len(raw) > 2 or int(raw) > question.step_count:
            raise BadAnswer(_("An answer is not one of the choices."))
        if int(raw) == CustomAnswer.DONT_KNOW and not question.scale.get("dont_know"):
            raise BadAnswer(_("An answer is not one of the choices."))
        found[question.pk] = int(raw)
    return found


def submit(*, link, survey, questions, answers, submit_key, now=None):
    """Store one response; False when this form was stored before (a double submit).

    Raises SurveyNotOpen outside the window, LinkUsed for a used link. Side effects: the link's
    ``used`` (no time), a CustomResponse (only the day, a random id) and its CustomAnswer rows.
    """
    now = now or timezone.now()
    if survey.state_at(now) != "open":
        raise SurveyNotOpen
    digest = hashlib.sha256(submit_key.encode()).hexdigest()
    kinds = {q.pk: q.kind for q in questions}
    try:
        with transaction.atomic():
            if not CustomLink.objects.filter(pk=link.pk, used=False).update(used=True):
                raise LinkUsed
            response = CustomResponse.objects.create(
                organizer_id=link.organizer_id, survey_id=survey.pk, day=timezone.localdate(now), submit_key=digest
            )
            CustomAnswer.objects.bulk_create(
                CustomAnswer(
                    organizer_id=link.organizer_id,
                    response=response,
                    question_id=qid,
                    value=None if kinds[qid] == CustomQuestion.Kind.TEXT else value,
                    text=value if kinds[qid] == CustomQuestion.Kind.TEXT else "",
                )
                for qid, value in answers.items()
            )
    except (IntegrityError, LinkUsed):
        if CustomResponse.objects.filter(submit_key=digest).exists():
            return False
        raise
    return True


# -- results -----------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """One question's figures. For a scale question: ``counts`` per step (lowest first), answers
    on the scale (``answered``), of them positive, "don't know"; ``shown`` False when they rest
    on fewer than k answers (then the counts are not given). For a text question: ``texts``,
    given only where ``texts_shown``."""

    question: CustomQuestion
    answered: int = 0
    positive: int = 0
    dont_know: int = 0
    counts: list = field(default_factory=list)
    shown: bool = False
    texts: list = field(default_factory=list)
    texts_shown: bool = False

    @property
    def positive_share(self):
        return self.positive / self.answered if self.shown and self.answered else None


@dataclass
class Results:
    survey: CustomSurvey
    responses: int
    links_sent: int
    links_used: int
    k: int
    questions: list  # QuestionResult, in order

    def by_key(self):
        return {r.question.key: r for r in self.questions if r.question.key}


def results(*, survey, with_texts=False):
    """The survey's figures under the anonymity rules: a scale question's figures only when at
    least k answered it on the scale; free text (with ``with_texts``, for those who may read it)
    only when the survey has at least ``FREE_TEXT_MIN`` responses and at least k. Four queries."""
    k = anonymity.effective_k(survey.k)
    questions = list(CustomQuestion.objects.filter(survey=survey).order_by("order"))
    responses = CustomResponse.objects.filter(survey=survey).count()
    links = dict(CustomLink.objects.filter(survey=survey).values_list("used").annotate(n=Count("id")).order_by())
    grouped = (
        CustomAnswer.objects.filter(response__survey=survey, value__isnull=False)
        .values_list("question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells = {}
    for qid, value, n in grouped:
        cells.setdefault(qid, {})[value] = n
    texts_allowed = with_texts and anonymity.free_text_shown(responses) and anonymity.shown(responses, k)
    texts = {}
    if texts_allowed:
        rows = CustomAnswer.objects.filter(response__survey=survey, value__isnull=True).exclude(text="")
        for qid, text in rows.order_by("text").values_list("question_id", "text"):
            texts.setdefault(qid, []).append(text)
    found = []
    for q in questions:
        row = QuestionResult(question=q)
        if q.kind == CustomQuestion.Kind.SCALE:
            by_value = cells.get(q.pk, {})
            row.dont_know = by_value.get(0, 0)
            steps = [by_value.get(n, 0) for n in range(1, q.step_count + 1)]
            row.answered = sum(steps)
            row.shown = anonymity.shown(row.answered, k)
            if row.shown:
                row.counts = steps
                row.positive = sum(steps[q.positive_from - 1 :])
        else:
            row.texts_shown = texts_allowed
            row.texts = texts.get(q.pk, [])
        found.append(row)
    return Results(
        survey=survey,
        responses=responses,
        links_sent=sum(links.values()),
        links_used=links.get(True, 0),
        k=k,
        questions=found,
    )
