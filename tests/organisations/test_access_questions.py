"""The questions ``Access`` answers, for each kind of member of tests.factories.World."""

import pytest

from stegvis.organisations.access import Access, NoAccess, TokenAccess
from stegvis.organisations.models import District, Membership, Role, Unit
from tests import factories as f

# user -> (can_manage, can_read_all_units, can_read_organiser, can_read_rounds, can_export)
ORGANISER_WIDE = {
    "alice": (True, True, True, True, True),  # admin
    "vera": (False, True, True, True, True),  # viewer
    "dave": (False, False, True, False, True),  # district lead of Norra (Ekskolan's district)
    "bob": (False, False, False, False, False),  # principal of Ekskolan
    "carol": (False, False, False, False, False),  # contributor of Ekskolan
    "eve": (False, False, False, False, False),  # principal of Björkskolan
}
# user -> for (Ekskolan, Björkskolan): (can_read_unit, can_assess, can_plan)
PER_UNIT = {
    "alice": ((True, False, False), (True, False, False)),
    "vera": ((True, False, False), (True, False, False)),
    "dave": ((True, False, False), (False, False, False)),
    "bob": ((True, True, True), (False, False, False)),
    "carol": ((True, False, True), (False, False, False)),
    "eve": ((False, False, False), (True, True, True)),
}


def access_of(world, name):
    return Access.for_user(user=getattr(world, name), organizer=world.org)


@pytest.mark.parametrize("name", ORGANISER_WIDE)
def test_organiser_wide_questions(world, name):
    a = access_of(world, name)
    answers = (a.can_manage, a.can_read_all_units, a.can_read_organiser, a.can_read_rounds, a.can_export)
    assert answers == ORGANISER_WIDE[name]
    assert all(a.can_export_kind(kind) == a.can_export for kind in ("overview", "answers", "actions", "board"))
    assert a.is_member


@pytest.mark.parametrize("name", PER_UNIT)
def test_per_unit_questions(world, name):
    a = access_of(world, name)
    for unit, expected in zip((world.unit, world.other_unit), PER_UNIT[name], strict=True):
        assert (a.can_read_unit(unit), a.can_assess(unit), a.can_plan(unit)) == expected, unit
        assert not a.can_assess(unit, perspective="it_educator")  # no assessors for it yet


def test_unit_filters(world):
    units = Unit.objects.filter(organizer=world.org)
    districts = District.objects.filter(organizer=world.org)
    names = {n: access_of(world, n) for n in PER_UNIT}
    assert set(names["vera"].visible_units(units)) == {world.unit, world.other_unit}
    assert set(names["dave"].visible_units(units)) == {world.unit}
    assert set(names["bob"].visible_units(units)) == {world.unit}
    assert set(names["eve"].organiser_units(units)) == set()
    assert set(names["dave"].visible_districts(districts)) == {world.district}
    assert names["bob"].my_unit_ids == {world.unit.pk} == names["carol"].my_unit_ids


def test_a_district_lead_who_is_also_a_principal_elsewhere(world):
    """Organiser-wide pages show the district; the unit list and exports also the own unit."""
    f.member(world.dave, world.org, Role.PRINCIPAL, unit=world.other_unit)
    dave = access_of(world, "dave")
    units = Unit.objects.filter(organizer=world.org)
    assert set(dave.organiser_units(units)) == {world.unit}
    assert set(dave.visible_units(units)) == {world.unit, world.other_unit}
    assert dave.can_assess(world.other_unit) and not dave.can_assess(world.unit)


def test_read_scope_is_checked_again(world):
    vera, dave = access_of(world, "vera"), access_of(world, "dave")
    assert vera.read_scope() == {"all": True}
    assert dave.read_scope() == {"districts": [world.district.pk], "units": []}
    assert vera.covers_read_scope(dave.read_scope()) and vera.covers_read_scope({"all": True})
    assert dave.covers_read_scope(dave.read_scope())
    assert not dave.covers_read_scope(vera.read_scope())
    assert not dave.covers_read_scope(None)
    # the lead moves to the other district: what was made for Norra is no longer theirs
    Membership.objects.filter(user=world.dave).update(district=world.other_unit.district)
    assert not access_of(world, "dave").covers_read_scope(dave.read_scope())


def test_another_organisers_admin_has_no_rights_here(world):
    charlie = Access.for_user(user=world.charlie, organizer=world.org)
    assert not (charlie.can_manage or charlie.can_read_organiser or charlie.can_read_unit(world.unit))
    assert Access.for_slug(slug="mittkoping", user=world.charlie) is None
    assert Access.for_slug(slug="no-such-organiser", user=world.alice) is None
    assert Access.for_slug(slug="mittkoping", user=world.alice).organizer == world.org


def test_no_access_answers_every_question_no():
    """``NoAccess`` has a "no" for every public question of ``Access``, so ``TokenAccess`` (and
    any other kind of access) cannot forget one."""
    members_only = {"for_slug", "for_user"}
    questions = {n for n in vars(Access) if not n.startswith("_")} - members_only
    assert questions <= set(vars(NoAccess)), questions - set(vars(NoAccess))
    none = NoAccess()
    assert not (none.can_manage or none.can_read_organiser or none.can_export or none.is_member)
    assert not (none.can_read_unit(None) or none.can_plan(None) or none.can_download_export(None))


def test_token_access_grants_only_the_purpose(world):
    from stegvis.organisations import domain

    row, _token = domain.issue_token(organizer=world.org, purpose="survey", target=world.unit, by=world.alice)
    a = TokenAccess(token=row)
    assert a.can_use_token("survey") and not a.can_use_token("calendar")
    assert a.is_token_target(world.unit) and not a.is_token_target(world.other_unit)
    assert not (a.can_manage or a.can_read_organiser or a.is_member or a.can_read_unit(world.unit))
    assert list(a.visible_units(Unit.objects.filter(organizer=world.org))) == []
