"""Competence development: an initiative made from a need, its goals and tracks, enrolment
within the target group, track choices within the limit and the places, the evaluation against
the goals under the anonymity rules, what follows, and one's own path (docs/development.md)."""

import datetime
import re

import pytest
from django.utils import timezone

from stegvis.development import domain
from stegvis.development.models import Enrolment, Initiative, LinkedAction, SpreadMeeting, TrackChoice
from stegvis.planning import domain as planning
from stegvis.surveys.models import CustomLink, CustomResponse
from tests import factories as f
from tests.mailserver import text_of

from .helpers import first_indicator, make_initiative


def test_the_need_of_an_indicator_shows_the_share_of_units_at_each_level_and_which(client, world):
    indicator = first_indicator(world)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
    client.force_login(world.alice)
    html = client.get(f"/mittkoping/development/needs/{indicator.pk}/").content.decode()
    assert "2 enheters publicerade värderingar" in html
    assert re.search(r"Steg 1</th><td class=\"num\">1</td><td class=\"num\">50 %", html)
    assert "Ekskolan" in html and "Björkskolan" in html
    assert f"/mittkoping/development/new/?indicator={indicator.pk}" in html
    # the needs list puts indicators by their share at the lowest levels
    assert indicator.code in client.get("/mittkoping/development/needs/").content.decode()


def test_a_principal_sees_the_need_only_of_the_units_they_read(client, world):
    indicator = first_indicator(world)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
    client.force_login(world.bob)
    html = client.get(f"/mittkoping/development/needs/{indicator.pk}/").content.decode()
    assert "Ekskolan" in html and "Björkskolan" not in html


def test_an_initiative_made_from_a_need_links_the_indicator(client, world):
    indicator = first_indicator(world)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
    client.force_login(world.alice)
    page = client.get(f"/mittkoping/development/new/?indicator={indicator.pk}")
    html = page.content.decode()
    assert "Behovet bakom" in html and re.search(rf'<option value="{indicator.pk}" selected>', html)
    page = client.post(
        "/mittkoping/development/new/",
        {
            "title": "Digitalt ledarskap",
            "purpose": "Stärka ledningen.",
            "owner": "",
            "indicators": [indicator.pk],
            "starts_on": "2026-09-01",
            "ends_on": "2027-05-31",
            "status": "open",
            "choose_at_most": "2",
            "budget": "120000",
        },
    )
    initiative = Initiative.objects.get()
    assert page["Location"] == f"/mittkoping/development/{initiative.pk}/"
    assert list(initiative.indicators.all()) == [indicator] and initiative.budget == 120000


def test_bad_input_is_answered_at_the_field_and_kept(client, world):
    client.force_login(world.alice)
    page = client.post(
        "/mittkoping/development/new/",
        {"title": "Kvar", "purpose": "Syfte", "owner": "", "starts_on": "2027-01-01", "ends_on": "2026-01-01",
         "status": "open", "budget": "-5"},
    )  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and Initiative.objects.count() == 0
    assert "Insatsen måste sluta samma dag eller senare" in html and 'value="Kvar"' in html


def test_a_principal_creates_initiatives_only_for_their_unit(client, world):
    client.force_login(world.bob)
    data = {
        "title": "Egen",
        "purpose": "Syfte",
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-01",
        "status": "planned",
    }
    page = client.post("/mittkoping/development/new/", {**data, "owner": f"u{world.other_unit.pk}"})
    assert page.status_code == 200 and Initiative.objects.count() == 0
    page = client.post("/mittkoping/development/new/", {**data, "owner": ""})  # not the organiser's either
    assert page.status_code == 200 and Initiative.objects.count() == 0
    client.post("/mittkoping/development/new/", {**data, "owner": f"u{world.unit.pk}"})
    initiative = Initiative.objects.get()
    assert initiative.owner_unit == world.unit
    client.force_login(world.eve)
    assert client.get(f"/mittkoping/development/{initiative.pk}/edit/").status_code == 403
    client.force_login(world.carol)  # a contributor creates none
    assert client.get("/mittkoping/development/new/").status_code == 403


def test_people_in_the_target_group_enrol_themselves_and_others_cannot(client, world):
    initiative = make_initiative(world, target_units=[world.unit], tracks=2)
    client.force_login(world.carol)
    page = client.post(f"/mittkoping/development/{initiative.pk}/enrol/")
    assert page["Location"] == f"/mittkoping/development/{initiative.pk}/my-tracks/"
    assert Enrolment.objects.filter(user=world.carol).exists()
    client.force_login(world.eve)
    assert "Anmäl dig" not in client.get(f"/mittkoping/development/{initiative.pk}/").content.decode()
    assert client.post(f"/mittkoping/development/{initiative.pk}/enrol/").status_code == 403
    # the owner enrols whom they want
    client.force_login(world.alice)
    client.post(f"/mittkoping/development/{initiative.pk}/enrol-other/", {"enrol-user": world.eve.pk})
    assert Enrolment.objects.filter(user=world.eve).exists()


