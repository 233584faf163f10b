"""A round's dates on its form: the order of the dates, the survey window, follow-up dates."""

import datetime

from django.conf import settings

from stegvis.cycles import domain as cycles
from stegvis.cycles.models import FollowUpDate, Round

D = datetime.date


def post_round(client, framework, **dates):
    data = {"name": "Läsår 2027/28", "framework": framework.pk, "opens_on": "2027-08-15"}
    data.update(dates)
    return client.post("/mittkoping/rounds/new/", data)


def test_admin_opens_a_round_with_all_its_dates(client, world, framework):
    client.force_login(world.alice)
    response = post_round(
        client,
        framework,
        deadline="2027-11-30",
        closes_on="2028-06-15",
        survey_opens_on="2027-09-01",
        survey_closes_on="2027-09-30",
    )
    assert response.status_code == 302
    rnd = Round.objects.get(name="Läsår 2027/28")
    assert (rnd.closes_on, rnd.survey_opens_on, rnd.survey_closes_on) == (
        D(2028, 6, 15),
        D(2027, 9, 1),
        D(2027, 9, 30),
    )


def test_the_dates_must_come_in_order_and_the_survey_window_inside_the_round(client, world, framework):
    client.force_login(world.alice)
    cases = [
        ({"deadline": "2027-11-30", "closes_on": "2027-10-01"}, "kan inte stänga före sista dagen för publicering"),
        ({"closes_on": "2027-08-01"}, "kan inte stänga innan den öppnar"),
        ({"survey_opens_on": "2027-09-01"}, "både första och sista dagen"),
        ({"survey_opens_on": "2027-09-10", "survey_closes_on": "2027-09-01"}, "Enkätperioden kan inte stänga"),
        ({"survey_opens_on": "2027-08-01", "survey_closes_on": "2027-09-01"}, "öppnar för tidigt"),
        (
            {"closes_on": "2028-06-15", "survey_opens_on": "2028-06-01", "survey_closes_on": "2028-06-20"},
            "stänger för sent",
        ),
    ]
    for dates, message in cases:
        response = post_round(client, framework, **dates)
        assert response.status_code == 200, dates
        page = response.content.decode()
        assert message in page, (dates, message)
        assert "Läsår 2027/28" in page  # what was typed stays
    assert not Round.objects.filter(name="Läsår 2027/28").exists()


def test_english_users_read_the_messages_in_english(client, world, framework):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.alice)
    response = post_round(client, framework, deadline="2027-11-30", closes_on="2027-10-01")
    assert "The round cannot close before the deadline for publishing." in response.content.decode()


def test_admin_adds_moves_and_removes_a_follow_up_date(client, world):
    client.force_login(world.alice)
    base = f"/mittkoping/rounds/{world.rnd.pk}"
    response = client.post(f"{base}/follow-ups/new/", {"date": "2027-01-20", "title": "Halvårsuppföljning"})
    assert response.status_code == 302 and response["Location"] == f"{base}/edit/"
    fu = FollowUpDate.objects.get(round=world.rnd)
    assert (fu.date, fu.title, fu.sequence) == (D(2027, 1, 20), "Halvårsuppföljning", 0)
    page = client.get(f"{base}/edit/").content.decode()
    assert "2027-01-20" in page and "Halvårsuppföljning" in page

    client.post(f"{base}/follow-ups/{fu.pk}/", {"date": "2027-01-27", "title": "Halvårsuppföljning"})
    fu.refresh_from_db()
    assert (fu.date, fu.sequence) == (D(2027, 1, 27), 1)  # moved: calendar clients see a new sequence
    client.post(f"{base}/follow-ups/{fu.pk}/", {"date": "2027-01-27", "title": "Halvårsuppföljning"})
    fu.refresh_from_db()
    assert fu.sequence == 1  # saved unchanged: the same sequence

    client.post(f"{base}/follow-ups/{fu.pk}/delete/")
    assert not FollowUpDate.objects.filter(round=world.rnd).exists()


def test_a_follow_up_date_lies_inside_the_round_once_a_day(client, world):
    world.rnd.closes_on = D(2027, 6, 15)
    world.rnd.save()
    cycles.add_follow_up(round=world.rnd, date=D(2027, 1, 20), by=world.alice)
    client.force_login(world.alice)
    base = f"/mittkoping/rounds/{world.rnd.pk}/follow-ups/new/"
    for date, message in [
        ("2026-08-01", "omgången öppnar 2026-08-15"),
        ("2027-07-01", "omgången stänger 2027-06-15"),
        ("2027-01-20", "redan en uppföljning den dagen"),
        ("", "Detta fält måste fyllas i"),
    ]:
        response = client.post(base, {"date": date, "title": "X"})
        assert response.status_code == 200
        assert message in response.content.decode(), date
    assert FollowUpDate.objects.filter(round=world.rnd).count() == 1


def test_the_round_cannot_shrink_past_its_follow_up_dates(client, world, framework):
    cycles.add_follow_up(round=world.rnd, date=D(2027, 3, 1), by=world.alice)
    client.force_login(world.alice)
    response = client.post(
        f"/mittkoping/rounds/{world.rnd.pk}/edit/",
        {
            "name": world.rnd.name,
            "framework": framework.pk,
            "opens_on": "2026-08-15",
            "deadline": "2026-12-15",
            "closes_on": "2027-02-01",
        },
    )
    assert response.status_code == 200
    assert "2027-03-01" in response.content.decode()
    world.rnd.refresh_from_db()
    assert world.rnd.closes_on is None


def test_the_follow_up_pages_belong_to_the_round_of_the_organiser(client, world, framework):
    other_round = Round.objects.create(organizer=world.org, framework=framework, name="Annan", opens_on=D(2026, 1, 1))
    fu = cycles.add_follow_up(round=other_round, date=D(2026, 3, 1), by=world.alice)
    client.force_login(world.alice)
    # a follow-up of another round under this round's address: 404
    assert client.get(f"/mittkoping/rounds/{world.rnd.pk}/follow-ups/{fu.pk}/").status_code == 404
