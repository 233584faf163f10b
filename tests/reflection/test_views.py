"""A staff member's way through the door (start link -> questionnaire -> private profile ->
next year's comparison), and what principals and the organiser see."""

import datetime
import re

import pytest
from django.urls import reverse

from stegvis.organisations.models import AccessToken
from stegvis.reflection import domain
from stegvis.reflection.models import Reflection, Response, StartLink

from .helpers import make_questionnaire


@pytest.fixture
def q(world):
    return make_questionnaire(world.rnd.framework)


def start_url(link):
    return reverse("reflection_start", kwargs={"access_token": link.link_token})


def answers(q, level=2, **extra):
    return {f"area-{key}": str(level) for key in q.area_keys} | extra


def test_a_staff_member_answers_without_an_account_and_sees_the_profile_at_once(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    page = client.get(start_url(link))
    assert page.status_code == 200
    html = page.content.decode()
    assert "samarbete nivå 2 text" in html and "Ekskolan" in html  # level texts, the unit to choose
    response = client.post(start_url(link), answers(q, 2, unit=str(world.unit.pk)))
    assert response.status_code == 303
    profile = response["Location"]
    assert re.fullmatch(r"/t/[A-Za-z0-9_-]{59}/reflection/\?new=1", profile)
    page = client.get(profile)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Pröva samarbete 2" in html  # what to try next, for the level chosen
    assert "http://testserver" + profile.split("?")[0] in html  # the private link to keep
    assert page["Referrer-Policy"] == "no-referrer"
    assert not AccessToken.objects.exclude(last_used_at=None).exists()  # no time of use kept
    response = Response.objects.get()
    assert response.unit == world.unit and response.levels == {k: 2 for k in q.area_keys}


def test_a_logged_in_member_answers_as_nobody(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, unit=world.unit, by=world.alice)
    client.force_login(world.bob)
    client.post(start_url(link), answers(q, 3))
    assert AccessToken.objects.get(purpose="reflection").created_by is None
    assert Response.objects.get().unit == world.unit


def test_a_missing_answer_keeps_what_was_chosen_and_says_where(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    data = answers(q, 3)
    del data["area-resurser"]
    page = client.post(start_url(link), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="area-samarbete-3" checked' in html
    assert 'aria-describedby="area-resurser-error"' in html
    assert not Reflection.objects.exists()


def test_next_year_the_private_link_shows_the_new_result_beside_the_old(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    reflection, token = domain.start_reflection(
        start_link=link, unit=world.unit, levels={k: 1 for k in q.area_keys}, today=datetime.date(2025, 10, 1)
    )
    profile = reverse("reflection_profile", kwargs={"access_token": token})
    again = reverse("reflection_again", kwargs={"access_token": token})
    page = client.get(again)
    assert page.status_code == 200
    response = client.post(again, answers(q, 3, unit=str(world.unit.pk)))
    assert response.status_code == 303 and response["Location"] == profile
    html = client.get(profile).content.decode()
    assert "2025/26" in html and "2026/27" in html
    assert "up 2 levels" in html or "upp 2 nivåer" in html
    assert "Pröva samarbete 3" in html
    assert reflection.responses.count() == 2


def test_the_start_link_does_not_open_a_profile_nor_the_private_link_a_start(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    _reflection, token = domain.start_reflection(start_link=link, unit=None, levels={k: 2 for k in q.area_keys})
    assert client.get(reverse("reflection_profile", kwargs={"access_token": link.link_token})).status_code == 404
    assert client.get(reverse("reflection_start", kwargs={"access_token": token})).status_code == 404


def test_a_closed_start_link_is_404(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    url = start_url(link)
    domain.close_start_link(link=link, by=world.alice)
    assert client.get(url).status_code == 404


def test_deleting_through_the_private_link(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    _reflection, token = domain.start_reflection(start_link=link, unit=None, levels={k: 2 for k in q.area_keys})
    url = reverse("reflection_delete", kwargs={"access_token": token})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert not Reflection.objects.exists()
    assert client.get(reverse("reflection_profile", kwargs={"access_token": token})).status_code == 404


def answer_many(link, unit, n, level=2):
    for _ in range(n):
        domain.start_reflection(start_link=link, unit=unit, levels={k: level for k in link.questionnaire.area_keys})


def test_the_organiser_sees_units_of_five_or_more_and_never_a_small_one(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    answer_many(link, world.unit, 5, level=3)
    answer_many(link, world.other_unit, 4, level=1)
    client.force_login(world.alice)
    html = client.get(reverse("reflection", args=["mittkoping"])).content.decode()
    # Ekskolan shown (5 at level 3); Björkskolan (4) hidden; the total would give it away, so Ekskolan
    # is hidden too and only the total of all 9 is shown.
    assert "fewer than 5 answers" in html or "färre än 5 svar" in html
    assert ">3,0<" not in html and ">1,0<" not in html
    assert ">2,1<" in html  # (5*3 + 4*1) / 9
    answer_many(link, world.other_unit, 1, level=1)
    html = client.get(reverse("reflection", args=["mittkoping"])).content.decode()
    assert ">3,0<" in html and ">1,0<" in html


def test_a_principal_sees_the_unit_figure_once_five_have_answered(client, world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, unit=world.unit, by=world.alice)
    answer_many(link, world.unit, 4, level=2)
    everyone = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    answer_many(everyone, world.other_unit, 9, level=2)
    client.force_login(world.bob)
    url = reverse("reflection_unit", args=["mittkoping", world.unit.pk])
    html = client.get(url).content.decode()
    assert "fewer than 5" in html or "färre än 5" in html
    assert ">2,0<" not in html
    answer_many(link, world.unit, 1, level=4)
    html = client.get(url).content.decode()
    assert ">2,4<" in html  # (4*2 + 4) / 5
    # the principal's page offers the unit's link and QR code
    page = client.get(reverse("reflection_link", args=["mittkoping", link.pk]))
    assert page.status_code == 200 and b"<svg" in page.content and link.link_token.encode() in page.content


def test_an_admin_makes_and_closes_links(client, world, q):
    client.force_login(world.alice)
    response = client.post(reverse("reflection_link_new", args=["mittkoping"]), {"unit": str(world.unit.pk)})
    link = StartLink.objects.get()
    assert response["Location"] == reverse("reflection_link", args=["mittkoping", link.pk])
    assert link.unit == world.unit
    client.post(reverse("reflection_link_close", args=["mittkoping", link.pk]))
    link.refresh_from_db()
    assert link.closed_on is not None


def test_a_unit_of_another_organiser_cannot_get_a_link(client, world, q):
    from tests import factories as f

    foreign = f.UnitFactory(organizer=world.other_org)
    client.force_login(world.alice)
    client.post(reverse("reflection_link_new", args=["mittkoping"]), {"unit": str(foreign.pk)})
    assert not StartLink.objects.exists()


def test_an_admin_raises_the_smallest_group_and_a_bad_value_changes_nothing(client, world, q):
    from stegvis.reflection import aggregates

    client.force_login(world.alice)
    client.post(reverse("reflection_settings", args=["mittkoping"]), {"k": "3"})
    assert aggregates.min_group_size(world.org) == 5
    client.post(reverse("reflection_settings", args=["mittkoping"]), {"k": "9"})
    assert aggregates.min_group_size(world.org) == 9


def test_forms_behind_the_door_work_without_a_cookie_and_with_origin_null(world, q):
    """The door sends no referrer, so browsers post with ``Origin: null`` (and some classroom
    computers keep no cookies): the token in the address is what lets the form in."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    link = domain.create_start_link(organizer=world.org, questionnaire=q, unit=world.unit, by=world.alice)
    response = strict.post(start_url(link), answers(q, 2), HTTP_ORIGIN="null")
    assert response.status_code == 303
    assert not strict.cookies
    token = response["Location"].split("/")[2]
    again = reverse("reflection_again", kwargs={"access_token": token})
    assert strict.post(again, answers(q, 3, unit=str(world.unit.pk)), HTTP_ORIGIN="null").status_code == 303
    delete = reverse("reflection_delete", kwargs={"access_token": token})
    assert strict.post(delete, HTTP_ORIGIN="null").status_code == 200
    assert not Reflection.objects.exists()
