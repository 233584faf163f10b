"""The calendar feeds: valid iCal, stable UIDs, SEQUENCE raised when an event moves, only what
concerns the feed's user, closed by revoking (404)."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from stegvis.calendar import domain as calendar
from stegvis.cycles import domain as cycles
from stegvis.organisations.models import Membership
from tests import factories as f

D = datetime.date


@pytest.fixture
def dated(world):
    """The world's round with every date, a follow-up, and own events for Norra and for everybody."""
    today = timezone.localdate()
    rnd = world.rnd
    rnd.opens_on = today - datetime.timedelta(days=20)
    rnd.deadline = today + datetime.timedelta(days=30)
    rnd.closes_on = today + datetime.timedelta(days=250)
    rnd.survey_opens_on = today + datetime.timedelta(days=5)
    rnd.survey_closes_on = today + datetime.timedelta(days=25)
    rnd.save()
    fu = cycles.add_follow_up(round=rnd, date=today + datetime.timedelta(days=120), title="Halvårsuppföljning", by=None)
    calendar.add_event(
        organizer=world.org,
        by=world.alice,
        title="Kvalitetsdialog med nämnden",
        starts_on=today + datetime.timedelta(days=40),
    )
    calendar.add_event(
        organizer=world.org,
        by=world.alice,
        title="Rektorsträff Norra",
        district=world.district,
        starts_on=today + datetime.timedelta(days=50),
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 30),
        location="Stadshuset",
    )
    f.make_round(world.other_org, rnd.framework, name="Annanstads omgång")
    calendar.add_event(organizer=world.other_org, by=world.charlie, title="Annanstads dag", starts_on=today)
    return fu


def feed_url(org, user):
    _feed, token = calendar.create_feed(organizer=org, user=user, by=user)
    return f"/t/{token}/calendar.ics"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def summaries(cal):
    return {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}


