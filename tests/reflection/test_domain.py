"""Beginning, answering again and deleting a self-reflection; what a response stores."""

import datetime

import pytest
from django.utils import timezone

from stegvis.organisations.models import AccessToken
from stegvis.reflection import domain
from stegvis.reflection.models import Reflection, Response

from .helpers import make_questionnaire

DAY = datetime.date(2026, 9, 15)


@pytest.fixture
def q(world):
    return make_questionnaire(world.rnd.framework)


def levels(q, level=2):
    return {key: level for key in q.area_keys}


def test_a_response_stores_no_account_no_address_and_only_the_day(world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, unit=world.unit, by=world.alice)
    reflection, token = domain.start_reflection(start_link=link, unit=None, levels=levels(q), today=DAY)
    fields = {f.name for f in Response._meta.get_fields()} | {f.name for f in Reflection._meta.get_fields()}
    assert not {"user", "account", "ip", "ip_address", "user_agent", "created_at", "updated_at"} & fields
    response = reflection.responses.get()
    assert response.answered_on == DAY and response.unit == world.unit  # the link's unit
    private = AccessToken.objects.get(purpose=domain.PRIVATE_PURPOSE)
    assert private.target == reflection and private.created_by is None
    created = timezone.localtime(private.created_at)
    assert (created.date(), created.hour, created.minute, created.second) == (DAY, 0, 0, 0)
    assert token not in repr(list(AccessToken.objects.values()))


def test_answering_again_in_the_same_school_year_replaces_and_next_year_adds(world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    reflection, _ = domain.start_reflection(start_link=link, unit=world.unit, levels=levels(q, 1), today=DAY)
    domain.answer(reflection=reflection, unit=world.other_unit, levels=levels(q, 2), today=datetime.date(2027, 6, 30))
    assert list(reflection.responses.values_list("school_year", "unit")) == [(2026, world.other_unit.pk)]
    domain.answer(reflection=reflection, unit=world.unit, levels=levels(q, 3), today=datetime.date(2027, 9, 1))
    assert list(reflection.responses.order_by("school_year").values_list("school_year", flat=True)) == [2026, 2027]


def test_bad_answers_and_foreign_units_are_refused(world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    for bad in ({}, {**levels(q), "samarbete": 5}, {**levels(q), "samarbete": True}, {**levels(q), "extra": 1}):
        with pytest.raises(domain.ReflectionError):
            domain.start_reflection(start_link=link, unit=None, levels=bad)
    from tests import factories as f

    foreign = f.UnitFactory(organizer=world.other_org)
    with pytest.raises(domain.ReflectionError):
        domain.start_reflection(start_link=link, unit=foreign, levels=levels(q))
    assert not Reflection.objects.exists()


def test_a_closed_link_begins_nothing_and_forgets_its_address(world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    assert link.link_token
    domain.close_start_link(link=link, by=world.alice)
    link.refresh_from_db()
    assert link.link_token == "" and link.access_token.revoked_at is not None
    with pytest.raises(domain.ReflectionError):
        domain.start_reflection(start_link=link, unit=None, levels=levels(q))


def test_deleting_removes_every_answer_and_closes_the_private_link(world, q):
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    reflection, _ = domain.start_reflection(start_link=link, unit=None, levels=levels(q), today=DAY)
    private = AccessToken.objects.get(purpose=domain.PRIVATE_PURPOSE)
    domain.delete_reflection(reflection=reflection, access_token=private)
    assert not Response.objects.exists()
    private.refresh_from_db()
    assert private.revoked_at is not None
