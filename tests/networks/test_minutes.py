"""Minutes: a draft for the coordinators, published to the members, plain text rendered safely,
and as PDF (docs/networks.md)."""

import subprocess

from stegvis.networks.formatting import render_minutes


def minutes_url(meeting, suffix=""):
    return f"/mittkoping/networks/meetings/{meeting.pk}/minutes/{suffix}"


def test_members_see_only_published_minutes(client, world, meeting):
    client.force_login(world.bob)
    client.post(minutes_url(meeting), {"text": "Utkast: vi talade om AI", "save": "1"})
    detail = f"/mittkoping/networks/meetings/{meeting.pk}/"
    client.force_login(world.carol)
    page = client.get(detail).content.decode()
    assert "Utkast: vi talade om AI" not in page and "inte publicerade" in page
    assert client.get(minutes_url(meeting)).status_code == 403
    assert client.get(f"/mittkoping/networks/meetings/{meeting.pk}/minutes.pdf").status_code == 404
    client.force_login(world.bob)
    client.post(minutes_url(meeting), {"text": "Vi talade om AI", "publish": "1"})
    client.post(minutes_url(meeting), {"text": "Vi talade om AI och bedömning", "save": "1"})  # a new draft
    client.force_login(world.carol)
    page = client.get(detail).content.decode()
    assert "Vi talade om AI" in page and "och bedömning" not in page


def test_publishing_empty_minutes_is_refused(client, world, meeting):
    client.force_login(world.bob)
    page = client.post(minutes_url(meeting), {"text": "  ", "publish": "1"}).content.decode()
    assert "Skriv minnesanteckningarna innan du publicerar" in page
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None


def test_minutes_formatting_is_simple_and_safe():
    html = render_minutes("# Tema\nVi **enades** om <script>alert(1)</script>\n- ett\n- två\n\nSlut")
    assert "<h3>Tema</h3>" in html and "<strong>enades</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<ul><li>ett</li><li>två</li></ul>" in html and "<p>Slut</p>" in html
    assert "<a " not in render_minutes('<a href="javascript:x">klick</a>')


def test_the_minutes_pdf_has_agenda_attendance_minutes_and_action_items(client, world, meeting, tmp_path):
    from stegvis.networks import domain

    domain.record_attendance(
        meeting=meeting, statuses={world.bob.pk: "present", world.carol.pk: "apology"}, by=world.bob
    )
    domain.add_action_item(meeting=meeting, title="Boka föreläsare", owner=world.carol, by=world.bob)
    domain.save_minutes(meeting=meeting, text="# Beslut\nVi bokar en föreläsare.", by=world.bob, publish=True)
    client.force_login(world.carol)
    response = client.get(f"/mittkoping/networks/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ["AI i undervisningen", "Incheckning", "Bob", "Carol", "Vi bokar en föreläsare", "Boka föreläsare"]:
        assert expected in text


def test_a_long_theme_and_a_pasted_link_stay_on_the_paper(client, world, meeting):
    """The minutes PDF of a meeting with a long compound in its theme and a long link in the
    minutes: nothing runs into the margin or off the page."""
    from stegvis.networks import domain
    from tests.pdf_layout import chars_outside

    meeting.theme = "Kompetensutvecklingsinsatsutvärderingsrapportsammanställningsmöte"
    meeting.save()
    link = "https://www.skolverket.se/skolutveckling/inspiration-och-stod-i-arbetet/stod-i-arbetet/digitalisering-i-skolan?utm_source=natverket"
    domain.save_minutes(meeting=meeting, text=f"# Länkar\nLäs {link}", by=world.bob, publish=True)
    client.force_login(world.bob)
    data = client.get(f"/mittkoping/networks/meetings/{meeting.pk}/minutes.pdf").content
    assert chars_outside(data, margin_mm=15) == []
