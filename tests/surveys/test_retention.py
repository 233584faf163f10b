"""The organiser's retention rule for survey free text (docs/privacy.md): two years after a
survey ended its free-text answers are blanked by the nightly job; the scale answers, and the
free text of surveys that ended later, stay."""

import datetime

import time_machine
from django.test import Client

from stegvis.privacy import domain as privacy
from stegvis.surveys.models import Answer, Response

from .conftest import all_answers, link_path, open_survey, send


def test_free_text_is_blanked_two_years_after_the_survey_ended(world):
    survey = open_survey(world)
    later = open_survey(world)
    for s in (survey, later):
        assert send(
            Client(), link_path(s, world.unit), s, all_answers(s, text="Vi behöver mer fortbildning.")
        ).status_code in (200, 302)
    texts = Answer.objects.exclude(text="")
    assert texts.count() == 2
    # the first survey ended at its closing time; the second is closed 25 months on
    later.closes_at = survey.closes_at + datetime.timedelta(days=31 * 25)
    later.save()
    with time_machine.travel(survey.closes_at + datetime.timedelta(days=31 * 25)):
        deleted = privacy.apply_retention(organizer=world.org)
    assert deleted["survey_free_text"] == 1
    assert list(Answer.objects.exclude(text="").values_list("response__survey_id", flat=True)) == [later.pk]
    assert Response.objects.get(survey=survey).scale_answers  # the scale answers stay
