import csv
import io

from stegvis.core import schoolforms
from stegvis.core.models import AuditEvent
from stegvis.organisations.models import Unit
from tests import factories as f

GOOD = {"name": "Lärkskolan", "code": "87654321", "school_forms": ["forskola", "grundskola"], "active": "on"}


def test_unit_list_shows_units_with_school_form_labels_and_count(admin_client, world, url):
    response = admin_client.get(url("units"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ekskolan" in content and "Björkskolan" in content
    assert "Compulsory school" in content
    assert "2 units" in content


def test_unit_list_filters(admin_client, world, url):
    f.UnitFactory(
        organizer=world.org,
        district=world.district,
        name="Solgläntans förskola",
        code="11112222",
        school_forms=schoolforms.PRESCHOOL,
        active=False,
    )
    content = admin_client.get(url("units") + "?school_form=forskola").content.decode()
    assert "Solgläntans förskola" in content and "Ekskolan" not in content and "1 unit" in content

    content = admin_client.get(url("units") + f"?district={world.other_unit.district_id}").content.decode()
    assert "Björkskolan" in content and "Ekskolan" not in content

    content = admin_client.get(url("units") + "?q=ekskol").content.decode()
    assert "Ekskolan" in content and "Björkskolan" not in content

    content = admin_client.get(url("units") + "?q=1111").content.decode()
    assert "Solgläntans förskola" in content and "Ekskolan" not in content

    content = admin_client.get(url("units") + "?active=0").content.decode()
    assert "Solgläntans förskola" in content and "Ekskolan" not in content
    content = admin_client.get(url("units") + "?active=1").content.decode()
    assert "Solgläntans förskola" not in content and "2 units" in content


def test_unit_list_ignores_invalid_filters(admin_client, world, url):
    response = admin_client.get(url("units") + "?district=nonsense&school_form=x&active=maybe")
    assert response.status_code == 200
    assert "2 units" in response.content.decode()


def test_unit_list_district_lead_sees_only_their_district(client, world, url):
    client.force_login(world.dave)
    content = client.get(url("units")).content.decode()
    assert "Ekskolan" in content
    assert "Björkskolan" not in content
    assert "1 unit" in content
    assert "New unit" not in content
    # the other district cannot be chosen either
    content = client.get(url("units") + f"?district={world.other_unit.district_id}").content.decode()
    assert "Björkskolan" not in content
    export = client.get(url("units_export")).content.decode("utf-8-sig")
    assert "Ekskolan" in export and "Björkskolan" not in export


def test_unit_list_viewer_sees_all_but_no_edit_links(client, world, url):
    client.force_login(world.vera)
    content = client.get(url("units")).content.decode()
    assert "Ekskolan" in content and "Björkskolan" in content
    assert url("unit_edit", unit_id=world.unit.pk) not in content


def test_unit_list_queries_do_not_grow_with_units(admin_client, world, url, django_assert_max_num_queries):
    for n in range(30):
        f.UnitFactory(organizer=world.org, district=world.district, code=f"{30000000 + n}")
    with django_assert_max_num_queries(12):
        assert admin_client.get(url("units")).status_code == 200


def test_unit_list_paginates(admin_client, world, url):
    for n in range(110):
        f.UnitFactory(organizer=world.org, district=world.district, code=f"{40000000 + n}")
    content = admin_client.get(url("units")).content.decode()
    assert "112 units" in content and "Page 1 of 2" in content
    assert "Page 2 of 2" in admin_client.get(url("units") + "?page=2").content.decode()


def test_units_export_is_the_filtered_list_in_import_format(admin_client, world, url):
    response = admin_client.get(url("units_export") + f"?district={world.district.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["name", "unit code", "school forms", "district", "active"]
    assert rows[1:] == [["Ekskolan", world.unit.code, "Compulsory school", "Norra", "yes"]]


def test_units_export_neutralises_formulas(admin_client, world, url):
    f.UnitFactory(organizer=world.org, district=world.district, name="=HYPERLINK(1)", code="22223333")
    content = admin_client.get(url("units_export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def test_unit_new_creates_unit(admin_client, world, url):
    response = admin_client.post(url("unit_new"), {**GOOD, "district": world.district.pk})
    assert response.status_code == 302
    unit = Unit.objects.get(organizer=world.org, code="87654321")
    assert unit.name == "Lärkskolan"
    assert unit.school_forms == schoolforms.to_mask(["forskola", "grundskola"])
    assert unit.district == world.district and unit.active
    assert AuditEvent.objects.filter(verb="unit.created", object_id=unit.pk).exists()


def test_unit_new_validation_keeps_input(admin_client, world, url):
    response = admin_client.post(url("unit_new"), {"name": "Lärkskolan", "code": "1234", "school_forms": []})
    content = response.content.decode()
    assert response.status_code == 200
    assert "A unit code is eight digits (skolenhetskod)." in content
    assert "Choose at least one school form." in content
    assert 'value="Lärkskolan"' in content and 'value="1234"' in content
    assert not Unit.objects.filter(name="Lärkskolan").exists()


def test_unit_new_duplicate_code_is_refused(admin_client, world, url):
    response = admin_client.post(url("unit_new"), {**GOOD, "code": world.unit.code})
    assert response.status_code == 200
    assert f"The unit code {world.unit.code} is already used by Ekskolan." in response.content.decode()
    assert Unit.objects.filter(organizer=world.org, code=world.unit.code).count() == 1


def test_unit_code_may_repeat_across_organisers(admin_client, world, url):
    f.UnitFactory(organizer=world.other_org, code="87654321")
    assert admin_client.post(url("unit_new"), GOOD).status_code == 302
    assert Unit.objects.filter(organizer=world.org, code="87654321").exists()


def test_unit_edit_changes_unit(admin_client, world, url):
    response = admin_client.get(url("unit_edit", unit_id=world.unit.pk))
    assert 'value="Ekskolan"' in response.content.decode()
    response = admin_client.post(
        url("unit_edit", unit_id=world.unit.pk),
        {
            "name": "Ekskolan F-9",
            "code": world.unit.code,
            "school_forms": ["forskola", "grundskola"],
            "district": world.other_unit.district_id,
        },
    )
    assert response.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.name == "Ekskolan F-9"
    assert world.unit.district_id == world.other_unit.district_id
    assert world.unit.active is False  # checkbox left empty
    assert AuditEvent.objects.filter(verb="unit.changed", object_id=world.unit.pk).exists()


def test_unit_edit_keeps_own_code(admin_client, world, url):
    response = admin_client.post(
        url("unit_edit", unit_id=world.unit.pk),
        {"name": "Ekskolan", "code": world.unit.code, "school_forms": ["grundskola"], "active": "on"},
    )
    assert response.status_code == 302
