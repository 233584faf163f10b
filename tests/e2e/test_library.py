"""The library of good examples in Chromium: a contributor shares a Word file with every
organiser through the menu and the form; an admin of another organiser finds it by an inflected
Swedish word that stands only in the file's text, reads it (with the sharing organiser's name,
not the person's) and downloads it; axe on every page, at desktop and phone width."""

import pytest

from stegvis.library.samples import docx_bytes
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page, live_server, username, slug):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/{slug}/")


def test_a_document_is_shared_and_found_by_a_swedish_word_in_it(live_server, page, check_a11y, tmp_path):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=1, indicators=2))
        f.make_round(world.other_org, world.rnd.framework, name="Läsår 2026/27")
    document = tmp_path / "policy.docx"
    document.write_bytes(
        docx_bytes(
            title="Policy",
            paragraphs=["Varje elev lånar en lärplatta som skolan äger.", "Lösenord är personliga."],
        )
    )

    login(page, live_server, "carol@example.se", "mittkoping")
    page.get_by_text("Utveckling", exact=True).click()
    page.get_by_role("link", name="Goda exempel").click()
    page.wait_for_url(f"{live_server.url}/mittkoping/library/")
    check_a11y(page, "library-empty")
    page.get_by_role("link", name="Dela ett exempel").click()
    check_a11y(page, "library-share-form")
    page.fill("#id_title", "Användarpolicy för elevernas enheter")
    page.select_option("#id_kind", "policy")
    page.fill("#id_description", "Hur eleverna lånar och vårdar sina enheter.")
    page.set_input_files("#id_file", str(document))
    page.check("#id_school_forms_1")  # grundskola
    page.check("#id_shared")
    page.click("button.primary[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/library/*/")
    assert "Delat i biblioteket" in page.content() or "biblioteket" in page.content()
    check_a11y(page, "library-detail-own")

    # another organiser: found by "lärplattor", a form of a word only in the file's text
    page.context.clear_cookies()
    login(page, live_server, "charlie@example.se", "annanstad")
    page.goto(f"{live_server.url}/annanstad/library/")
    page.fill("#id_q", "lärplattor")
    page.get_by_role("button", name="Filtrera").click()
    result = page.locator("ul.examples li")
    assert result.count() == 1
    assert "Användarpolicy för elevernas enheter" in result.inner_text()
    assert "Delat av Mittköpings kommun" in result.inner_text()
    check_a11y(page, "library-search-other-organiser")
    result.get_by_role("link").click()
    assert "Carol" not in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Redigera").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned").click()
    assert download.value.suggested_filename == "policy.docx"
    check_a11y(page, "library-detail-shared")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/annanstad/library/?q=l%C3%A4rplattorna")
    assert page.locator("ul.examples li").count() == 1
    check_a11y(page, "library-search-phone")
