"""A round opens on its opening date: before it, it is upcoming (shown to the organiser, not
startable, never a default round)."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings

from stegvis.assessments import domain
from stegvis.assessments.models import Assessment
from stegvis.cycles.models import Round
from tests import factories as f

BEFORE = datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC)
OPENING_DAY = datetime.datetime(2027, 8, 16, 6, tzinfo=datetime.UTC)  # 08:00 in Stockholm


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def upcoming(client, world, framework):
    """The organiser opens "Läsår 2027/28", to open on 2027-08-16, in June 2027."""
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(world.alice)
        response = client.post(
            "/mittkoping/rounds/new/",
            {"name": "Läsår 2027/28", "framework": framework.pk, "opens_on": "2027-08-16", "deadline": "2027-11-30"},
        )
        assert response.status_code == 302
        assert (
            "The round “Läsår 2027/28” is upcoming: it opens on 2027-08-16."
            in client.get(response["Location"]).content.decode()
        )
    return Round.objects.get(name="Läsår 2027/28")


def test_a_round_is_upcoming_until_its_opening_date(world, upcoming):
    with time_machine.travel(BEFORE, tick=False):
        assert upcoming.status == "open" and upcoming.is_upcoming and not upcoming.is_open
        assert upcoming.state == "upcoming"
    with time_machine.travel(OPENING_DAY, tick=False):
        assert upcoming.is_open and upcoming.state == "open"


def test_the_organiser_sees_it_as_upcoming(client, world, upcoming):
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(world.alice)
        rounds = client.get("/mittkoping/rounds/").content.decode()
        row = rounds.split("<tbody>", 1)[1].split("</tr>", 1)[0]
        assert "Läsår 2027/28" in row and "Upcoming" in row and "opens 2027-08-16" in row
        home = client.get("/mittkoping/").content.decode()
        assert "The round “Läsår 2027/28” is upcoming: it opens on 2027-08-16." in home


def test_principals_cannot_start_it_before_it_opens(client, world, upcoming):
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(world.bob)
        home = client.get("/mittkoping/").content.decode()
        assert "Läsår 2027/28" not in home  # not on the principal's card
        assert f"/rounds/{world.rnd.pk}/start/" in home  # the open round is
        unit_page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
        assert f"/rounds/{upcoming.pk}/start/" not in unit_page and "opens 2027-08-16" in unit_page
        response = client.post(f"/mittkoping/units/{world.unit.pk}/rounds/{upcoming.pk}/start/", follow=True)
        assert "opens on 2027-08-16; assessments can be started from that day" in response.content.decode()
        assert not Assessment.objects.filter(round=upcoming).exists()
        with pytest.raises(domain.RoundUpcoming):
            domain.start_assessment(unit=world.unit, round=upcoming, by=world.bob)
    with time_machine.travel(OPENING_DAY, tick=False):
        draft, created = domain.start_assessment(unit=world.unit, round=upcoming, by=world.bob)
        assert created and draft.round == upcoming


def test_it_is_never_the_default_round(client, world, upcoming):
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(world.alice)
        for url in ("/mittkoping/overview/status/", "/mittkoping/overview/", "/mittkoping/overview/districts/"):
            page = client.get(url).content.decode()
            assert re.search(r"<h1>[^<]*Läsår 2026/27", page), url
        board = client.get("/mittkoping/reports/board/").content.decode()
        assert "<h1>Board report, Läsår 2026/27</h1>" in board
        assert f'<option value="{upcoming.pk}">Läsår 2027/28</option>' in board  # still there to choose
        exports = client.get("/mittkoping/exports/").content.decode()
        assert f'<option value="{world.rnd.pk}" selected>' in exports
        trend = client.get("/mittkoping/overview/maturity/").content.decode()
        assert "Läsår 2027/28" not in trend.split("<tbody>", 1)[1]
        # asked for by id, the organiser sees it
        page = client.get(f"/mittkoping/overview/status/?round={upcoming.pk}").content.decode()
        assert "<h1>Publication status: Läsår 2027/28</h1>" in page
    with time_machine.travel(OPENING_DAY, tick=False):
        client.force_login(world.alice)
        page = client.get("/mittkoping/overview/status/").content.decode()
        assert "<h1>Publication status: Läsår 2027/28</h1>" in page


def test_only_upcoming_rounds_leave_the_pages_empty(client, world, framework):
    world.rnd.delete()
    f.make_round(world.org, framework, name="Läsår 2099/00", opens_on=datetime.date(2099, 8, 16))
    client.force_login(world.alice)
    page = client.get("/mittkoping/overview/").content.decode()
    assert "No assessment round yet" in page