def test_enrolment_waits_until_the_initiative_is_open(client, world):
    initiative = make_initiative(world, status="planned")
    client.force_login(world.carol)
    assert client.post(f"/mittkoping/development/{initiative.pk}/enrol/").status_code == 403


def test_roles_narrow_the_target_group(client, world):
    initiative = make_initiative(world, target_roles=["principal"])
    client.force_login(world.carol)
    assert client.post(f"/mittkoping/development/{initiative.pk}/enrol/").status_code == 403
    client.force_login(world.eve)
    assert client.post(f"/mittkoping/development/{initiative.pk}/enrol/").status_code == 302


def test_tracks_are_chosen_within_the_limit_and_a_full_track_is_refused_by_name(client, world):
    initiative = make_initiative(world, tracks=3, capacity=1, choose_at_most=2)
    one, two, three = initiative.tracks.order_by("title")
    for user in (world.carol, world.bob):
        domain.enrol(initiative=initiative, user=user, by=user)
    client.force_login(world.carol)
    url = f"/mittkoping/development/{initiative.pk}/my-tracks/"
    page = client.post(url, {"tracks": [one.pk, two.pk, three.pk]})
    assert "Välj högst 2 spår" in page.content.decode() and TrackChoice.objects.count() == 0
    assert client.post(url, {"tracks": [one.pk, two.pk]}).status_code == 302
    client.force_login(world.bob)
    page = client.post(url, {"tracks": [one.pk, three.pk]})
    assert "Spåret ”Spår 1” är fullt (1 platser)" in page.content.decode()
    assert list(TrackChoice.objects.filter(enrolment__user=world.bob)) == []
    assert client.post(url, {"tracks": [three.pk]}).status_code == 302
    # carol changes her mind: her place on one track is freed, the other kept
    client.force_login(world.carol)
    client.post(url, {"tracks": [two.pk]})
    assert sorted(TrackChoice.objects.values_list("enrolment__user__email", "track__title")) == [
        ("bob@example.se", "Spår 3"),
        ("carol@example.se", "Spår 2"),
    ]


def test_someone_not_enrolled_chooses_no_tracks(client, world):
    initiative = make_initiative(world, tracks=1)
    client.force_login(world.carol)
    assert client.get(f"/mittkoping/development/{initiative.pk}/my-tracks/").status_code == 403


def goal_initiative(world, participants):
    initiative = make_initiative(world, tracks=2)
    domain.add_goal(initiative=initiative, text="Rektorerna leder det digitala arbetet", check="Utvärderingen", by=None)
    domain.add_goal(initiative=initiative, text="Varje skola har en plan", check="Planerna", by=None)
    for n in range(participants):
        user = f.UserFactory(email=f"deltagare{n}@example.se")
        f.member(user, world.org, "contributor", unit=world.unit)
        domain.enrol(initiative=initiative, user=user, by=world.alice)
    return initiative


def evaluate(client, path, values, text=""):
    html = client.get(path).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    names = re.findall(r'name="(q\d+)" value="1"', html)
    data = {"key": key, **dict(zip(names, values, strict=False))}
    text_name = re.search(r'<textarea id="id_(q\d+)"', html).group(1)
    data[text_name] = text
    return client.post(path, data)


