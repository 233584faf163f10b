"""Networks and who may do what in them (docs/networks.md)."""

import datetime

from stegvis.networks.models import Attendance, Meeting, Network, NetworkMember


def test_an_organiser_admin_creates_a_network_and_appoints_a_coordinator(client, world):
    client.force_login(world.alice)
    response = client.post("/mittkoping/networks/new/", {"name": "IKT-nätverket grundskola", "description": ""})
    network = Network.objects.get(name="IKT-nätverket grundskola")
    assert response.status_code == 302 and response["Location"].endswith(f"/networks/{network.pk}/")
    client.post(f"/mittkoping/networks/{network.pk}/members/", {"user": world.bob.pk, "role": "coordinator"})
    assert NetworkMember.objects.get(network=network, user=world.bob).role == "coordinator"
    page = client.get(f"/mittkoping/networks/{network.pk}/").content.decode()
    assert "Bob" in page and "Samordnare" in page


def test_a_second_network_with_the_same_name_is_refused_with_the_input_kept(client, world, net):
    client.force_login(world.alice)
    page = client.post("/mittkoping/networks/new/", {"name": "ikt-nätverket", "description": "Något annat"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "redan ett nätverk med det namnet" in text and "Något annat" in text
    assert Network.objects.count() == 1


def test_a_coordinator_adds_members_but_cannot_appoint_coordinators(client, world, net):
    client.force_login(world.bob)
    client.post(f"/mittkoping/networks/{net.pk}/members/", {"user": world.eve.pk, "role": "coordinator"})
    assert NetworkMember.objects.get(network=net, user=world.eve).role == "member"  # the role field is not theirs
    carol = NetworkMember.objects.get(network=net, user=world.carol)
    assert client.post(f"/mittkoping/networks/{net.pk}/members/{carol.pk}/remove/").status_code == 302
    assert not NetworkMember.objects.filter(network=net, user=world.carol).exists()
    bob = NetworkMember.objects.get(network=net, user=world.bob)
    assert client.post(f"/mittkoping/networks/{net.pk}/members/{bob.pk}/remove/").status_code == 403


def test_only_users_of_the_organiser_can_be_added(client, world, net):
    client.force_login(world.alice)
    client.post(f"/mittkoping/networks/{net.pk}/members/", {"user": world.charlie.pk, "role": "member"})
    assert not NetworkMember.objects.filter(user=world.charlie).exists()


def test_people_outside_the_network_get_404_readers_and_members_read(client, world, net, meeting):
    urls = [f"/mittkoping/networks/{net.pk}/", f"/mittkoping/networks/meetings/{meeting.pk}/"]
    for user, status in [(world.eve, 404), (world.dave, 404), (world.vera, 200), (world.carol, 200)]:
        client.force_login(user)
        assert [client.get(u).status_code for u in urls] == [status, status], user
    client.force_login(world.eve)
    assert client.get("/mittkoping/networks/").status_code == 403  # in no network
    client.force_login(world.carol)
    assert "IKT-nätverket" in client.get("/mittkoping/networks/").content.decode()
    client.force_login(world.charlie)
    assert client.get(urls[0]).status_code == 404


def test_the_menu_shows_networks_to_those_in_one(client, world, net):
    client.force_login(world.carol)
    assert "/mittkoping/networks/" in client.get("/mittkoping/").content.decode()
    client.force_login(world.eve)
    assert "/mittkoping/networks/" not in client.get("/mittkoping/").content.decode()


def test_a_new_meeting_copies_the_default_agenda_and_needs_a_place_or_a_link(client, world, net):
    client.force_login(world.bob)
    url = f"/mittkoping/networks/{net.pk}/meetings/new/"
    form = {"theme": "Digitala prov", "date": "2027-02-10", "starts_at": "14:00", "ends_at": "13:00"}
    page = client.post(url, form).content.decode()
    assert "Ange en plats eller en videolänk" in page and "sluta efter att den börjar" in page
    assert "Digitala prov" in page  # what was typed stays
    response = client.post(url, {**form, "ends_at": "16:00", "video_link": "https://meet.example.se/ikt"})
    meeting = Meeting.objects.get(theme="Digitala prov")
    assert response["Location"].endswith(f"/networks/meetings/{meeting.pk}/")
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Incheckning", "Tema", "Till nästa gång"]
    client.post(f"/mittkoping/networks/meetings/{meeting.pk}/agenda/", {"agenda": "Tema\n\nIncheckning\nÖvrigt"})
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Tema", "Incheckning", "Övrigt"]
    client.force_login(world.carol)  # a member does not plan meetings
    assert client.post(url, {**form, "ends_at": "16:00", "place": "X"}).status_code == 403


def test_a_meetings_theme_links_to_an_area_of_the_organisers_framework(client, world, net, framework):
    from tests import factories as f

    other = f.make_framework(key="annan")
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/networks/{net.pk}/meetings/new/").content.decode()
    area = framework.areas.first()
    assert f'value="{area.pk}"' in page and f'value="{other.areas.first().pk}"' not in page
    client.post(
        f"/mittkoping/networks/{net.pk}/meetings/new/",
        {"theme": "T", "area": other.areas.first().pk, "date": "2027-02-10", "starts_at": "14:00", "place": "X"},
    )
    assert not Meeting.objects.exists()  # an area of another framework is refused


def test_attendance_is_recorded_by_the_coordinator_from_the_members(client, world, net, meeting):
    client.force_login(world.bob)
    url = f"/mittkoping/networks/meetings/{meeting.pk}/attendance/"
    page = client.get(url).content.decode()
    assert "Carol" in page and "Eve" not in page
    client.post(url, {f"u{world.bob.pk}": "present", f"u{world.carol.pk}": "apology", f"u{world.eve.pk}": "present"})
    assert dict(Attendance.objects.values_list("user__email", "status")) == {
        "bob@example.se": "present",
        "carol@example.se": "apology",
    }
    page = client.get(f"/mittkoping/networks/meetings/{meeting.pk}/").content.decode()
    assert "1 närvarande" in page and "1 har anmält förhinder" in page
    client.force_login(world.carol)
    assert client.post(url, {f"u{world.carol.pk}": "present"}).status_code == 403


def test_meetings_filter_by_network_theme_and_time(client, world, net, meeting, framework):
    from stegvis.networks import domain

    area = framework.areas.first()
    past = domain.create_meeting(
        network=net,
        by=world.bob,
        date=datetime.date.today() - datetime.timedelta(days=30),
        starts_at=datetime.time(9, 0),
        theme="Förra träffen",
        place="Skolan",
        area=area,
    )
    other = domain.create_network(organizer=world.org, by=world.alice, name="Förskolenätverket")
    domain.create_meeting(
        network=other, by=world.alice, date=datetime.date.today(), starts_at=datetime.time(9, 0), theme="Lek", place="F"
    )
    client.force_login(world.carol)  # in one network only
    page = client.get("/mittkoping/networks/meetings/").content.decode()
    assert "AI i undervisningen" in page and "Förra träffen" in page and "Lek" not in page
    page = client.get("/mittkoping/networks/meetings/", {"when": "upcoming"}).content.decode()
    assert "AI i undervisningen" in page and "Förra träffen" not in page and "1 träff" in page
    page = client.get("/mittkoping/networks/meetings/", {"area": area.pk}).content.decode()
    assert "Förra träffen" in page and "AI i undervisningen" not in page
    client.force_login(world.alice)
    page = client.get("/mittkoping/networks/meetings/", {"network": other.pk}).content.decode()
    assert "Lek" in page and "Förra träffen" not in page
    assert past.pk


def test_the_network_list_reads_as_many_queries_for_many_networks_as_for_one(client, world, net, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stegvis.networks import domain

    client.force_login(world.alice)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/mittkoping/networks/").status_code == 200
        return len(ctx.captured_queries)

    queries()  # the session and caches settle
    one = queries()
    for n in range(3):
        other = domain.create_network(organizer=world.org, by=world.alice, name=f"Nätverk {n}")
        domain.add_member(network=other, user=world.eve, by=world.alice)
        domain.create_meeting(
            network=other, by=world.alice, date=meeting.date, starts_at=datetime.time(9), theme="T", place="X"
        )
    assert queries() == one
