"""Aggregates rest on at least k people, and a hidden group cannot be worked out from a total."""

import datetime

import pytest

from stegvis.reflection import aggregates, domain
from tests import factories as f

from .helpers import make_questionnaire

DAY = datetime.date(2026, 9, 15)


def test_the_organiser_may_raise_k_never_lower_it(world):
    assert aggregates.min_group_size(world.org) == 5
    domain.set_min_group(organizer=world.org, k=8, by=world.alice)
    assert aggregates.min_group_size(world.org) == 8
    for bad in (4, 0, 101, "7", True):
        with pytest.raises(domain.ReflectionError):
            domain.set_min_group(organizer=world.org, k=bad, by=world.alice)
    assert aggregates.min_group_size(world.org) == 8


def answer_many(link, unit, n, level=2):
    for _ in range(n):
        domain.start_reflection(
            start_link=link, unit=unit, levels={k: level for k in link.questionnaire.area_keys}, today=DAY
        )


@pytest.fixture
def setting(world):
    q = make_questionnaire(world.rnd.framework)
    link = domain.create_start_link(organizer=world.org, questionnaire=q, by=world.alice)
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    return q, link, third


def test_the_organiser_picture_hides_small_units_and_their_complement(world, setting):
    q, link, third = setting
    answer_many(link, world.unit, 3)  # Ekskolan, district Norra: too few
    answer_many(link, third, 6, level=4)  # Almskolan, Norra: would give Ekskolan away
    answer_many(link, world.other_unit, 8)  # Björkskolan, Södra
    pic = aggregates.picture(organizer=world.org, questionnaire=q, year=2026)
    assert aggregates.shown(pic, world.unit.pk) == (None, "few")
    assert aggregates.shown(pic, third.pk) == (None, "complement")
    group, reason = aggregates.shown(pic, world.other_unit.pk)
    assert reason == "" and group.people == 8 and group.mean("samarbete") == 2
    assert pic["organiser"].people == 17


def test_a_person_counts_once_a_year(world, setting):
    q, link, _third = setting
    reflection, _token = domain.start_reflection(
        start_link=link, unit=world.unit, levels={k: 1 for k in q.area_keys}, today=DAY
    )
    domain.answer(reflection=reflection, unit=world.unit, levels={k: 3 for k in q.area_keys}, today=DAY)
    groups = aggregates.groups_by_unit(organizer=world.org, questionnaire=q, year=2026)
    assert groups[world.unit.pk].people == 1
    assert groups[world.unit.pk].mean("resurser") == 3
    domain.answer(
        reflection=reflection, unit=world.unit, levels={k: 4 for k in q.area_keys}, today=DAY.replace(year=2027)
    )
    assert aggregates.years(organizer=world.org, questionnaire=q) == [2027, 2026]


def test_a_raised_k_hides_what_five_would_show(world, setting):
    q, link, _third = setting
    answer_many(link, world.unit, 6)
    answer_many(link, world.other_unit, 9)
    assert aggregates.shown(aggregates.picture(organizer=world.org, questionnaire=q, year=2026), world.unit.pk)[1] == ""
    domain.set_min_group(organizer=world.org, k=7, by=world.alice)
    pic = aggregates.picture(organizer=world.org, questionnaire=q, year=2026)
    assert aggregates.shown(pic, world.unit.pk) == (None, "few")
    assert aggregates.shown(pic, world.other_unit.pk) == (None, "complement")
