"""The API page in Chromium: an admin makes a token (shown once), the pages pass axe-core at
desktop and phone width, and the browsable API docs render under the site's CSP (no CDN)."""

import re

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_makes_a_token_and_reads_the_api_docs(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        f.World.build(framework=f.make_framework())
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice@example.se")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    page.click("nav >> text=Administration")
    page.click("nav >> text=API")
    check_a11y(page, "api-tokens-empty")
    page.click("text=Ny API-nyckel")
    check_a11y(page, "api-token-new")
    page.fill("#id_name", "Power BI")
    page.check("input[value=write]")
    page.click("button.primary")
    token = page.input_value("#token")
    assert re.fullmatch(r"stegvis_[A-Za-z0-9_-]{43}", token)
    check_a11y(page, "api-token-created")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    check_a11y(page, "api-token-created-phone")
    page.click("text=Tillbaka till API och öppna data")
    assert "Power BI" in page.content() and token not in page.content()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    check_a11y(page, "api-tokens-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: problems.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/units" in [p.replace("\u200b", "") for p in paths]
    assert problems == []
