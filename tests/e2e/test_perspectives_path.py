"""Several perspectives on one unit in a real browser, with mail through a real SMTP server on
loopback: the principal invites an IT educator and a work team by e-mail; each accepts,
assesses and publishes; the principal opens the comparison, sees the marked gaps, writes a
note, revises a level and plans an action from a gap (docs/perspectives.md). axe-core on every
page."""

import os
import re
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from stegvis.assessments.models import Assessment, DiscussionNote
from stegvis.planning.models import Action
from tests import factories as f
from tests.mailserver import Inbox, _point_django_at, free_port, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inbox(settings):
    """A real SMTP server on loopback (its port from STEGVIS_TEST_SMTP_PORT when given)."""
    inbox = Inbox()
    port = int(os.environ.get("STEGVIS_TEST_SMTP_PORT") or free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    _point_django_at(settings, port)
    yield inbox
    controller.stop()


def link_to(inbox, address):
    message = next(m for m in inbox.messages if address in m["To"])
    [link] = [link for link in re.findall(r"https?://\S+", text_of(message)) if "/invitation/" in link]
    return urlsplit(link).path


def log_in(page, live_server, email, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def accept_assess_and_publish(page, live_server, inbox, check_a11y, *, email, level_index, name):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link_to(inbox, email)}")
    page.fill("#id_new_password1", "tre gröna äpplen i rad")
    page.fill("#id_new_password2", "tre gröna äpplen i rad")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    assert "Mina perspektivskattningar" in page.content()
    check_a11y(page, f"persp-{name}-01-home")
    page.get_by_role("button", name="Starta värderingen").first.click()
    page.wait_for_url("**/areas/area-1/")
    check_a11y(page, f"persp-{name}-02-area")
    for _area in range(2):
        for block in page.locator("section.indicator").all():
            block.locator("label.level-choice").nth(level_index).click()
            block.locator(".save-status.saved").wait_for()
        page.locator("p.actions a.button.primary").click()
    page.wait_for_url("**/assessments/*/")
    page.get_by_role("button", name="Publicera värderingen").click()
    page.wait_for_url("**/publish/")
    check_a11y(page, f"persp-{name}-03-confirm")
    page.get_by_role("button", name="Publicera värderingen").click()
    page.wait_for_url("**/assessments/*/")
    assert "Publicerad" in page.content()


def test_principal_invites_perspectives_compares_discusses_revises_and_plans(live_server, page, check_a11y, inbox):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=2, indicators=2))
        f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)

    log_in(page, live_server, "bob@example.se", f.PASSWORD)
    page.get_by_role("link", name="Bjud in perspektiv").first.click()
    page.wait_for_url("**/perspectives/")
    check_a11y(page, "persp-01-perspectives")
    page.select_option("#id_perspective", "it_educator")
    page.get_by_role("button", name="Lägg till perspektivet").click()
    page.select_option("#id_perspective", "work_team")
    page.fill("#id_name", "Arbetslag 4-6")
    page.get_by_role("button", name="Lägg till perspektivet").click()
    assert "Arbetslag 4-6" in page.content()
    sections = page.locator("main section.card")
    assert sections.count() == 2
    for n, (email, who) in enumerate((("ikt@example.se", "Iris IKT"), ("al46@example.se", "Arne Arbetslag"))):
        section = page.locator("main section.card").nth(n)
        section.locator("input[name=email]").fill(email)
        section.locator("input[name=full_name]").fill(who)
        section.get_by_role("button", name=re.compile("Lägg till skattaren")).click()
        page.wait_for_url("**/perspectives/")
        assert "inbjuden, har inte accepterat än" in page.content()
    check_a11y(page, "persp-02-invited")
    assert len(inbox.messages) == 2

    # Each perspective accepts, assesses together in its own assessment and publishes.
    accept_assess_and_publish(page, live_server, inbox, check_a11y, email="ikt@example.se", level_index=3, name="it")
    # the work team sees the unit lower: steg 1 everywhere
    accept_assess_and_publish(page, live_server, inbox, check_a11y, email="al46@example.se", level_index=0, name="al")
    # having published, the team sees the others' levels on the comparison
    page.goto(f"{live_server.url}/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/comparison/")
    assert page.locator("tbody.marked").count() == 4

    # The principal opens the comparison: every indicator is marked (the principal 3, the IT educator 4, the work team 1).
    log_in(page, live_server, "bob@example.se", f.PASSWORD)
    page.get_by_role("link", name="Jämför perspektiven").first.click()
    page.wait_for_url("**/comparison/")
    assert page.locator("tbody.marked").count() == 4
    assert "Skiljer 3 steg" in page.content()  # the IT educator 4, the work team 1
    assert page.locator("svg.radar").count() == 1
    check_a11y(page, "persp-03-comparison")

    first = page.locator("tbody.marked").first
    first.locator("textarea").fill("Arbetslaget ser steg 1 – vi tar det på nästa APT.")
    first.get_by_role("button", name=re.compile("Lägg till anteckningen")).click()
    page.wait_for_url("**/comparison/**")
    assert "vi tar det på nästa APT" in page.content()

    # Revise a level from the comparison: a new version, at that indicator.
    page.locator("tbody.marked").first.get_by_role("button", name=re.compile("Ändra nivån")).click()
    page.wait_for_url("**/areas/**")
    block = page.locator("section.indicator").first
    block.locator("label.level-choice").nth(1).click()
    block.locator(".save-status.saved").wait_for()
    with scopes_disabled():
        versions = list(Assessment.objects.filter(unit=world.unit, group=None).values_list("version", "status"))
    assert sorted(versions) == [(1, "published"), (2, "draft")]

    # Plan an action from a gap.
    page.goto(f"{live_server.url}/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/comparison/")
    page.locator("tbody.marked").first.get_by_role("link", name=re.compile("Planera en åtgärd")).click()
    page.wait_for_url("**/actions/new/**")
    page.locator("#id_title").fill("Gemensam planering av digitala verktyg i arbetslaget")
    page.get_by_role("button", name="Spara åtgärden").click()
    page.wait_for_url("**/plans/*/")
    assert "ser steg 1" in page.content()  # the plan shows where the work team sees the unit lower
    check_a11y(page, "persp-04-plan")
    with scopes_disabled():
        action = Action.objects.get()
        assert action.indicator_id is not None
        assert DiscussionNote.objects.filter(unit=world.unit).count() == 1
