"""Every page an organiser admin or a principal reads, through axe-core: no serious or critical
violations (contrast, labels, landmarks, names of links and buttons)."""

import pytest

from stegvis.planning import domain as planning
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_every_page_passes_axe(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        framework = f.make_framework(areas=4, indicators=2)
        world = f.World.build(framework=framework)
        assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
        action = planning.add_action(
            plan=plan, by=world.bob, title="Fortbildning", priority=1, indicator=framework.indicators.first()
        )
        planning.add_note(action=action, by=world.bob, date=world.rnd.opens_on, text="Första träffen")
        f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
        ids = {
            "unit": world.unit.pk,
            "round": world.rnd.pk,
            "assessment": assessment.pk,
            "plan": plan.pk,
            "action": action.pk,
            "district": world.district.pk,
            "user": world.bob.pk,
        }

    admin_pages = [
        "/",
        "/organisation/districts/",
        "/organisation/districts/new/",
        "/organisation/districts/{district}/",
        "/organisation/units/",
        "/organisation/units/new/",
        "/organisation/units/{unit}/",
        "/organisation/units/import/",
        "/organisation/users/",
        "/organisation/users/new/",
        "/organisation/users/{user}/",
        "/organisation/users/{user}/roles/new/",
        "/organisation/settings/",
        "/rounds/",
        "/rounds/new/",
        "/rounds/{round}/edit/",
        "/overview/",
        "/overview/?mode=plan",
        "/overview/todo/",
        "/overview/status/",
        "/overview/maturity/",
        "/overview/districts/",
        "/overview/spread/",
        "/units/{unit}/compare/",
        "/exports/",
        "/reports/board/?round={round}",
        "/units/{unit}/",
        "/assessments/{assessment}/",
        "/plans/{plan}/",
        "/actions/{action}/",
        # notifications (issue 9)
        "/rounds/{round}/reminders/",
        "/rounds/{round}/remind/?unpublished=1",
        "/notifications/",
    ]
    login(page, live_server, "alice@example.se")
    for n, path in enumerate(admin_pages):
        url = f"{live_server.url}/mittkoping{path.format(**ids)}"
        response = page.goto(url)
        assert response.status == 200, url
        check_a11y(page, f"sweep-admin-{n:02d}")
    # the same pages on a 390 px phone: no sideways scrolling, wide tables scroll in their box
    page.set_viewport_size({"width": 390, "height": 844})
    for n, path in enumerate(admin_pages):
        url = f"{live_server.url}/mittkoping{path.format(**ids)}"
        assert page.goto(url).status == 200, url
        check_a11y(page, f"sweep-phone-admin-{n:02d}")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, url
    page.set_viewport_size({"width": 1280, "height": 900})

    page.context.clear_cookies()
    login(page, live_server, "bob@example.se")
    for n, path in enumerate(
        [
            "/",
            "/units/{unit}/",
            "/plans/{plan}/",
            "/plans/{plan}/actions/new/",
            "/actions/{action}/",
            "/assessments/{assessment}/",
        ]
    ):
        url = f"{live_server.url}/mittkoping{path.format(**ids)}"
        assert page.goto(url).status == 200, url
        check_a11y(page, f"sweep-principal-{n:02d}")

    # the site's own error pages, at desktop and phone width
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.goto(f"{live_server.url}/mittkoping/overview/").status == 403
        check_a11y(page, f"sweep-403-{width}")
        assert page.goto(f"{live_server.url}/mittkoping/units/999999/").status == 404
        check_a11y(page, f"sweep-404-{width}")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})

    # read-only pages of an organiser viewer
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "vera@example.se")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")
    for n, path in enumerate(["/assessments/{assessment}/areas/area-1/", "/actions/{action}/", "/plans/{plan}/"]):
        url = f"{live_server.url}/mittkoping{path.format(**ids)}"
        assert page.goto(url).status == 200, url
        assert page.locator("main input, main textarea, main select").count() == 0, url
        check_a11y(page, f"sweep-viewer-{n:02d}")

    # the confirmation before a round is closed
    page.context.clear_cookies()
    login(page, live_server, "alice@example.se")
    page.goto(f"{live_server.url}/mittkoping/rounds/")
    page.locator("button[name=status][value=closed]").first.click()
    page.wait_for_url("**/status/")
    assert page.get_by_role("button", name="Stäng omgången").count() == 1
    check_a11y(page, "sweep-close-round-confirm")

    # the survey answer pages (issue 12), on a phone, and the page of a closed survey
    import datetime

    from django.utils import timezone

    from stegvis.surveys import domain as surveys

    with scopes_disabled():
        f.add_survey_questions(framework)
        now = timezone.now()
        survey = surveys.open_survey(
            organizer=world.org,
            round=world.rnd,
            respondent_group="elever",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=3),
            units=[world.unit],
            distribution="links",
            k=5,
            by=world.alice,
        )
        closed = surveys.open_survey(
            organizer=world.org,
            round=world.rnd,
            respondent_group="personal",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=3),
            units=[world.unit],
            distribution="links",
            k=5,
            by=world.alice,
        )
        surveys.close_survey(survey=closed, by=world.alice)
        link, closed_link = survey.links.get().public_token, closed.links.get().public_token
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/t/{link}/survey/")
    check_a11y(page, "sweep-survey-intro")
    page.get_by_role("button", name="Börja enkäten").click()
    check_a11y(page, "sweep-survey-screen")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Tillbaka").click()
    while page.get_by_role("button", name="Skicka mina svar").count() == 0:
        page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Skicka mina svar").click()
    page.wait_for_url("**/thanks/")
    check_a11y(page, "sweep-survey-thanks")
    page.goto(f"{live_server.url}/t/{closed_link}/survey/")
    assert "Enkäten är stängd" in page.content()
    check_a11y(page, "sweep-survey-closed")