def by_uid(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_is_valid_ical_with_the_stockholm_time_zone(client, world, dated):
    cal = fetch(client, feed_url(world.org, world.bob))
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert cal["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=6)
    events = cal.walk("VEVENT")
    assert len(events) == 7  # opens, deadline, survey window, closes, follow-up, two own events
    for e in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert prop in e, prop
        assert e.end > e.start
    assert len({str(e["UID"]) for e in events}) == len(events)
    cal.validate()
    # a timed event is in Stockholm time; whole days are dates
    meeting = next(e for e in events if str(e["SUMMARY"]) == "Rektorsträff Norra")
    assert meeting["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert meeting.start.hour == 13 and meeting.end.hour == 15 and str(meeting["LOCATION"]) == "Stadshuset"
    survey = next(e for e in events if "Enkätperiod" in str(e["SUMMARY"]))
    assert survey.start == world.rnd.survey_opens_on
    assert survey.end == world.rnd.survey_closes_on + datetime.timedelta(days=1)  # DTEND the day after


def test_moving_a_deadline_raises_the_sequence_and_keeps_the_uid(client, world, dated):
    url = feed_url(world.org, world.bob)
    first = by_uid(fetch(client, url))
    uid = f"round-{world.rnd.pk}-deadline@stegvis"
    assert first[uid]["SEQUENCE"] == 0
    assert by_uid(fetch(client, url))[uid]["SEQUENCE"] == 0  # unchanged: the same sequence
    cycles.change_round(round=world.rnd, by=world.alice, deadline=world.rnd.deadline + datetime.timedelta(days=7))
    moved = by_uid(fetch(client, url))
    assert moved[uid]["SEQUENCE"] == 1 and moved[uid].start == world.rnd.deadline
    cycles.change_round(round=world.rnd, by=world.alice, name="Läsår 2026/27 (ny)")
    renamed = by_uid(fetch(client, url))
    assert set(renamed) == set(first)  # the UIDs survive a rename
    assert renamed[uid]["SEQUENCE"] == 2 and "Läsår 2026/27 (ny)" in str(renamed[uid]["SUMMARY"])


def test_moving_a_follow_up_or_an_own_event_raises_its_sequence(client, world, dated):
    url = feed_url(world.org, world.bob)
    cycles.change_follow_up(follow_up=dated, date=dated.date + datetime.timedelta(days=3), title=dated.title, by=None)
    event = world.org.pk and calendar.Event.objects.get(title="Kvalitetsdialog med nämnden")
    calendar.change_event(event=event, by=world.alice, starts_on=event.starts_on + datetime.timedelta(days=1))
    cal = by_uid(fetch(client, url))
    assert cal[f"followup-{dated.pk}@stegvis"]["SEQUENCE"] == 1
    assert cal[f"event-{event.pk}@stegvis"]["SEQUENCE"] == 1


def test_a_personal_feed_holds_only_what_concerns_its_user(client, world, dated):
    bob = summaries(fetch(client, feed_url(world.org, world.bob)))
    eve = summaries(fetch(client, feed_url(world.org, world.eve)))
    dave = summaries(fetch(client, feed_url(world.org, world.dave)))
    vera = summaries(fetch(client, feed_url(world.org, world.vera)))
    assert "Rektorsträff Norra" in bob and "Rektorsträff Norra" in dave and "Rektorsträff Norra" in vera
    assert "Rektorsträff Norra" not in eve  # another district's event
    assert "Kvalitetsdialog med nämnden" in eve  # the organiser's own, for everybody
    for feed in (bob, eve, dave, vera):
        assert not any("Annanstad" in s for s in feed)  # never another organiser's
    # a unit that does not take part in a round does not get its dates
    world.rnd.unit_links.filter(unit=world.other_unit).delete()
    assert not any("Läsår" in s for s in summaries(fetch(client, feed_url(world.org, world.eve))))


def test_the_feed_is_in_the_users_language(client, world, dated):
    world.bob.language = "en"
    world.bob.save()
    cal = fetch(client, feed_url(world.org, world.bob))
    assert any(s.startswith("Last day to publish") for s in summaries(cal))


def test_a_revoked_or_replaced_feed_is_404(client, world, dated):
    feed, token = calendar.create_feed(organizer=world.org, user=world.bob, by=world.bob)
    url = f"/t/{token}/calendar.ics"
    assert client.get(url).status_code == 200
    _new, new_token = calendar.create_feed(organizer=world.org, user=world.bob, by=world.bob)
    assert client.get(url).status_code == 404  # a new address closes the old one
    assert client.get(f"/t/{new_token}/calendar.ics").status_code == 200
    calendar.revoke_feed(feed=_new, by=world.bob)
    assert client.get(f"/t/{new_token}/calendar.ics").status_code == 404


def test_a_feed_goes_quiet_when_its_user_has_no_role_left(client, world, dated):
    url = feed_url(world.org, world.bob)
    Membership.objects.filter(user=world.bob, organizer=world.org).delete()
    assert client.get(url).status_code == 404


def test_the_organisers_feed_holds_the_whole_wheel(client, world, dated):
    cal = fetch(client, feed_url(world.org, None))
    names = summaries(cal)
    assert {"Rektorsträff Norra", "Kvalitetsdialog med nämnden"} <= names
    assert not any("Annanstad" in s for s in names)
    assert str(cal["X-WR-CALNAME"]).startswith("Årshjul")


def test_a_member_logged_in_is_nobody_behind_the_door(client, world, dated):
    """The feed is the token's user's, whoever is logged in (charlie sees bob's feed, not his own)."""
    url = feed_url(world.org, world.bob)
    client.force_login(world.charlie)
    assert "Rektorsträff Norra" in summaries(fetch(client, url))


def test_a_feed_makes_as_many_queries_for_many_events_as_for_few(client, world, dated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = feed_url(world.org, world.bob)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the first read writes the revisions of the round's dates
    few = count()
    today = timezone.localdate()
    for n in range(6):
        calendar.add_event(
            organizer=world.org, by=world.alice, title=f"Fler {n}", starts_on=today, district=world.district
        )
        cycles.add_follow_up(round=world.rnd, date=world.rnd.deadline + datetime.timedelta(days=n + 1), by=None)
    assert count() == few
