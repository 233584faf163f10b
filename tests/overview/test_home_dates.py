"""The principal's start page shows the open round's dates with the days left, and "försenad"
once the deadline has passed without a published assessment."""

import datetime

from django.utils import timezone

from stegvis.cycles import domain as cycles
from tests import factories as f


def card(client, user):
    client.cookies["django_language"] = "sv"  # the read side's tests speak English by default
    client.force_login(user)
    return client.get("/mittkoping/").content.decode()


def test_principal_sees_the_dates_with_the_days_left(client, world):
    today = timezone.localdate()
    rnd = world.rnd
    rnd.opens_on = today - datetime.timedelta(days=30)
    rnd.deadline = today + datetime.timedelta(days=12)
    rnd.closes_on = today + datetime.timedelta(days=200)
    rnd.survey_opens_on = today + datetime.timedelta(days=3)
    rnd.survey_closes_on = today + datetime.timedelta(days=20)
    rnd.save()
    cycles.add_follow_up(round=rnd, date=today + datetime.timedelta(days=100), title="Halvårsuppföljning", by=None)
    cycles.add_follow_up(round=rnd, date=today - datetime.timedelta(days=1), title="Passerad", by=None)
    page = card(client, world.bob)
    assert "Publicera senast" in page and "12 dagar kvar" in page
    assert "Enkätperiod" in page and "3 dagar kvar" in page
    assert "Halvårsuppföljning" in page and "100 dagar kvar" in page
    assert "Passerad" not in page  # follow-ups already past are not listed
    assert "Omgången stänger" in page
    assert "försenad" not in page


def test_a_passed_deadline_without_publishing_is_overdue(client, world):
    today = timezone.localdate()
    world.rnd.opens_on = today - datetime.timedelta(days=60)
    world.rnd.deadline = today - datetime.timedelta(days=2)
    world.rnd.save()
    page = card(client, world.bob)
    assert "försenad" in page
    # the other unit's principal publishes: no longer overdue for her
    f.published_assessment(world.other_unit, world.rnd, by=world.eve)
    assert "försenad" not in card(client, world.eve)