def test_role_form_shows_only_the_scope_the_role_needs(live_server, page):
    from django_scopes import scopes_disabled

    from stegvis.organisations.models import Membership

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework())
    login(page, live_server, "alice@example.se")
    page.goto(f"{live_server.url}/mittkoping/organisation/users/{world.bob.pk}/roles/new/")
    district, unit = page.locator("#id_district"), page.locator("#id_unit")
    page.select_option("#id_role", "district_lead")
    assert district.is_visible() and not unit.is_visible()
    page.select_option("#id_role", "contributor")
    assert unit.is_visible() and not district.is_visible()
    page.select_option("#id_unit", str(world.other_unit.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    with scopes_disabled():
        assert Membership.objects.filter(user=world.bob, role="contributor", unit=world.other_unit).exists()


def test_a_five_level_organiser_framework_passes_axe(live_server, page, check_a11y):
    """A 360 degree safe-like framework of the organiser's own (levels labelled 5 down to 1,
    strands, an optional aspect): the colours of all five levels, the strand headings and the
    grouped grid header pass axe on the assessment, plan and overview pages."""
    from datetime import timedelta
    from pathlib import Path

    from django_scopes import scopes_disabled

    from stegvis.assessments import domain as assessments
    from stegvis.frameworks.loader import load_framework

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework())
        fw, _created = load_framework(
            Path(__file__).resolve().parents[1] / "frameworks" / "data" / "360-like.yaml", organizer=world.org
        )
        # the latest round (so the unit page shows it), but open already: an upcoming round cannot be started
        rnd = f.make_round(world.org, fw, name="Läsår 2026/27 (360)", opens_on=world.rnd.opens_on + timedelta(days=14))
        units = [world.unit, world.other_unit] + [
            f.UnitFactory(organizer=world.org, district=world.district, name=f"Skola {n}") for n in range(3)
        ]
        # every level somewhere in the grid: unit n answers level n + 1 (labels 5 .. 1)
        for n, unit in enumerate(units):
            draft, _ = assessments.start_assessment(unit=unit, round=rnd, by=world.alice)
            for ind in assessments.applicable_indicators(framework=fw, unit=unit).filter(optional=False):
                assessments.save_answer(
                    assessment=draft, indicator=ind, level=n + 1, expected_revision=None, by=world.alice
                )
            if unit != world.other_unit:
                _published, plan = planning.publish(assessment=draft, by=world.alice)
                if unit == world.unit:
                    assessment, unit_plan = draft, plan
            else:
                other_draft = draft
        ids = {"round": rnd.pk, "assessment": assessment.pk, "plan": unit_plan.pk, "unit": world.unit.pk}
        ids["draft"] = other_draft.pk

    login(page, live_server, "alice@example.se")
    for n, path in enumerate(
        [
            "/overview/?round={round}",
            "/overview/?round={round}&mode=plan",
            "/assessments/{assessment}/",
            "/assessments/{assessment}/areas/policy-leadership/",
            "/plans/{plan}/",
            "/units/{unit}/",
        ]
    ):
        url = f"{live_server.url}/mittkoping{path.format(**ids)}"
        assert page.goto(url).status == 200, url
        check_a11y(page, f"sweep-five-levels-{n:02d}")
    page.context.clear_cookies()
    login(page, live_server, "eve@example.se")
    url = f"{live_server.url}/mittkoping/assessments/{ids['draft']}/areas/policy-leadership/"
    assert page.goto(url).status == 200
    assert page.locator("h3.group").first.inner_text() == "Ansvar"
    check_a11y(page, "sweep-five-levels-draft-area")
