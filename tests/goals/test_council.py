"""The council indicator: by default the maturity index, over every round, with the goals on
the same measure; the organiser may choose another measure; a board PDF."""

import datetime

import time_machine

from stegvis.goals import domain
from stegvis.goals.models import CouncilIndicator, Measure
from tests import factories as f

URL = "/mittkoping/goals/council/"


def test_the_default_is_the_maturity_index_with_the_goals_that_feed_it(client, world, framework):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    domain.set_goal(
        organizer=world.org,
        by=world.alice,
        title="Den digitala mognaden når 70",
        measure=Measure.MATURITY_INDEX,
        baseline_round=world.rnd,
        target_value=70,
        target_date=datetime.date(2028, 6, 30),
    )
    domain.set_goal(
        organizer=world.org,
        by=world.alice,
        title="Alla publicerar",
        measure=Measure.UNITS_PUBLISHED,
        baseline_round=world.rnd,
        target_value=100,
        target_date=datetime.date(2028, 6, 30),
    )
    later = f.make_round(world.org, framework, name="Läsår 2027/28", opens_on=datetime.date(2027, 8, 15))
    with time_machine.travel(datetime.datetime(2027, 9, 1, 12, tzinfo=datetime.UTC)):
        f.published_assessment(world.unit, later, by=world.bob, level=4)
        client.force_login(world.vera)
        page = client.get(URL).content.decode()
    assert "Mognadsindex" in page
    assert "Läsår 2026/27" in page and "Läsår 2027/28" in page and "<svg" in page
    assert "1 av 2 enheter" in page  # what each value rests on
    assert "Den digitala mognaden når 70" in page and "Alla publicerar" not in page
    assert "Välj indikatorn" not in page  # a viewer reads, does not choose


def test_the_organiser_chooses_another_measure(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    client.force_login(world.alice)
    data = {"title": "Fler enheter på steg 3", "measure": "share_at_level", "indicator_code": "A1.1"}
    response = client.post(URL + "edit/", data)
    assert response.status_code == 200 and "Ange den nivå en enhet ska nå" in response.content.decode()
    response = client.post(URL + "edit/", {**data, "level": "3", "target_value": "80"})
    assert response.status_code == 302
    assert CouncilIndicator.objects.get(organizer=world.org).measure == Measure.SHARE_AT_LEVEL
    page = client.get(URL).content.decode()
    assert "Fler enheter på steg 3" in page and "50 %" in page and "80 %" in page


def test_the_board_pdf(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    client.force_login(world.alice)
    response = client.get(URL + "board.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
