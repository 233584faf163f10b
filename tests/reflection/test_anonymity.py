"""Aggregates rest on at least k people, and a hidden group cannot be worked out from a total."""

import datetime

import pytest

from stegvis.reflection import aggregates, domain
from stegvis.reflection.aggregates import suppress
from tests import factories as f

from .helpers import make_questionnaire

DAY = datetime.date(2026, 9, 15)


def test_groups_under_k_are_hidden_and_empty_ones_have_nothing_to_hide():
    assert suppress({"a": 4, "b": 9, "c": 0, "d": 12}, k=5, totals=[]) == {"a"}


def test_a_single_hidden_group_under_a_total_takes_the_smallest_shown_one_with_it():
    # total 25 - 9 - 12 would give a's 4 people: so b (the smallest shown) is hidden too
    assert suppress({"a": 4, "b": 9, "d": 12}, k=5, totals=[{"a", "b", "d"}]) == {"a", "b"}


def test_two_small_hidden_groups_that_together_reach_k_need_nothing_more():
    assert suppress({"a": 2, "b": 3, "c": 9}, k=5, totals=[{"a", "b", "c"}]) == {"a", "b"}


def test_a_total_under_k_is_not_shown_so_protects_nothing():
    assert suppress({"a": 2, "b": 1}, k=5, totals=[{"a", "b"}]) == {"a", "b"}


def test_hiding_under_one_total_is_carried_to_the_others():
    # district x: a(3) + b(6) -> b hidden; the organiser total: a+b = 9 hidden, enough
    sizes = {"a": 3, "b": 6, "c": 7, "d": 8}
    assert suppress(sizes, k=5, totals=[set(sizes), {"a", "b"}, {"c", "d"}]) == {"a", "b"}
    # district y: c(3) + d(8) and district x: a(6) + b(7): each district needs a second group
    sizes = {"a": 6, "b": 7, "c": 3, "d": 8}
    assert suppress(sizes, k=5, totals=[set(sizes), {"a", "b"}, {"c", "d"}]) == {"c", "d"}


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
