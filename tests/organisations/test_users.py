from django.contrib.auth import get_user_model

from stegvis.core.models import AuditEvent
from stegvis.organisations.models import Invitation, Membership, Role
from tests import factories as f

User = get_user_model()
NEW = {
    "full_name": "Nina Nilsson",
    "email": " Nina.Nilsson@Example.se ",
    "role": "principal",
}


def test_user_list_shows_members_with_roles(admin_client, world, url):
    content = admin_client.get(url("users")).content.decode()
    assert "Bob" in content and "Principal: Ekskolan" in content
    assert "District lead: Norra" in content
    assert "Organiser viewer" in content
    assert "Charlie" not in content


def test_user_list_search(admin_client, world, url):
    content = admin_client.get(url("users") + "?q=dave").content.decode()
    assert "dave@example.se" in content and "bob@example.se" not in content


def test_user_new_invites_instead_of_taking_a_password(admin_client, world, url):
    page = admin_client.get(url("user_new")).content.decode()
    assert 'type="password"' not in page and "Send invitation" in page
    response = admin_client.post(url("user_new"), {**NEW, "unit": world.unit.pk})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nina.nilsson@example.se")
    assert (invitation.full_name, invitation.role, invitation.unit) == ("Nina Nilsson", "principal", world.unit)
    assert not User.objects.filter(email="nina.nilsson@example.se").exists()  # not until accepted
    assert AuditEvent.objects.filter(verb="invitation.sent", object_id=invitation.pk).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "An invitation was sent to nina.nilsson@example.se." in page


def test_user_new_role_needs_its_scope(admin_client, world, url):
    content = admin_client.post(url("user_new"), NEW).content.decode()
    assert "Choose the unit for this role." in content
    content = admin_client.post(url("user_new"), {**NEW, "role": "district_lead"}).content.decode()
    assert "Choose the district this person leads." in content
    assert not User.objects.filter(email="nina.nilsson@example.se").exists()


def test_user_new_organiser_role_ignores_scope(admin_client, world, url):
    response = admin_client.post(url("user_new"), {**NEW, "role": "viewer", "unit": world.unit.pk})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nina.nilsson@example.se")
    assert invitation.role == Role.VIEWER and invitation.unit is None


def test_user_new_existing_member_gets_link_to_account(admin_client, world, url):
    response = admin_client.post(url("user_new"), {**NEW, "email": "BOB@example.se", "unit": world.unit.pk})
    content = response.content.decode()
    assert "bob@example.se is already a member here." in content
    assert url("user_edit", user_id=world.bob.pk) in content
    assert User.objects.filter(email__iexact="bob@example.se").count() == 1


def test_user_edit_shows_memberships_here_only(admin_client, world, url):
    f.member(world.bob, world.other_org, Role.VIEWER)
    content = admin_client.get(url("user_edit", user_id=world.bob.pk)).content.decode()
    assert "Principal" in content and "Ekskolan" in content
    assert "Organiser viewer</td>" not in content


def test_user_edit_changes_name_and_active_at_once_and_the_address_after_confirmation(admin_client, world, url):
    response = admin_client.post(
        url("user_edit", user_id=world.bob.pk),
        {"full_name": "Robert Berg", "email": "Robert.Berg@example.se"},
    )
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert (world.bob.full_name, world.bob.email) == ("Robert Berg", "bob@example.se")
    assert world.bob.is_active is False
    assert AuditEvent.objects.filter(verb="user.changed", object_id=world.bob.pk).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "A confirmation was sent to the new address; the change takes effect when it is confirmed." in page
    assert "A confirmation was sent to robert.berg@example.se." in page


