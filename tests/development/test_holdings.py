"""What competence development holds about a person is in the GDPR export and goes with erasure."""

from stegvis.development import domain
from stegvis.development.models import Enrolment, SpreadMeeting
from stegvis.privacy import domain as privacy

from .helpers import make_initiative


def test_enrolments_and_tracks_are_exported_and_erased(world):
    initiative = make_initiative(world, tracks=2)
    enrolment, _ = domain.enrol(initiative=initiative, user=world.carol, by=world.carol)
    domain.choose_tracks(enrolment=enrolment, tracks=list(initiative.tracks.all()), by=world.carol)
    domain.add_spread_meeting(initiative=initiative, date=initiative.starts_on, note="APT", by=world.carol)
    sections = {s["key"]: s for s in privacy.export_person(organizer=world.org, user=world.carol)["sections"]}
    (row,) = sections["development_enrolments"]["rows"]
    assert row["initiative"] == initiative.title and row["tracks"] == "Spår 1, Spår 2"
    assert sections["development_notes"]["rows"][0]["note"] == "APT"
    privacy.erase_person(organizer=world.org, user=world.carol, by=world.alice)
    assert not Enrolment.objects.exists()
    assert SpreadMeeting.objects.get().author is None
