import io

import pytest
from django.core.management import CommandError, call_command

from stegvis.organisations.models import Membership, Organizer


def test_create_organizer_with_admin_who_can_log_in(client):
    out = io.StringIO()
    call_command(
        "create_organizer", "Åköpings kommun", admin_email="Chef@Akoping.se", admin_name="Kim Chef", stdout=out
    )
    organizer = Organizer.objects.get(slug="akopings-kommun")
    membership = Membership.objects.get(organizer=organizer)
    assert membership.role == "admin" and membership.user.email == "chef@akoping.se"
    password = out.getvalue().split("password: ")[1].split()[0]
    assert client.login(username="chef@akoping.se", password=password)
    assert client.get("/akopings-kommun/").status_code == 200


def test_create_organizer_refuses_taken_or_reserved_short_names():
    call_command("create_organizer", "Ett", slug="ett", admin_email="a@ett.se", stdout=io.StringIO())
    with pytest.raises(CommandError, match="taken"):
        call_command("create_organizer", "Ett igen", slug="ett", admin_email="b@ett.se", stdout=io.StringIO())
    with pytest.raises(CommandError, match="taken"):
        call_command("create_organizer", "Admin", slug="admin", admin_email="c@ett.se", stdout=io.StringIO())
    assert Organizer.objects.count() == 1