def test_user_edit_another_member_here_is_said_plainly(admin_client, world, url):
    response = admin_client.post(
        url("user_edit", user_id=world.bob.pk),
        {"full_name": "Bob X", "email": "Dave@example.se", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "dave@example.se is already a member here." in response.content.decode()
    world.bob.refresh_from_db()
    assert (world.bob.email, world.bob.full_name) == ("bob@example.se", "Bob")


def test_user_edit_account_shared_with_other_organiser_keeps_email_and_active(admin_client, world, url):
    f.member(world.bob, world.other_org, Role.VIEWER)
    response = admin_client.post(
        url("user_edit", user_id=world.bob.pk),
        {"full_name": "Robert Berg", "email": "hijack@example.se"},
    )
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.full_name == "Robert Berg"
    assert world.bob.email == "bob@example.se" and world.bob.is_active


def test_user_edit_admin_cannot_deactivate_self(admin_client, world, url):
    response = admin_client.post(
        url("user_edit", user_id=world.alice.pk),
        {"full_name": "Alice A", "email": "alice@example.se"},
    )
    assert "You cannot deactivate your own account." in response.content.decode()
    world.alice.refresh_from_db()
    assert world.alice.is_active


def test_membership_add(admin_client, world, url):
    response = admin_client.post(
        url("membership_add", user_id=world.bob.pk), {"role": "contributor", "unit": world.other_unit.pk}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.bob, role=Role.CONTRIBUTOR, unit=world.other_unit).exists()
    assert AuditEvent.objects.filter(verb="membership.added").exists()


def test_membership_add_duplicate_is_refused(admin_client, world, url):
    response = admin_client.post(
        url("membership_add", user_id=world.bob.pk), {"role": "principal", "unit": world.unit.pk}
    )
    assert response.status_code == 200
    assert "This person already has this role." in response.content.decode()
    assert Membership.objects.filter(user=world.bob, role=Role.PRINCIPAL).count() == 1


def test_membership_add_needs_scope(admin_client, world, url):
    response = admin_client.post(url("membership_add", user_id=world.bob.pk), {"role": "district_lead"})
    assert "Choose the district this person leads." in response.content.decode()


def test_membership_add_unit_of_other_organiser_refused(admin_client, world, url):
    foreign = f.UnitFactory(organizer=world.other_org)
    response = admin_client.post(
        url("membership_add", user_id=world.bob.pk), {"role": "contributor", "unit": foreign.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(unit=foreign).exists()


def test_membership_delete(admin_client, world, url):
    extra = f.member(world.bob, world.org, Role.CONTRIBUTOR, unit=world.other_unit)
    response = admin_client.post(url("membership_delete", user_id=world.bob.pk, membership_id=extra.pk), follow=True)
    assert "The role was removed." in response.content.decode()
    assert not Membership.objects.filter(pk=extra.pk).exists()
    assert AuditEvent.objects.filter(verb="membership.removed", object_id=extra.pk).exists()


def test_membership_delete_last_role_leaves_the_organiser(admin_client, world, url, bob_membership):
    response = admin_client.post(
        url("membership_delete", user_id=world.bob.pk, membership_id=bob_membership.pk), follow=True
    )
    assert "has no role left in this organiser" in response.content.decode()
    assert admin_client.get(url("user_edit", user_id=world.bob.pk)).status_code == 404
    assert User.objects.filter(pk=world.bob.pk).exists()


def test_membership_delete_last_admin_is_refused(admin_client, world, url):
    mine = Membership.objects.get(organizer=world.org, user=world.alice)
    response = admin_client.post(url("membership_delete", user_id=world.alice.pk, membership_id=mine.pk), follow=True)
    assert "An organiser needs at least one admin." in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_user_list_queries_do_not_grow_with_users(admin_client, world, url, django_assert_max_num_queries):
    for _n in range(20):
        f.member(f.UserFactory(), world.org, Role.PRINCIPAL, unit=world.unit)
    with django_assert_max_num_queries(10):
        assert admin_client.get(url("users")).status_code == 200


def test_user_list_filters_by_role_and_exports_the_same(admin_client, world, url):
    page = admin_client.get(url("users") + "?role=principal").content.decode()
    assert "Bob" in page and "Eve" in page and "Carol" not in page
    response = admin_client.get(url("users_export") + "?role=principal")
    text = response.content.decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert lines[0].startswith("Name;E-mail address;Role")
    assert any(line.startswith("Bob;") and "Principal" in line and "Ekskolan" in line for line in lines)
    assert not any("Carol" in line for line in lines) and len(lines) == 3
