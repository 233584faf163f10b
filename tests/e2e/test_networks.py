"""A network meeting held in Chromium: an organiser admin creates the network and appoints a
coordinator; the coordinator adds a member, plans a meeting (which starts with the network's
default agenda), records who came, adds an action item, writes a draft and publishes the
minutes; the member reads them and downloads the PDF. axe on every page, at desktop and phone
width."""

import datetime

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_a_network_meeting_is_held_with_agenda_attendance_minutes_and_an_action_item(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=2, indicators=2))
    base = f"{live_server.url}/mittkoping"
    day = datetime.date.today() + datetime.timedelta(days=7)

    # the organiser admin creates the network, with a default agenda, and appoints bob
    login(page, live_server, "alice@example.se")
    page.locator("summary", has_text="Utveckling").click()
    page.get_by_role("link", name="Nätverk", exact=True).click()
    page.get_by_role("link", name="Nytt nätverk").click()
    page.fill("#id_name", "IKT-nätverket grundskola")
    page.fill("#id_default_agenda", "Incheckning\nDagens tema\nTill nästa gång")
    check_a11y(page, "networks-new")
    page.get_by_role("button", name="Skapa").click()
    assert "Nätverket är skapat" in page.content()
    page.select_option("#id_user", label="Bob (bob@example.se)")
    page.select_option("#id_role", "coordinator")
    page.get_by_role("button", name="Lägg till").click()
    assert "Bob" in page.locator("main").inner_text()
    check_a11y(page, "networks-detail-admin")
    network_url = page.url

    # the coordinator adds carol and plans a meeting
    login(page, live_server, "bob@example.se")
    page.goto(network_url)
    page.select_option("#id_user", label="Carol (carol@example.se)")
    assert page.locator("#id_role").count() == 0  # coordinators are appointed by admins
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_role("link", name="Planera en träff").click()
    page.fill("#id_theme", "Digitala verktyg för formativ bedömning")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_starts_at", "14:30")
    page.fill("#id_ends_at", "16:00")
    page.get_by_role("button", name="Planera träffen").click()
    assert "Ange en plats eller en videolänk" in page.content()  # refused in words, input kept
    assert page.input_value("#id_theme") == "Digitala verktyg för formativ bedömning"
    check_a11y(page, "networks-meeting-new-error")
    page.fill("#id_place", "Centralskolan, personalrummet")
    page.get_by_role("button", name="Planera träffen").click()
    agenda = page.locator("main ol").first.inner_text()
    assert agenda.splitlines() == ["Incheckning", "Dagens tema", "Till nästa gång"]
    meeting_url = page.url

    # who came, an action item, the minutes as a draft and then published
    page.get_by_role("link", name="Registrera närvaro").click()
    page.get_by_label("Bob").select_option("present")
    page.get_by_label("Carol").select_option("apology")
    check_a11y(page, "networks-attendance")
    page.get_by_role("button", name="Spara").click()
    assert "1 närvarande" in page.content() and "1 har anmält förhinder" in page.content()
    page.fill("#id_title", "Samla mallarna i nätverkets mapp")
    page.select_option("#id_owner", label="Carol (carol@example.se)")
    page.fill("#id_due_date", (day + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Lägg till åtgärdspunkten").click()
    assert "Samla mallarna" in page.locator("#action-items + .table-wrap").inner_text()
    page.get_by_role("link", name="Skriv minnesanteckningar").click()
    page.fill("#id_text", "# Dagens tema\nVi provade **exit tickets**.\n- Centralskolan delar mallar")
    page.get_by_role("button", name="Spara utkastet").click()
    assert "inte publicerade än" in page.content()
    page.get_by_role("link", name="Skriv minnesanteckningar").click()
    check_a11y(page, "networks-minutes")
    page.get_by_role("button", name="Publicera minnesanteckningarna").click()
    assert page.locator(".minutes strong").inner_text() == "exit tickets"
    check_a11y(page, "networks-meeting-coordinator")

    # the member reads the published minutes, sees the action item and fetches the PDF
    login(page, live_server, "carol@example.se")
    page.goto(meeting_url)
    assert "Vi provade" in page.locator(".minutes").inner_text()
    assert page.get_by_role("link", name="Skriv minnesanteckningar").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_a11y(page, "networks-meeting-member")
    page.goto(f"{base}/networks/actions/?owner=me")
    assert "Samla mallarna i nätverkets mapp" in page.locator("table").inner_text()
    check_a11y(page, "networks-actions")
    page.set_viewport_size(PHONE)
    page.goto(meeting_url)
    check_a11y(page, "networks-meeting-phone")
    page.goto(f"{base}/networks/meetings/")
    check_a11y(page, "networks-meetings-phone")
    assert world.org.slug == "mittkoping"
