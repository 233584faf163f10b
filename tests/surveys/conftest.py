import datetime
import re

import pytest
from django.utils import timezone

from stegvis.surveys import domain
from stegvis.surveys.models import SurveyLink
from tests import factories as f


@pytest.fixture
def framework():
    return f.add_survey_questions(f.make_framework())


def open_survey(world, *, group="personal", units=None, distribution="links", k=5, opens=None, closes=None, by=None):
    now = timezone.now()
    return domain.open_survey(
        organizer=world.org,
        round=world.rnd,
        respondent_group=group,
        opens_at=opens or now - datetime.timedelta(days=1),
        closes_at=closes or now + datetime.timedelta(days=7),
        units=units or [world.unit],
        distribution=distribution,
        k=k,
        by=by or world.alice,
    )


def link_path(survey, unit, code=""):
    link = SurveyLink.objects.get(survey=survey, unit=unit, code=code, personal=False)
    return domain.answer_path(link.public_token)


def start(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.content
    return re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)


def send(client, path, survey, answers, *, key=None):
    """Submit a complete response at the last screen: ``answers`` maps question key -> value."""
    key = key or start(client, path)
    screens = domain.questions(survey.round.framework, survey.respondent_group)
    by_key = {q.key: q for q in domain.all_questions(screens)}
    data = {"key": key, "step": str(len(screens) - 1), "go": "send"}
    for qkey, value in answers.items():
        data[f"q{by_key[qkey].pk}"] = str(value)
    return client.post(path, data)


def all_answers(survey, value=3, text=None):
    screens = domain.questions(survey.round.framework, survey.respondent_group)
    found = {q.key: value for q in domain.all_questions(screens) if q.kind == "scale"}
    if text is not None:
        found.update({q.key: text for q in domain.all_questions(screens) if q.kind == "text"})
    return found
