"""Action items (list, filters, CSV) and shared files (checked uploads, downloads only with the
right) of network meetings (docs/networks.md)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from stegvis.networks import domain
from stegvis.networks.models import ActionItem, MeetingFile

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_coordinator_adds_action_items_with_an_owner_who_marks_them_done(client, world, meeting):
    client.force_login(world.bob)
    url = f"/mittkoping/networks/meetings/{meeting.pk}/actions/"
    client.post(url, {"title": "Dela mallarna", "owner": world.carol.pk, "due_date": "2027-01-15"})
    item = ActionItem.objects.get()
    assert item.owner == world.carol and item.status == "open"
    client.post(url, {"title": "Utan ägare", "owner": ""})
    assert ActionItem.objects.count() == 1  # an owner is needed
    client.force_login(world.carol)  # the owner changes the status only
    client.post(f"/mittkoping/networks/actions/{item.pk}/", {"status": "done", "title": "Annat"})
    item.refresh_from_db()
    assert item.status == "done" and item.title == "Dela mallarna"
    client.force_login(world.vera)  # a reader neither owns nor coordinates
    assert client.post(f"/mittkoping/networks/actions/{item.pk}/", {"status": "open"}).status_code == 403


def test_the_action_item_list_filters_and_exports_csv(client, world, net, meeting):
    today = datetime.date.today()
    mine = domain.add_action_item(
        meeting=meeting,
        title="Boka lokal",
        owner=world.carol,
        due_date=today - datetime.timedelta(days=2),
        by=world.bob,
    )
    domain.add_action_item(meeting=meeting, title="=SUM(A1)", owner=world.bob, due_date=today, by=world.bob)
    client.force_login(world.carol)
    page = client.get("/mittkoping/networks/actions/", {"owner": "me"}).content.decode()
    assert "Boka lokal" in page and "SUM" not in page and "Försenad" in page
    page = client.get("/mittkoping/networks/actions/", {"status": "overdue"}).content.decode()
    assert "Boka lokal" in page and "SUM" not in page
    csv = client.get("/mittkoping/networks/actions/export.csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "Nätverk;Träff;Tema;Vad;Ansvarig;Klart senast;Status"
    assert f"IKT-nätverket;{meeting.date};AI i undervisningen;Boka lokal;Carol;{mine.due_date};Öppen" in csv
    assert any(";'=SUM(A1);" in row for row in csv)  # no formula
    client.force_login(world.eve)  # in no network
    assert client.get("/mittkoping/networks/actions/export.csv").status_code == 403


def upload(client, meeting, name, content):
    return client.post(
        f"/mittkoping/networks/meetings/{meeting.pk}/files/",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        follow=True,
    )


def test_a_member_shares_a_file_that_only_the_network_can_download(client, world, meeting, settings):
    client.force_login(world.carol)
    page = upload(client, meeting, "Presentation.pdf", PDF).content.decode()
    assert "Filen är delad med nätverket" in page
    stored = MeetingFile.objects.get()
    assert stored.file.name.startswith(f"networks/{world.org.pk}/{meeting.pk}/")
    assert (settings.MEDIA_ROOT / stored.file.name).exists()
    url = f"/mittkoping/networks/files/{stored.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    for outsider in (world.eve, world.charlie):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(world.bob)  # the coordinator removes it
    client.post(f"/mittkoping/networks/files/{stored.pk}/remove/")
    assert not MeetingFile.objects.exists() and not (settings.MEDIA_ROOT / stored.file.name).exists()


def test_a_renamed_file_is_refused_and_nothing_is_stored(client, world, meeting, settings):
    client.force_login(world.carol)
    before = (
        set((settings.MEDIA_ROOT / "networks").rglob("*")) if (settings.MEDIA_ROOT / "networks").exists() else set()
    )
    page = upload(client, meeting, "bild.pdf", PNG).content.decode()
    assert "Filens namn säger .pdf men innehållet är .png" in page
    after = set((settings.MEDIA_ROOT / "networks").rglob("*")) if (settings.MEDIA_ROOT / "networks").exists() else set()
    assert not MeetingFile.objects.exists() and {p for p in after - before if p.is_file()} == set()


@override_settings(STEGVIS_UPLOAD_MAX_BYTES=32)
def test_a_too_large_file_is_refused_and_nothing_is_stored(client, world, meeting):
    client.force_login(world.carol)
    page = upload(client, meeting, "stor.pdf", PDF).content.decode()
    assert "MB är tillåtet" in page
    assert not MeetingFile.objects.exists()


def test_members_comment_on_a_meeting_and_outsiders_cannot(client, world, meeting):
    client.force_login(world.carol)
    client.post(f"/mittkoping/networks/meetings/{meeting.pk}/comments/", {"text": "Tack för en bra träff!"})
    page = client.get(f"/mittkoping/networks/meetings/{meeting.pk}/").content.decode()
    assert "Tack för en bra träff!" in page
    client.force_login(world.vera)  # reads, does not take part
    assert client.post(f"/mittkoping/networks/meetings/{meeting.pk}/comments/", {"text": "x"}).status_code == 403
