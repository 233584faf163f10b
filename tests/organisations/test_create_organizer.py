import io
import re

import pytest
from django.core.management import CommandError, call_command

from stegvis.organisations.models import Membership, Organizer


def test_create_organizer_prints_a_one_time_link_with_which_the_admin_chooses_a_password(client, settings):
    settings.SITE_URL = "https://stegvis.akoping.se"
    out = io.StringIO()
    call_command(
        "create_organizer", "Åköpings kommun", admin_email="Chef@Akoping.se", admin_name="Kim Chef", stdout=out
    )
    organizer = Organizer.objects.get(slug="akopings-kommun")
    membership = Membership.objects.get(organizer=organizer)
    assert membership.role == "admin" and membership.user.email == "chef@akoping.se"
    assert "password:" not in out.getvalue()
    [link] = re.findall(r"https://stegvis\.akoping\.se(/password-reset/\S+)", out.getvalue())
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "chef@akoping.se" in form.content.decode()
    new = "kaffe och kanelbulle varje fredag"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.post("/login/", {"username": "CHEF@akoping.se", "password": new}).status_code == 302
    assert client.get("/akopings-kommun/").status_code == 200
    client.logout()
    assert "Länken fungerar inte" in client.get(link, follow=True).content.decode()  # once only


def test_create_organizer_refuses_taken_or_reserved_short_names():
    call_command("create_organizer", "Ett", slug="ett", admin_email="a@ett.se", stdout=io.StringIO())
    with pytest.raises(CommandError, match="taken"):
        call_command("create_organizer", "Ett igen", slug="ett", admin_email="b@ett.se", stdout=io.StringIO())
    with pytest.raises(CommandError, match="taken"):
        call_command("create_organizer", "Admin", slug="admin", admin_email="c@ett.se", stdout=io.StringIO())
    assert Organizer.objects.count() == 1
