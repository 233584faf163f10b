"""Network meetings in the year wheel and the feeds (docs/networks.md, docs/calendar.md):
members see their networks' meetings, others of the organiser do not, the organiser's feed
has them all."""

import datetime

import icalendar
from django.utils import timezone

from stegvis.calendar import domain as calendar
from stegvis.networks import domain as networks


def _feed(client, org, user, by=None):
    _feed, token = calendar.create_feed(organizer=org, user=user, by=by or user)
    response = client.get(f"/t/{token}/calendar.ics")
    assert response.status_code == 200
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_members_see_their_networks_meetings_in_their_feed_and_the_wheel(client, world):
    network = networks.create_network(organizer=world.org, by=world.alice, name="IKT-nätverket")
    networks.add_member(network=network, user=world.carol, by=world.alice)
    day = timezone.localdate() + datetime.timedelta(days=12)
    meeting = networks.create_meeting(
        network=network,
        by=world.alice,
        date=day,
        starts_at=datetime.time(14, 30),
        ends_at=datetime.time(16, 0),
        theme="AI i undervisningen",
        video_link="https://meet.example.se/ikt",
    )
    [event] = [e for e in _feed(client, world.org, world.carol) if "IKT" in str(e["summary"])]
    assert str(event["summary"]) == "IKT-nätverket: AI i undervisningen"
    assert str(event["uid"]) == f"network-meeting-{meeting.pk}@stegvis"
    assert event["dtstart"].dt.hour == 14 and event["dtstart"].dt.minute == 30
    assert str(event["location"]) == "https://meet.example.se/ikt"
    assert not [e for e in _feed(client, world.org, world.eve) if "IKT" in str(e["summary"])]
    assert [
        e for e in _feed(client, world.org, None, by=world.alice) if "IKT" in str(e["summary"])
    ]  # the organiser's feed
    networks.change_meeting(
        meeting=meeting, by=world.alice, date=day, starts_at=datetime.time(15, 0), theme="AI", place="Stadshuset"
    )
    [moved] = [e for e in _feed(client, world.org, world.carol) if "IKT" in str(e["summary"])]
    assert moved["sequence"] == 1 and str(moved["location"]) == "Stadshuset"
    client.force_login(world.carol)
    wheel = client.get("/mittkoping/calendar/").content.decode()
    assert "IKT-nätverket: AI" in wheel and "Nätverksträff" in wheel
    client.force_login(world.eve)
    assert "IKT-nätverket" not in client.get("/mittkoping/calendar/").content.decode()
