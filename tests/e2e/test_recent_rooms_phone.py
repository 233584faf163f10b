"""The rooms added last (competence development, networks, the library, goals with certification,
digital plans, the organiser's plan, what works and the council page, surveys) with the demo's
content, as a person on a 390 px phone and at desktop width: axe finds nothing serious, the page
never scrolls sideways (wide tables scroll in their own box, long filter options fit), and a
printed meeting or plan holds the text without the buttons and forms."""

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def login(page, live_server, username):
    from stegvis.demo.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def sweep(page, live_server, check_a11y, paths, name):
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        for n, path in enumerate(paths):
            url = f"{live_server.url}/mittkoping{path}"
            assert page.goto(url).status == 200, url
            check_a11y(page, f"recent-{name}-{width['width']}-{n:02d}")
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width["width"], url
    page.set_viewport_size(DESKTOP)


def test_the_recent_rooms_pass_axe_on_a_phone_and_on_paper(live_server, page, check_a11y):
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from stegvis.development.models import Initiative
    from stegvis.goals.models import DigitalPlan, Goal, OrganiserPlan
    from stegvis.library.models import Example
    from stegvis.networks.models import Meeting, Network
    from stegvis.organisations.models import Unit
    from stegvis.surveys.models import Survey
    from tests.reflection.helpers import make_questionnaire

    with scopes_disabled():
        framework = f.make_framework(key="stegvis", version="2026.1", areas=4, indicators=3)
        f.add_survey_questions(framework, groups=(("personal", "staff"), ("elever-4-6", "pupils")))
        make_questionnaire(framework)
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        initiative = Initiative.objects.order_by("pk").first()
        meeting = Meeting.objects.exclude(minutes_published_at=None).order_by("pk").first()
        plan = DigitalPlan.objects.filter(status="adopted").order_by("pk").first()
        ids = {
            "initiative": initiative.pk,
            "indicator": initiative.indicators.first().pk,
            "network": Network.objects.order_by("pk").first().pk,
            "meeting": meeting.pk,
            "example": Example.objects.order_by("pk").first().pk,
            "goal": Goal.objects.order_by("pk").first().pk,
            "plan": plan.pk,
            "unit": plan.unit.pk,
            "organiser_plan": OrganiserPlan.objects.get().pk,
            "survey": Survey.objects.order_by("-pk").first().pk,
            "some_unit": Unit.objects.filter(name="Centralskolan F-6").get().pk,
        }
    admin_pages = [
        "/development/",
        "/development/needs/",
        "/development/needs/{indicator}/",
        "/development/new/",
        "/development/{initiative}/",
        "/development/{initiative}/edit/",
        "/development/{initiative}/results/",
        "/networks/",
        "/networks/{network}/",
        "/networks/meetings/",
        "/networks/meetings/{meeting}/",
        "/networks/meetings/{meeting}/minutes/",
        "/networks/actions/",
        "/library/",
        "/library/new/",
        "/library/{example}/",
        "/goals/",
        "/goals/new/",
        "/goals/{goal}/",
        "/goals/what-works/",
        "/goals/certification/",
        "/goals/council/",
        "/goals/plans/",
        "/goals/plans/{plan}/",
        "/goals/organiser-plan/",
        "/surveys/",
        "/surveys/new/",
        "/surveys/{survey}/",
        "/surveys/{survey}/results/",
        "/units/{some_unit}/survey-results/",
    ]
    login(page, live_server, "admin@mittkoping.se")
    sweep(page, live_server, check_a11y, [p.format(**ids) for p in admin_pages], "admin")

    # on paper: the minutes and the plans without the buttons and the forms that add things
    page.emulate_media(media="print")
    for path in ("/networks/meetings/{meeting}/", "/goals/plans/{plan}/", "/goals/organiser-plan/"):
        url = f"{live_server.url}/mittkoping{path.format(**ids)}"
        page.goto(url)
        assert page.locator("main h1").is_visible(), url
        assert page.locator("main button:visible, main .button:visible, main input:visible").count() == 0, url
    page.emulate_media(media="screen")

    # a principal's own path: their competence development and their unit's plan
    login(page, live_server, "daniel.fredriksson@mittkoping.se")
    sweep(
        page,
        live_server,
        check_a11y,
        ["/development/mine/", "/development/", "/goals/plans/"],
        "principal",
    )
