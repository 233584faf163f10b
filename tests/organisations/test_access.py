"""Who gets what, for every URL of the room."""

import pytest

from stegvis.organisations import imports
from stegvis.organisations.models import Membership, Unit, UnitImport
from tests import factories as f

# (URL name, kwargs builder, method, read-only)
URLS = [
    ("districts", lambda w, m: {}, "get", False),
    ("district_new", lambda w, m: {}, "get", False),
    ("district_edit", lambda w, m: {"district_id": w.district.pk}, "get", False),
    ("district_delete", lambda w, m: {"district_id": w.district.pk}, "post", False),
    ("units", lambda w, m: {}, "get", True),
    ("units_export", lambda w, m: {}, "get", True),
    ("unit_new", lambda w, m: {}, "get", False),
    ("unit_edit", lambda w, m: {"unit_id": w.unit.pk}, "get", False),
    ("units_import", lambda w, m: {}, "get", False),
    ("units_import_preview", lambda w, m: {"import_id": _staged(w.org, w.alice).pk}, "get", False),
    ("users", lambda w, m: {}, "get", False),
    ("user_new", lambda w, m: {}, "get", False),
    ("user_edit", lambda w, m: {"user_id": w.bob.pk}, "get", False),
    ("membership_add", lambda w, m: {"user_id": w.bob.pk}, "get", False),
    ("membership_delete", lambda w, m: {"user_id": w.bob.pk, "membership_id": m.pk}, "post", False),
]
IDS = [u[0] for u in URLS]


def _staged(organizer, user):
    return UnitImport.objects.create(organizer=organizer, user=user, data=imports.ParseResult().to_json())


def _request(client, method, path):
    return getattr(client, method)(path)


@pytest.mark.parametrize("name,kwargs,method,read", URLS, ids=IDS)
def test_url_anonymous_redirects_to_login(client, world, url, bob_membership, name, kwargs, method, read):
    path = url(name, **kwargs(world, bob_membership))
    response = _request(client, method, path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("name,kwargs,method,read", URLS, ids=IDS)
def test_url_other_organiser_is_404(client, world, url, bob_membership, name, kwargs, method, read):
    client.force_login(world.charlie)
    response = _request(client, method, url(name, **kwargs(world, bob_membership)))
    assert response.status_code == 404


@pytest.mark.parametrize("name,kwargs,method,read", URLS, ids=IDS)
def test_url_principal_is_403(client, world, url, bob_membership, name, kwargs, method, read):
    client.force_login(world.bob)
    response = _request(client, method, url(name, **kwargs(world, bob_membership)))
    assert response.status_code == 403


@pytest.mark.parametrize("name,kwargs,method,read", URLS, ids=IDS)
def test_url_viewer_reads_but_cannot_write(client, world, url, bob_membership, name, kwargs, method, read):
    client.force_login(world.vera)
    response = _request(client, method, url(name, **kwargs(world, bob_membership)))
    assert response.status_code == (200 if read else 403)
    assert Membership.objects.filter(pk=bob_membership.pk).exists()


@pytest.mark.parametrize("name,kwargs,method,read", URLS, ids=IDS)
def test_url_district_lead_reads_units_only(client, world, url, bob_membership, name, kwargs, method, read):
    client.force_login(world.dave)
    response = _request(client, method, url(name, **kwargs(world, bob_membership)))
    assert response.status_code == (200 if read else 403)


@pytest.mark.parametrize("name,kwargs,method,read", URLS, ids=IDS)
def test_url_admin_gets_through(client, world, url, bob_membership, name, kwargs, method, read):
    client.force_login(world.alice)
    response = _request(client, method, url(name, **kwargs(world, bob_membership)))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", ["district_delete", "membership_delete"])
def test_post_only_urls_refuse_get(admin_client, world, url, bob_membership, name):
    kwargs = (
        {"district_id": world.district.pk}
        if name == "district_delete"
        else {"user_id": world.bob.pk, "membership_id": bob_membership.pk}
    )
    assert admin_client.get(url(name, **kwargs)).status_code == 405


def test_objects_of_another_organiser_are_404(admin_client, world, url):
    other_district = f.DistrictFactory(organizer=world.other_org)
    other_unit = f.UnitFactory(organizer=world.other_org, district=other_district)
    charlie_membership = Membership.objects.get(user=world.charlie)
    assert admin_client.get(url("district_edit", district_id=other_district.pk)).status_code == 404
    assert admin_client.post(url("district_edit", district_id=other_district.pk), {"name": "X"}).status_code == 404
    assert admin_client.post(url("district_delete", district_id=other_district.pk)).status_code == 404
    assert admin_client.get(url("unit_edit", unit_id=other_unit.pk)).status_code == 404
    foreign_import = _staged(world.other_org, world.alice)
    assert admin_client.get(url("units_import_preview", import_id=foreign_import.pk)).status_code == 404
    assert admin_client.post(url("units_import_preview", import_id=foreign_import.pk)).status_code == 404
    assert admin_client.get(url("user_edit", user_id=world.charlie.pk)).status_code == 404
    assert admin_client.post(url("membership_add", user_id=world.charlie.pk), {"role": "viewer"}).status_code == 404
    response = admin_client.post(
        url("membership_delete", user_id=world.charlie.pk, membership_id=charlie_membership.pk)
    )
    assert response.status_code == 404
    # someone else's membership id under a user of this organiser
    response = admin_client.post(url("membership_delete", user_id=world.bob.pk, membership_id=charlie_membership.pk))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=charlie_membership.pk).exists()
    assert other_district.name != "X"
    # the other organiser's district is not offered in the filter or the forms
    assert other_district.name not in admin_client.get(url("unit_new")).content.decode()
    assert other_unit.name not in admin_client.get(url("units")).content.decode()


def test_other_organiser_district_cannot_be_posted_into_a_unit(admin_client, world, url):
    other_district = f.DistrictFactory(organizer=world.other_org)
    response = admin_client.post(
        url("unit_new"),
        {
            "name": "Smygskolan",
            "code": "55555555",
            "school_forms": ["grundskola"],
            "district": other_district.pk,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Unit.objects.filter(code="55555555").exists()
