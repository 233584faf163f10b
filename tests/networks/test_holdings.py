"""What networks hold about a person, in the personal-data export and after erasure
(docs/privacy.md)."""

from stegvis.networks import domain
from stegvis.networks.models import ActionItem, Attendance, Comment, Meeting, NetworkMember
from stegvis.privacy import domain as privacy


def test_the_export_holds_places_attendance_action_items_and_writing(world, net, meeting):
    domain.record_attendance(meeting=meeting, statuses={world.carol.pk: "apology"}, by=world.bob)
    domain.add_action_item(meeting=meeting, title="Boka lokal", owner=world.carol, by=world.bob)
    domain.save_minutes(meeting=meeting, text="Vi pratade om AI", by=world.bob, publish=True)
    domain.add_comment(meeting=meeting, text="Tack!", by=world.carol)
    carol = privacy.export_person(organizer=world.org, user=world.carol)
    text = str(carol)
    assert "IKT-nätverket" in text and "Anmält förhinder" in text and "Boka lokal" in text and "Tack!" in text
    bob = str(privacy.export_person(organizer=world.org, user=world.bob))
    assert "Vi pratade om AI" in bob and "Samordnare" in bob
    assert "IKT-nätverket" not in str(privacy.export_person(organizer=world.org, user=world.eve))


def test_erasure_keeps_the_networks_records_written_by_a_deleted_user(client, world, net, meeting):
    domain.record_attendance(meeting=meeting, statuses={world.bob.pk: "present"}, by=world.bob)
    item = domain.add_action_item(meeting=meeting, title="Boka lokal", owner=world.bob, by=world.bob)
    domain.save_minutes(meeting=meeting, text="Vi pratade om AI", by=world.bob, publish=True)
    domain.add_comment(meeting=meeting, text="Tack!", by=world.bob)
    bob_id = world.bob.pk
    privacy.erase_person(organizer=world.org, user=world.bob, by=world.alice)
    assert not NetworkMember.objects.filter(user_id=bob_id).exists()
    assert not Attendance.objects.filter(user_id=bob_id).exists()
    item.refresh_from_db()
    assert item.owner is None and item.title == "Boka lokal"
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.minutes_by is None and meeting.minutes == "Vi pratade om AI"
    assert Comment.objects.get().author is None
    assert ActionItem.objects.filter(created_by_id=bob_id).count() == 0
    client.force_login(world.carol)
    page = client.get(f"/mittkoping/networks/meetings/{meeting.pk}/").content.decode()
    assert page.count("borttagen användare") >= 3  # minutes, action item owner, comment
