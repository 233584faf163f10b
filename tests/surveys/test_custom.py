"""Surveys with questions of their own (surveys.custom): personal one-use links mailed to the
people named, answers stored with nothing about the respondent, figures only from k answers and
free text only from ten responses (docs/surveys.md)."""

import datetime
import re

import pytest
from django.utils import timezone

from stegvis.core.models import SentMail
from stegvis.surveys import custom
from stegvis.surveys.domain import SurveyError
from stegvis.surveys.models import CustomAnswer, CustomLink, CustomResponse
from tests.mailserver import text_of


def open_one(world, **kwargs):
    now = timezone.now()
    return custom.open_custom_survey(
        organizer=world.org,
        title="Utvärdering",
        questions=[custom.Ask(text="Hur väl nåddes målet?", key="goal-1"), custom.Ask(text="Kommentar", kind="text")],
        opens_at=kwargs.get("opens_at", now - datetime.timedelta(minutes=1)),
        closes_at=kwargs.get("closes_at", now + datetime.timedelta(days=7)),
        k=kwargs.get("k", 5),
        by=world.alice,
    )


def mailed_paths(survey, count, inbox):
    links = custom.send_links(
        survey=survey,
        recipients=[(f"p{n}@example.se", "sv") for n in range(count)],
        subject="Utvärdering",
        why="Du deltog.",
        by=None,
    )
    assert links == count
    return [re.search(r"(/t/[A-Za-z0-9_-]{59}/survey/own/)", text_of(m)).group(1) for m in inbox.messages[-count:]]


def answer(client, path, survey, value, text=""):
    page = client.get(path)
    assert page.status_code == 200
    key = re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)
    scale, comment = list(survey.questions.order_by("order"))
    return client.post(path, {"key": key, f"q{scale.pk}": str(value), f"q{comment.pk}": text})


def test_opening_refuses_no_questions_a_backward_window_and_a_low_k(world):
    now = timezone.now()
    for kwargs, questions in (
        ({"closes_at": now + datetime.timedelta(days=1)}, []),
        ({"closes_at": now - datetime.timedelta(days=1)}, [custom.Ask(text="x")]),
        ({"closes_at": now + datetime.timedelta(days=1), "k": 3}, [custom.Ask(text="x")]),
    ):
        with pytest.raises(SurveyError):
            custom.open_custom_survey(
                organizer=world.org, title="t", questions=questions, opens_at=now, by=None,
                **{"k": 5, **kwargs},
            )  # fmt: skip


def test_a_mailed_link_works_once_and_the_response_keeps_nothing_of_the_person(client, world, smtp_server):
    survey = open_one(world)
    (path,) = mailed_paths(survey, 1, smtp_server)
    # the token is blanked from the mail record once delivered
    assert not re.search(r"/t/[A-Za-z0-9_-]{59}/", SentMail.objects.get().body_text)
    client.force_login(world.bob)  # a logged-in member answers as nobody
    page = answer(client, path, survey, 4, "Bra dagar")
    assert page.status_code == 302 and page["Location"].endswith("/thanks/")
    assert {f.name for f in CustomResponse._meta.get_fields()} == {
        "id",
        "organizer",
        "survey",
        "day",
        "submit_key",
        "answers",
    }
    assert set(CustomAnswer.objects.values_list("value", "text")) == {(None, "Bra dagar"), (4, "")}
    assert "redan använts" in client.get(path).content.decode()
    assert CustomLink.objects.get().used is True


def test_a_value_off_the_scale_is_refused_and_nothing_is_stored(client, world, smtp_server):
    survey = open_one(world)
    (path,) = mailed_paths(survey, 1, smtp_server)
    page = answer(client, path, survey, 9)
    assert page.status_code == 400
    assert CustomResponse.objects.count() == 0 and not CustomLink.objects.get().used


def test_a_closed_survey_takes_no_answers(client, world, smtp_server):
    survey = open_one(world)
    (path,) = mailed_paths(survey, 1, smtp_server)
    custom.close_custom_survey(survey=survey, by=world.alice)
    assert "stängd" in client.get(path).content.decode()
    assert CustomResponse.objects.count() == 0


def test_figures_need_k_answers_and_free_text_ten_responses(client, world, smtp_server):
    survey = open_one(world)
    paths = mailed_paths(survey, 10, smtp_server)
    for n, path in enumerate(paths[:4]):
        answer(client, path, survey, 3, f"Tanke {n}")
    result = custom.results(survey=survey, with_texts=True)
    scale, comment = result.questions
    assert (result.responses, result.links_sent, result.links_used) == (4, 10, 4)
    assert scale.answered == 4 and not scale.shown and scale.counts == []
    assert not comment.texts_shown and comment.texts == []
    answer(client, paths[4], survey, 4)
    scale = custom.results(survey=survey).questions[0]
    assert scale.shown and scale.counts == [0, 0, 4, 1] and scale.positive == 5
    for path in paths[5:]:
        answer(client, path, survey, 1, "Sista")
    result = custom.results(survey=survey, with_texts=True)
    assert result.questions[1].texts_shown and len(result.questions[1].texts) == 9
    assert custom.results(survey=survey).questions[1].texts == []  # not asked for: none given