def test_the_evaluation_asks_each_goal_of_every_participant_and_shows_the_results_by_goal(client, world, smtp_server):
    initiative = goal_initiative(world, participants=10)
    client.force_login(world.alice)
    page = client.post(
        f"/mittkoping/development/{initiative.pk}/evaluation/open/", {"evaluation-closes_on": "2099-01-01"}
    )
    assert page.status_code == 302
    assert len(smtp_server.messages) == 10 and CustomLink.objects.count() == 10
    assert Enrolment.objects.filter(evaluation_sent_on=timezone.localdate()).count() == 10
    paths = [re.search(r"(/t/[A-Za-z0-9_-]{59}/survey/own/)", text_of(m)).group(1) for m in smtp_server.messages]
    client.logout()
    html = client.get(paths[0]).content.decode()
    assert "Hur väl nåddes målet: Rektorerna leder det digitala arbetet" in html
    for n, path in enumerate(paths[:4]):
        assert evaluate(client, path, ["4", "2"], f"Tanke {n}").status_code == 302
    client.force_login(world.alice)
    html = client.get(f"/mittkoping/development/{initiative.pk}/results/").content.decode()
    assert "4 svar från 10 personliga länkar" in html
    assert html.count("Visas inte: 4 svar, färre än 5") == 2 and "Tanke" not in html
    client.logout()
    for n, path in enumerate(paths[4:]):
        evaluate(client, path, ["3", "1"], f"Tanke {n + 4}")
    client.force_login(world.alice)
    html = client.get(f"/mittkoping/development/{initiative.pk}/results/").content.decode()
    assert "100 % svarade i stor utsträckning eller helt" in html  # goal 1: four 4s and six 3s
    assert "0 % svarade i stor utsträckning eller helt" in html
    assert "n=10" in html and "”Tanke 9”" in html.replace("“", "”")
    # the board's report
    pdf = client.get(f"/mittkoping/development/{initiative.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # nothing ties a response to a participant; the path page says a link was sent, no more
    assert CustomResponse.objects.count() == 10
    participant = Enrolment.objects.first().user
    client.force_login(participant)
    html = client.get("/mittkoping/development/mine/").content.decode()
    assert "En utvärderingslänk mejlades till dig" in html


def test_results_are_for_the_owners_and_organiser_readers_only(client, world, smtp_server):
    initiative = goal_initiative(world, participants=1)
    domain.open_evaluation(initiative=initiative, closes_at=timezone.now() + datetime.timedelta(days=3), by=world.alice)
    for user, status in ((world.vera, 200), (world.bob, 403), (world.carol, 403)):
        client.force_login(user)
        assert client.get(f"/mittkoping/development/{initiative.pk}/results/").status_code == status


def test_the_evaluation_needs_goals_and_participants(world):
    initiative = make_initiative(world)
    soon = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(domain.DevelopmentError, match="mål"):
        domain.open_evaluation(initiative=initiative, closes_at=soon, by=world.alice)
    domain.add_goal(initiative=initiative, text="Mål", check="Enkät", by=None)
    with pytest.raises(domain.DevelopmentError, match="deltagare"):
        domain.open_evaluation(initiative=initiative, closes_at=soon, by=world.alice)


def test_what_follows_is_recorded_by_participants_and_later_rounds_compare_the_units(client, world):
    indicator = first_indicator(world)
    _published, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    action = planning.add_action(plan=plan, by=world.bob, title="Kollegialt lärande om AI")
    initiative = make_initiative(world, indicators=[indicator], starts_on=datetime.date(2026, 1, 1))
    domain.enrol(initiative=initiative, user=world.bob, by=world.bob)
    client.force_login(world.bob)
    client.post(f"/mittkoping/development/{initiative.pk}/actions/", {"action-action": action.pk})
    client.post(
        f"/mittkoping/development/{initiative.pk}/spread/", {"meeting-date": "2027-02-01", "meeting-note": "APT"}
    )
    assert LinkedAction.objects.get().action == action and SpreadMeeting.objects.get().note == "APT"
    html = client.get(f"/mittkoping/development/{initiative.pk}/").content.decode()
    assert "Ekskolan: Kollegialt lärande om AI" in html
    # one participating unit: fewer than five, hidden; the comparison names its rows
    assert "färre än fem" in html
    # someone who neither owns nor takes part records nothing
    client.force_login(world.eve)
    assert (
        client.post(
            f"/mittkoping/development/{initiative.pk}/spread/", {"meeting-date": "2027-02-01", "meeting-note": "x"}
        ).status_code
        == 403
    )


def test_my_path_shows_my_initiatives_and_tracks(client, world):
    initiative = make_initiative(world, tracks=2)
    enrolment, _ = domain.enrol(initiative=initiative, user=world.carol, by=world.carol)
    domain.choose_tracks(enrolment=enrolment, tracks=[initiative.tracks.first()], by=world.carol)
    other = make_initiative(world, title="Programmering i matematik", target_units=[world.unit])
    client.force_login(world.carol)
    html = client.get("/mittkoping/development/mine/").content.decode()
    assert "Ledarskap i digital skolutveckling" in html and "Spår 1" in html and "Spår 2" not in html
    assert "Programmering i matematik" in html  # open for enrolment, and carol is in its target group
    client.force_login(world.eve)
    html = client.get("/mittkoping/development/mine/").content.decode()
    assert "Ledarskap" not in html.split("Öppna för anmälan")[0] and other.title not in html


def test_the_list_filters_and_exports(client, world):
    make_initiative(world, title="Ledarskap")
    make_initiative(world, title="Programmering", status="planned")
    client.force_login(world.vera)
    html = client.get("/mittkoping/development/?status=planned").content.decode()
    assert "Programmering" in html and ">Ledarskap<" not in html
    csv = client.get("/mittkoping/development/?format=csv").content.decode()
    assert "Ledarskap" in csv and "Programmering" in csv


def test_another_organisers_initiative_is_404(client, world):
    initiative = make_initiative(world)
    client.force_login(world.charlie)
    assert client.get(f"/annanstad/development/{initiative.pk}/").status_code == 404
