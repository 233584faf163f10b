"""Answering a survey through its link: no account, one screen per area, one response stored,
nothing about the respondent kept; bad input answered clearly (docs/surveys.md)."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from stegvis.organisations.models import AccessToken
from stegvis.surveys import aggregate, domain
from stegvis.surveys.models import Answer, Response, Survey, SurveyFigure, SurveyLink, SurveyTally

from .conftest import all_answers, link_path, open_survey, send, start


def test_a_respondent_answers_screen_by_screen_and_the_response_is_stored(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    key = start(client, path)
    screens = domain.questions(world.rnd.framework, "personal")
    first, second = screens[0].questions, screens[1].questions
    # the first screen, then the second with the first one's answers carried along
    page = client.post(path, {"key": key, "step": "-1", "go": "next"})
    assert "Del 1 av 2" in page.content.decode()
    page = client.post(path, {"key": key, "step": "0", "go": "next", f"q{first[0].pk}": "4"})
    html = page.content.decode()
    assert "Del 2 av 2" in html and f'name="q{first[0].pk}" value="4"' in html
    # back to the first screen: the answer is still chosen
    page = client.post(path, {"key": key, "step": "1", "go": "back", f"q{first[0].pk}": "4"})
    assert re.search(rf'name="q{first[0].pk}" value="4" checked', page.content.decode())
    data = {"key": key, "step": "1", "go": "send", f"q{first[0].pk}": "4", f"q{second[0].pk}": "0"}
    page = client.post(path, data)
    assert page.status_code == 302 and page["Location"].endswith("/thanks/")
    assert "Tack för dina svar" in client.get(page["Location"]).content.decode()
    response = Response.objects.get()
    assert response.unit == world.unit and response.day == timezone.localdate()
    assert response.scale_answers == {str(first[0].pk): 4, str(second[0].pk): 0}  # in the row itself
    assert not Answer.objects.exists()  # free text only


def test_a_response_keeps_nothing_about_the_respondent(client, world):
    survey = open_survey(world)
    client.force_login(world.bob)  # even a logged-in member answers as nobody
    send(client, link_path(survey, world.unit), survey, all_answers(survey, text="Bra"), key=None)
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "organizer", "survey", "unit", "code", "day", "submit_key", "scale_answers", "answers"}
    response = Response.objects.get()
    assert isinstance(response.id, uuid.UUID) and response.id.version == 4
    assert all(a.id.version == 4 for a in Answer.objects.all())
    # the token's time of use is not noted either
    assert AccessToken.objects.get(pk=SurveyLink.objects.get().access_token_id).last_used_at is None


def test_a_double_submit_stores_one_response(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    key = start(client, path)
    assert send(client, path, survey, all_answers(survey), key=key).status_code == 302
    assert send(client, path, survey, all_answers(survey), key=key).status_code == 302
    assert Response.objects.count() == 1


def test_the_final_submit_is_one_insert(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    key, other = start(client, path), start(client, path)  # the link, its token and questions kept
    with CaptureQueriesContext(connection) as queries:
        assert send(client, path, survey, all_answers(survey), key=key).status_code == 302
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"], [q["sql"] for q in queries]
    # with free text: the response and its texts, nothing read
    with CaptureQueriesContext(connection) as queries:
        assert send(client, path, survey, all_answers(survey, text="Hej"), key=other).status_code == 302
    writes = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert [w.split()[0] for w in writes] == ["INSERT", "INSERT"], writes
    assert Response.objects.count() == 2 and Answer.objects.get().text == "Hej"


def test_a_survey_closed_by_another_process_takes_no_answer(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    key = start(client, path)  # this process now keeps the link and its survey
    Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.now())  # as another worker closes it
    page = send(client, path, survey, all_answers(survey), key=key)
    assert page.status_code == 409 and "stängd" in page.content.decode()
    assert Response.objects.count() == 0


def test_a_link_revoked_by_another_process_takes_no_answer(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    key = start(client, path)
    link = SurveyLink.objects.get(survey=survey)
    AccessToken.objects.filter(pk=link.access_token_id).update(revoked_at=timezone.now())
    assert send(client, path, survey, all_answers(survey), key=key).status_code == 409
    assert Response.objects.count() == 0


def test_a_link_revoked_here_is_closed_at_once(client, world):
    from stegvis.organisations import domain as organisations

    survey = open_survey(world)
    path = link_path(survey, world.unit)
    start(client, path)
    token = AccessToken.objects.get(pk=SurveyLink.objects.get(survey=survey).access_token_id)
    organisations.revoke_token(access_token=token, by=world.alice)
    assert client.get(path).status_code == 404


def test_every_answer_of_a_response_is_counted_from_its_row(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    screens = domain.questions(world.rnd.framework, "personal")
    first, second = screens[0].questions[0], screens[1].questions[0]
    for value in (4, 3, 1, 0, 2):
        data = {"key": start(client, path), "step": str(len(screens) - 1), "go": "send", f"q{first.pk}": str(value)}
        if value:
            data[f"q{second.pk}"] = "4"
        assert client.post(path, data).status_code == 302
    aggregate.refresh(survey=survey)
    figures = {f.question_id: (f.answered, f.positive, f.dont_know) for f in SurveyFigure.objects.all()}
    assert figures[first.pk] == (4, 2, 1)  # 4 and 3 positive, 1 and 2 not, one "don't know"
    assert figures[second.pk] == (4, 4, 0)  # left out once
    assert SurveyTally.objects.get().responses == 5


@pytest.mark.parametrize(
    "value",
    ["9", "-1", "x", "1.5", "100"],
)
def test_an_out_of_range_value_is_a_400_with_a_message(client, world, value):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    screens = domain.questions(world.rnd.framework, "personal")
    q = screens[0].questions[0]
    page = client.post(path, {"key": start(client, path), "step": "0", "go": "next", f"q{q.pk}": value})
    assert page.status_code == 400 and "inte ett av svarsalternativen" in page.content.decode()
    assert Response.objects.count() == 0


def test_a_question_of_another_survey_is_a_400(client, world):
    survey = open_survey(world)
    other = domain.questions(world.rnd.framework, "elever")[0].questions[0]
    path = link_path(survey, world.unit)
    page = client.post(path, {"key": start(client, path), "step": "0", "go": "send", f"q{other.pk}": "3"})
    assert page.status_code == 400
    page = client.post(path, {"key": "short", "step": "0"})
    assert page.status_code == 400
    page = client.post(path, {"key": start(client, path), "step": "99"})
    assert page.status_code == 400


def test_a_too_long_text_is_a_400(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    assert send(client, path, survey, {"personal-text": "x" * (domain.TEXT_MAX + 1)}).status_code == 400


def test_a_closed_and_a_not_yet_open_survey_show_a_clear_page(client, world):
    now = timezone.now()
    closed = open_survey(world, opens=now - datetime.timedelta(days=9), closes=now - datetime.timedelta(days=1))
    page = client.get(link_path(closed, world.unit))
    assert page.status_code == 200 and "Enkäten är stängd" in page.content.decode()
    upcoming = open_survey(world, opens=now + datetime.timedelta(days=2), closes=now + datetime.timedelta(days=9))
    page = client.get(link_path(upcoming, world.unit))
    assert "Enkäten har inte öppnat än" in page.content.decode()
    assert send(client, link_path(closed, world.unit), closed, {}, key="k" * 32).status_code == 409


def test_a_survey_closed_while_answering_keeps_nothing_and_says_so(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    key = start(client, path)
    domain.close_survey(survey=survey, by=world.alice)
    page = send(client, path, survey, all_answers(survey), key=key)
    assert page.status_code == 409 and "stängd" in page.content.decode()


@override_settings(STEGVIS_SURVEY_RATE=2)
def test_a_flood_from_one_link_is_slowed_and_the_answers_kept(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    assert send(client, path, survey, all_answers(survey)).status_code == 302
    assert send(client, path, survey, all_answers(survey)).status_code == 302
    page = send(client, path, survey, all_answers(survey, value=4))
    html = page.content.decode()
    assert page.status_code == 429 and "vänta några sekunder" in html
    assert 'value="4"' in html  # every answer is still in the form, to send again
    assert Response.objects.count() == 2


def test_an_unknown_token_is_404(client, world):
    from stegvis.organisations import door

    assert client.get(f"/t/{door.new_token()}/survey/").status_code == 404


def test_english_on_request(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    client.cookies["django_language"] = "en"
    assert "Your answers are anonymous" in client.get(path).content.decode()
