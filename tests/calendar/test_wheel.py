"""The year wheel page: the wheel and the list, filters, own events, the feed pages."""

import datetime

import pytest
from django.utils import timezone

from stegvis.calendar import domain as calendar
from stegvis.calendar.models import Event, Feed
from stegvis.cycles import domain as cycles
from stegvis.organisations.models import District


@pytest.fixture
def year(world):
    """The round in this school year with its dates, a follow-up and two own events."""
    today = timezone.localdate()
    first = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    rnd = world.rnd
    rnd.opens_on, rnd.deadline = first + datetime.timedelta(days=14), first + datetime.timedelta(days=120)
    rnd.survey_opens_on, rnd.survey_closes_on = first + datetime.timedelta(days=40), first + datetime.timedelta(days=60)
    rnd.closes_on = first + datetime.timedelta(days=320)
    rnd.save()
    cycles.add_follow_up(round=rnd, date=first + datetime.timedelta(days=180), title="Halvårsuppföljning", by=None)
    calendar.add_event(
        organizer=world.org,
        by=world.alice,
        title="Kvalitetsdialog med nämnden",
        starts_on=first + datetime.timedelta(days=200),
    )
    calendar.add_event(
        organizer=world.org,
        by=world.alice,
        title="Nätverksträff Södra",
        district=District.objects.get(name="Södra"),
        starts_on=first + datetime.timedelta(days=90),
    )
    return first


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/mittkoping/calendar/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_wheel_and_the_list_show_the_year(client, world, year):
    html = page(client, world.alice)
    assert '<svg class="year-wheel"' in html and 'role="img"' in html and 'aria-describedby="wheel-list"' in html
    for text in (
        "Sista dag att publicera: Läsår 2026/27",
        "Enkätperiod: Läsår 2026/27",
        "Halvårsuppföljning",
        "Kvalitetsdialog med nämnden",
        "Nätverksträff Södra",
        "Läsår 2026/27 öppnar",
    ):
        assert html.count(text) >= 2, text  # in the list, and as the dot's title in the wheel
    assert "Lägg till en händelse" in html  # the admin adds own events


def test_filters_by_district_and_kind(client, world, year):
    norra = page(client, world.alice, f"?district={world.district.pk}")
    assert "Nätverksträff Södra" not in norra and "Kvalitetsdialog med nämnden" in norra
    only_own = page(client, world.alice, "?kind=own")
    assert "Kvalitetsdialog med nämnden" in only_own and "Halvårsuppföljning" not in only_own
    nonsense = page(client, world.alice, "?district=abc&kind=zzz&year=1")
    assert "Halvårsuppföljning" in nonsense  # nonsense filters are ignored
    next_year = page(client, world.alice, f"?year={year.year + 1}")
    assert "Halvårsuppföljning" not in next_year and "Inget i kalendern" in next_year


def test_a_principal_sees_what_concerns_the_unit(client, world, year):
    bob = page(client, world.bob)
    assert "Halvårsuppföljning" in bob and "Kvalitetsdialog med nämnden" in bob
    assert "Nätverksträff Södra" not in bob  # another district's
    assert "Lägg till en händelse" not in bob
    # a district the principal cannot read is no filter either
    assert f'value="{District.objects.get(name="Södra").pk}"' not in bob


def test_admin_adds_edits_and_removes_an_own_event(client, world, year):
    client.force_login(world.alice)
    response = client.post(
        "/mittkoping/calendar/events/new/",
        {
            "title": "Kvalitetsdag",
            "starts_on": "2027-03-10",
            "starts_at": "09:00",
            "ends_at": "12:00",
            "district": world.district.pk,
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Kvalitetsdag")
    assert event.district == world.district and event.starts_at == datetime.time(9)
    client.post(f"/mittkoping/calendar/events/{event.pk}/", {"title": "Kvalitetsdag", "starts_on": "2027-03-11"})
    event.refresh_from_db()
    assert (event.starts_on, event.sequence, event.district) == (datetime.date(2027, 3, 11), 1, None)
    client.post(f"/mittkoping/calendar/events/{event.pk}/delete/")
    assert not Event.objects.filter(pk=event.pk).exists()


def test_an_own_event_is_checked(client, world):
    client.force_login(world.alice)
    for data, message in [
        (
            {"title": "X", "starts_on": "2027-03-10", "ends_on": "2027-03-01"},
            "Sista dagen kan inte vara före den första.",
        ),
        ({"title": "X", "starts_on": "2027-03-10", "ends_at": "10:00"}, "Ange också starttiden"),
        ({"title": "X", "starts_on": "2027-03-10", "starts_at": "10:00", "ends_at": "09:00"}, "måste sluta efter"),
        ({"title": "", "starts_on": "2027-03-10"}, "Detta fält måste fyllas i"),
        ({"title": "X", "starts_on": "2027-03-10", "district": "999999"}, "Välj ett giltigt alternativ"),
    ]:
        response = client.post("/mittkoping/calendar/events/new/", data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not Event.objects.exists()


def test_another_organisers_event_is_404(client, world):
    theirs = calendar.add_event(
        organizer=world.other_org, by=world.charlie, title="Deras", starts_on=datetime.date(2027, 1, 1)
    )
    client.force_login(world.alice)
    assert client.get(f"/mittkoping/calendar/events/{theirs.pk}/").status_code == 404


def test_the_feed_page_turns_a_personal_feed_on_and_off(client, world):
    client.force_login(world.bob)
    assert "Flödet är avstängt." in client.get("/mittkoping/calendar/feed/").content.decode()
    response = client.post("/mittkoping/calendar/feed/", {"action": "create"})
    html = response.content.decode()
    assert "visas bara den här gången" in html and "/calendar.ics" in html
    address = html.split('id="feed-address" type="text" readonly value="', 1)[1].split('"', 1)[0]
    path = address.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.get("/" + path).status_code == 200
    client.force_login(world.bob)
    html = client.get("/mittkoping/calendar/feed/").content.decode()
    assert "Flödet är på" in html and "/calendar.ics" not in html  # the address is never shown again
    client.post("/mittkoping/calendar/feed/", {"action": "revoke"})
    assert client.get("/" + path).status_code == 404
    assert Feed.objects.filter(user=world.bob).count() == 1


def test_only_admins_manage_the_organisers_feed(client, world):
    client.force_login(world.bob)
    assert client.post("/mittkoping/calendar/organiser-feed/", {"action": "create"}).status_code == 403
    client.force_login(world.alice)
    assert client.post("/mittkoping/calendar/organiser-feed/", {"action": "create"}).status_code == 200
    assert Feed.objects.get(organizer=world.org).user is None


def test_the_wheel_makes_as_many_queries_for_many_events_as_for_few(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    today = timezone.localdate()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/mittkoping/calendar/").status_code == 200
        return len(queries)

    calendar.add_event(organizer=world.org, by=world.alice, title="En", starts_on=today, district=world.district)
    cycles.add_follow_up(round=world.rnd, date=world.rnd.deadline, by=None)
    count()  # the first request of a session does some work of its own
    few = count()
    for n in range(8):
        calendar.add_event(
            organizer=world.org, by=world.alice, title=f"Fler {n}", starts_on=today, district=world.district
        )
        cycles.add_follow_up(round=world.rnd, date=world.rnd.deadline + datetime.timedelta(days=n + 1), by=None)
    assert count() == few
