"""The overview's read model follows a unit that changes: a move to another district shows in
the grid's district filter at once, and a change of school forms changes which indicators the
unit's cells cover, without waiting for the next publish."""

from stegvis.core import schoolforms
from stegvis.organisations import domain as organisations
from stegvis.overview.models import PlanCell
from tests import factories as f


def _change(unit, by, **changes):
    values = {
        "name": unit.name,
        "code": unit.code,
        "school_forms": unit.school_forms,
        "district": unit.district,
        "active": unit.active,
    }
    values.update(changes)
    organisations.update_unit(unit=unit, by=by, **values)


def test_a_unit_moving_district_moves_its_cells(world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    södra = world.other_unit.district
    _change(world.unit, world.alice, district=södra)
    districts = set(PlanCell.objects.filter(unit=world.unit).values_list("district_id", flat=True))
    assert districts == {södra.pk}


def test_the_grid_filter_finds_the_moved_unit_in_its_new_district(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    södra = world.other_unit.district
    _change(world.unit, world.alice, district=södra)
    client.force_login(world.alice)
    page = client.get(f"/{world.org.slug}/overview/", {"round": world.rnd.pk, "district": södra.pk}).content.decode()
    assert world.unit.name in page


def test_a_change_of_school_forms_reaches_the_cells_before_the_next_publish():
    framework = f.make_framework(forms={"A1.1": ["forskola"], "A1.2": ["grundskola"]})
    world = f.World.build(framework=framework)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    codes = set(PlanCell.objects.filter(unit=world.unit).values_list("indicator__code", flat=True))
    assert "A1.2" in codes and "A1.1" not in codes  # a grundskola
    _change(world.unit, world.alice, school_forms=schoolforms.to_mask(["forskola"]))
    codes = set(PlanCell.objects.filter(unit=world.unit).values_list("indicator__code", flat=True))
    assert "A1.1" in codes and "A1.2" not in codes
