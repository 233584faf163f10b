"""GDPR in use: an admin exports what Stegvis holds about a person and erases a person; the
person's authorship stays as "deleted user"; nothing of another organiser is shown or touched."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled
from pdfminer.high_level import extract_text

from stegvis.assessments.models import Answer, Assessment
from stegvis.core.models import AuditEvent, SentMail
from stegvis.organisations import domain as organisations
from stegvis.organisations.models import Membership, Role
from stegvis.planning import domain as planning
from stegvis.planning.models import Note
from tests import factories as f

User = get_user_model()


@pytest.fixture
def history(world):
    """Bob has published an assessment, added an action with a note, and been sent a mail."""
    assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    action = planning.add_action(plan=plan, by=world.bob, title="Fortbildning i programmering")
    planning.add_note(action=action, by=world.bob, date=datetime.date(2026, 11, 20), text="Första träffen hölls.")
    organisations.invite_user(organizer=world.org, by=world.bob, email="ny@example.se", full_name="Ny", role="viewer")
    SentMail.objects.create(
        organizer=world.org,
        to_email=world.bob.email,
        to_user=world.bob,
        kind="reminder",
        subject="Påminnelse",
        language="sv",
        body_text="Hej Bob",
    )
    return assessment, action


def _url(world, user, tail=""):
    return f"/mittkoping/privacy/people/{user.pk}/{tail}"


def test_the_person_page_shows_what_stegvis_holds(client, world, history):
    client.force_login(world.alice)
    page = client.get(_url(world, world.bob)).content.decode()
    for text in [
        "bob@example.se",
        "Rektor",
        "Ekskolan",
        "Fortbildning i programmering",
        "Första träffen hölls.",
        "Påminnelse",
    ]:
        assert text in page, text


def test_the_json_export_holds_every_section_and_nothing_of_another_organiser(client, world, history):
    # bob also works for the other organiser; nothing of it may show in Mittköping's export
    f.member(world.bob, world.other_org, Role.VIEWER)
    with scopes_disabled():
        SentMail.objects.create(
            organizer=world.other_org,
            to_email=world.bob.email,
            to_user=world.bob,
            kind="reminder",
            subject="Annanstads hemliga utskick",
            language="sv",
            body_text="x",
        )
    client.force_login(world.alice)
    response = client.get(_url(world, world.bob, "export.json"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert sections["account"][0]["email"] == "bob@example.se"
    assert [r["role"] for r in sections["roles"]] == ["Rektor"] or [r["role"] for r in sections["roles"]] == [
        "Principal"
    ]
    assert sections["assessments"][0]["published_by_the_person"] is True
    assert len(sections["answers"]) == Answer.objects.filter(updated_by=world.bob).count() > 0
    assert sections["notes"][0]["note"] == "Första träffen hölls."
    assert any(r["by_the_person"] for r in sections["audit"])
    assert "Annanstads hemliga utskick" not in response.content.decode()
    assert "Annanstad" not in response.content.decode()


def test_the_pdf_export_is_readable(client, world, history):
    client.force_login(world.alice)
    response = client.get(_url(world, world.bob, "export.pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = extract_text(io.BytesIO(response.content))
    assert "bob@example.se" in text
    assert "Första träffen hölls." in text


def test_erasing_keeps_the_units_records_as_written_by_a_deleted_user(client, world, history):
    assessment, action = history
    client.force_login(world.alice)
    response = client.post(_url(world, world.bob, "erase/"), {"email": "BOB@example.se"})
    assert response.status_code == 302
    assert not User.objects.filter(email="bob@example.se").exists()
    assessment.refresh_from_db()
    assert assessment.published_by is None and assessment.status == Assessment.Status.PUBLISHED
    assert Answer.objects.filter(assessment=assessment).count() > 0
    note = Note.objects.get(action=action)
    assert note.author is None and note.text == "Första träffen hölls."
    assert not SentMail.objects.filter(to_email="bob@example.se").exists()
    assert not AuditEvent.objects.filter(summary__icontains="bob").exists()
    assert AuditEvent.objects.filter(organizer=world.org, verb="person.erased").exists()
    # the assessment's page shows the versions as published by a deleted user
    page = client.get(f"/mittkoping/assessments/{assessment.pk}/").content.decode()
    assert "borttagen användare" in page or "deleted user" in page


def test_erasing_a_person_who_also_works_elsewhere_keeps_the_account_and_the_other_organiser(client, world, history):
    f.member(world.bob, world.other_org, Role.VIEWER)
    client.force_login(world.alice)
    response = client.post(_url(world, world.bob, "erase/"), {"email": "bob@example.se"}, follow=True)
    # the admin is told the same as when the account went: nothing reveals the other organiser
    assert "Annanstad" not in response.content.decode()
    world.bob.refresh_from_db()
    with scopes_disabled():
        assert not Membership.objects.filter(user=world.bob, organizer=world.org).exists()
        assert Membership.objects.filter(user=world.bob, organizer=world.other_org).exists()


def test_a_wrong_address_erases_nothing(client, world, history):
    client.force_login(world.alice)
    response = client.post(_url(world, world.bob, "erase/"), {"email": "carol@example.se"})
    assert response.status_code == 200
    assert (
        "inte personens e-postadress" in response.content.decode()
        or "This is not the person" in response.content.decode()
    )
    assert Membership.objects.filter(user=world.bob).exists()


def test_an_admin_cannot_erase_themselves(client, world):
    client.force_login(world.alice)
    response = client.post(_url(world, world.alice, "erase/"), {"email": "alice@example.se"})
    assert response.status_code == 302
    assert User.objects.filter(pk=world.alice.pk).exists()


def test_a_person_of_another_organiser_is_404(client, world):
    client.force_login(world.alice)
    assert client.get(_url(world, world.charlie)).status_code == 404
    assert client.post(_url(world, world.charlie, "erase/"), {"email": "charlie@example.se"}).status_code == 404
    assert User.objects.filter(pk=world.charlie.pk).exists()
