import pytest

from stegvis.core import schoolforms
from stegvis.organisations import domain
from stegvis.organisations.models import Membership, Role
from tests import factories as f


def test_add_membership_refuses_duplicates(world):
    with pytest.raises(domain.OrganisationError, match="already has this role"):
        domain.add_membership(organizer=world.org, user=world.bob, role=Role.PRINCIPAL, unit=world.unit, by=world.alice)


@pytest.mark.parametrize(
    "role,scope",
    [
        (Role.ADMIN, "unit"),
        (Role.VIEWER, "district"),
        (Role.DISTRICT_LEAD, None),
        (Role.DISTRICT_LEAD, "unit"),
        (Role.PRINCIPAL, None),
        (Role.CONTRIBUTOR, "district"),
    ],
)
def test_add_membership_refuses_scope_that_does_not_fit_the_role(world, role, scope):
    kwargs = {"district": world.district} if scope == "district" else {"unit": world.unit} if scope == "unit" else {}
    with pytest.raises(domain.OrganisationError):
        domain.add_membership(organizer=world.org, user=world.carol, role=role, by=world.alice, **kwargs)
    assert Membership.objects.filter(user=world.carol).count() == 1


def test_add_membership_refuses_unit_of_other_organiser(world):
    foreign = f.UnitFactory(organizer=world.other_org)
    with pytest.raises(domain.OrganisationError, match="another organiser"):
        domain.add_membership(organizer=world.org, user=world.carol, role=Role.PRINCIPAL, unit=foreign, by=world.alice)


def test_create_unit_refuses_duplicate_code(world):
    with pytest.raises(domain.OrganisationError, match="already has the unit code"):
        domain.create_unit(
            organizer=world.org,
            by=world.alice,
            name="X",
            code=world.unit.code,
            school_forms=schoolforms.PRESCHOOL,
            district=None,
        )


def test_create_user_refuses_taken_email_in_any_case(world):
    with pytest.raises(domain.OrganisationError, match="is taken"):
        domain.create_user(
            organizer=world.org,
            by=world.alice,
            full_name="C C",
            email="CHARLIE@example.se",
            password="whatever long",
            role=Role.VIEWER,
        )
