"""The principal's path in a real browser: log in, answer, publish, plan, see the radar."""

import pytest

from stegvis.assessments.models import Assessment
from stegvis.planning.models import Action
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_principal_assesses_publishes_plans_and_sees_radar(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        framework = f.make_framework(areas=3, indicators=2)
        world = f.World.build(framework=framework)

    page.goto(f"{live_server.url}/login/")
    check_a11y(page, "01-login")
    page.get_by_label("E-postadress").fill("bob@example.se")
    page.get_by_label("Lösenord").fill(f.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    check_a11y(page, "02-home")

    page.get_by_role("button", name="Starta värderingen").first.click()
    page.wait_for_url("**/areas/area-1/")
    check_a11y(page, "03-assessment-area")

    # Keyboard only: Tab to the first indicator's levels, arrow to level 2; it saves at once.
    first = page.locator("section.indicator").first
    first.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowRight")
    first = page.locator("section.indicator").first
    first.locator(".save-status.saved").wait_for()
    assert first.locator("input[value='2']").is_checked()
    assert "1 av 6 besvarade" in page.content()

    # Answer every indicator, area by area; each choice is saved at once (htmx).
    for _area in range(1, 4):
        for block in page.locator("section.indicator").all():
            block.locator("label.level-choice").nth(1).click()
            block.locator(".save-status.saved").wait_for()
        page.locator("p.actions a.button.primary").click()
    page.wait_for_url("**/assessments/*/")
    assert "0 indikatorer återstår" in page.content()
    check_a11y(page, "04-summary")

    page.get_by_role("button", name="Publicera värderingen").click()
    page.wait_for_url("**/publish/")  # it asks first and says what follows
    assert "Vad som händer sedan" in page.content()
    check_a11y(page, "04b-publish-confirm")
    page.get_by_role("button", name="Publicera värderingen").click()
    page.wait_for_url("**/plans/*/")
    with scopes_disabled():
        assert Assessment.objects.get(unit=world.unit).status == "published"
    check_a11y(page, "05-plan")

    page.get_by_role("link", name="Planera detta").first.click()
    page.get_by_label("1 – hög").check()
    page.get_by_label("Ansvarig (ett namn)").fill("Rektor Bob")
    page.get_by_label("Klart senast").fill("2027-03-01")
    check_a11y(page, "06-action-form")
    page.get_by_role("button", name="Spara åtgärden").click()
    page.wait_for_url("**/plans/*/")
    with scopes_disabled():
        action = Action.objects.get()
    assert action.priority == 1 and action.owner == "Rektor Bob"

    page.goto(f"{live_server.url}/mittkoping/units/{world.unit.pk}/")
    assert page.locator("svg.radar, svg.bars").count() == 2
    assert page.locator("svg[role=img]").first.get_attribute("aria-label")
    check_a11y(page, "07-unit")
