"""People on keyboards and phones: autosave keeps the focus where it was, and no page is wider
than a 390 px phone (wide tables scroll inside their own box)."""

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_autosave_keeps_the_focus_on_the_level_so_the_arrow_keys_go_on_working(live_server, page):
    from django_scopes import scopes_disabled

    from stegvis.assessments import domain
    from stegvis.assessments.models import Answer

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=1, indicators=2))
        draft, _ = domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    login(page, live_server, "bob@example.se")
    page.goto(f"{live_server.url}/mittkoping/assessments/{draft.pk}/areas/area-1/")
    first = page.locator("section.indicator").first
    first.locator("input[value='1']").focus()
    for expected in ("2", "3"):
        with page.expect_response(lambda r: "/indicators/" in r.url):
            page.keyboard.press("ArrowDown")
        page.locator("section.indicator").first.locator(".save-status.saved").wait_for()
        page.wait_for_timeout(100)  # htmx settles
        focused = page.evaluate(
            "document.activeElement && [document.activeElement.tagName, document.activeElement.value]"
        )
        assert focused == ["INPUT", expected], focused
    with scopes_disabled():
        assert Answer.objects.get(assessment=draft, indicator__code="A1.1").level == 3
    # the comment keeps the focus too, with what was typed
    box = page.locator("section.indicator").first.locator("textarea")
    box.focus()
    with page.expect_response(lambda r: "/indicators/" in r.url):
        page.keyboard.type("Vi har börjat")
    page.locator("section.indicator").first.locator(".save-status.saved").wait_for()
    page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type(".")
    assert page.locator("section.indicator").first.locator("textarea").input_value() == "Vi har börjat."
