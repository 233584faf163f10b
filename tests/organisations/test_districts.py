from stegvis.core.models import AuditEvent
from stegvis.organisations.models import District, Membership, Role
from tests import factories as f


def test_district_list_shows_districts_with_unit_counts_and_leads(admin_client, world, url):
    response = admin_client.get(url("districts"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Norra" in content and "Södra" in content
    assert "Dave" in content  # district lead of Norra


def test_district_new_creates_district(admin_client, world, url):
    response = admin_client.post(url("district_new"), {"name": "  Västra "})
    assert response.status_code == 302
    district = District.objects.get(organizer=world.org, name="Västra")
    assert AuditEvent.objects.filter(verb="district.created", object_id=district.pk).exists()
    assert "The district “Västra” was created." in admin_client.get(response["Location"]).content.decode()


def test_district_new_duplicate_name_is_refused(admin_client, world, url):
    response = admin_client.post(url("district_new"), {"name": "norra"})
    assert response.status_code == 200
    assert "There is already a district called “norra”." in response.content.decode()
    assert District.objects.filter(organizer=world.org).count() == 2


def test_district_name_may_repeat_across_organisers(admin_client, world, url):
    f.DistrictFactory(organizer=world.other_org, name="Östra")
    assert admin_client.post(url("district_new"), {"name": "Östra"}).status_code == 302
    assert District.objects.filter(organizer=world.org, name="Östra").exists()


def test_district_new_empty_name_keeps_form(admin_client, url):
    response = admin_client.post(url("district_new"), {"name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_district_edit_renames(admin_client, world, url):
    response = admin_client.post(url("district_edit", district_id=world.district.pk), {"name": "Norr"})
    assert response.status_code == 302
    world.district.refresh_from_db()
    assert world.district.name == "Norr"
    assert AuditEvent.objects.filter(verb="district.renamed", object_id=world.district.pk).exists()


def test_district_delete_refused_while_it_has_units(admin_client, world, url):
    response = admin_client.post(url("district_delete", district_id=world.district.pk), follow=True)
    assert "still has 1 unit(s). Move them to another district first." in response.content.decode()
    assert District.objects.filter(pk=world.district.pk).exists()


def test_district_delete_removes_empty_district_and_its_lead_roles(admin_client, world, url):
    empty = f.DistrictFactory(organizer=world.org, name="Tomma")
    f.member(world.carol, world.org, Role.DISTRICT_LEAD, district=empty)
    response = admin_client.post(url("district_delete", district_id=empty.pk), follow=True)
    assert "The district “Tomma” was deleted." in response.content.decode()
    assert not District.objects.filter(pk=empty.pk).exists()
    assert not Membership.objects.filter(user=world.carol, role=Role.DISTRICT_LEAD).exists()
    assert AuditEvent.objects.filter(verb="district.deleted", object_id=empty.pk).exists()


def test_district_list_queries_do_not_grow_with_districts(admin_client, world, url, django_assert_max_num_queries):
    for n in range(20):
        district = f.DistrictFactory(organizer=world.org, name=f"Område X{n}")
        f.member(f.UserFactory(), world.org, Role.DISTRICT_LEAD, district=district)
    with django_assert_max_num_queries(10):
        assert admin_client.get(url("districts")).status_code == 200
