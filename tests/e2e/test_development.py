"""Competence development in the browser: the organiser finds a need on an indicator and creates
an initiative from it, adds goals and tracks; two staff members enrol and choose their tracks;
the organiser enrols three more, opens the evaluation; five answer through their mailed links;
the results are shown against each goal, beside a linked measurable goal's figures. axe-core on
every page."""

import datetime
import re

import pytest

from stegvis.goals import domain as goals
from tests import factories as f
from tests.mailserver import text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def test_an_initiative_from_a_need_to_its_evaluation(live_server, browser, page, check_a11y, smtp_server):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        framework = f.make_framework(areas=2, indicators=2)
        world = f.World.build(framework=framework)
        f.published_assessment(world.unit, world.rnd, by=world.bob, level=1)
        f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
        measurable = goals.set_goal(
            organizer=world.org,
            by=world.alice,
            title="Alla enheter har publicerat",
            measure="units_published",
            baseline_round=world.rnd,
            target_value=100,
            target_date=datetime.date(2028, 6, 30),
        )
        others = []
        for n in range(3):
            user = f.UserFactory(email=f"larare{n}@example.se", full_name=f"Lärare {n}")
            f.member(user, world.org, "contributor", unit=world.unit)
            others.append(user)
    base = f"{live_server.url}/mittkoping/development"

    # the need, and an initiative made from it
    login(page, live_server, "alice@example.se")
    page.goto(f"{base}/needs/")
    check_a11y(page, "development-needs")
    page.get_by_role("link", name=re.compile("A1.1")).click()
    assert "50 %" in page.content()
    check_a11y(page, "development-need")
    page.get_by_role("link", name="Skapa en insats för det här behovet").click()
    assert "Behovet bakom insatsen" in page.content()
    check_a11y(page, "development-new")
    page.fill("#id_title", "Ledarskap i digital skolutveckling")
    page.fill("#id_purpose", "Stärka det digitala ledarskapet.")
    page.fill("#id_starts_on", "2026-09-01")
    page.fill("#id_ends_on", "2027-05-31")
    page.select_option("#id_status", "open")
    page.fill("#id_choose_at_most", "2")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r".*/development/\d+/$"))
    initiative_url = page.url
    for text, check in (
        ("Rektorerna leder det digitala arbetet", "Utvärderingen"),
        ("Varje skola har en plan", "Planerna"),
    ):
        if not page.locator("#id_goal-text").is_visible():
            page.get_by_text("Lägg till ett mål").click()
        page.fill("#id_goal-text", text)
        page.fill("#id_goal-check", check)
        page.get_by_role("button", name="Lägg till målet").click()
    for n in range(3):
        if not page.locator("#id_track-title").is_visible():
            page.get_by_text("Lägg till ett spår").click()
        page.fill("#id_track-title", f"Spår {n + 1}")
        page.fill("#id_track-starts_at", f"2026-10-0{n + 1}T13:00")
        page.fill("#id_track-capacity", "10")
        page.get_by_role("button", name="Lägg till spåret").click()
    # a measurable goal from the goals room beside the stated ones, with its figures
    page.select_option("#id_measurable-goal", str(measurable.pk))
    page.get_by_role("button", name="Koppla målet").click()
    page.wait_for_url(re.compile(r".*#measurable-goals$"))
    section = page.locator("section.measurable-goals")
    assert "Alla enheter har publicerat" in section.inner_text() and "100 %" in section.inner_text()
    html = page.content()
    assert "Spår 3" in html and "Varje skola har en plan" in html
    check_a11y(page, "development-initiative-owner")

    # two staff members enrol and choose their tracks
    for user, tracks in (("bob@example.se", ["Spår 1", "Spår 2"]), ("carol@example.se", ["Spår 2", "Spår 3"])):
        login(page, live_server, user)
        page.goto(initiative_url)
        page.get_by_role("button", name="Anmäl dig").click()
        page.wait_for_url("**/my-tracks/")
        check_a11y(page, f"development-tracks-{user[:3]}")
        for title in tracks:
            page.get_by_label(title).check()
        page.get_by_role("button", name="Spara mina spår").click()
        page.wait_for_url(initiative_url)
        page.goto(f"{base}/mine/")
        assert tracks[0] in page.content() and tracks[1] in page.content()
    check_a11y(page, "development-mine")

    # the owner enrols three more and opens the evaluation
    login(page, live_server, "alice@example.se")
    page.goto(initiative_url)
    for user in others:
        page.select_option("#id_enrol-user", str(user.pk))
        page.get_by_role("button", name="Anmäl personen").click()
    assert "5 deltagare" in page.content()
    page.get_by_role("button", name="Öppna utvärderingen och mejla länkarna").click()
    assert "Utvärderingen är öppen" in page.content()
    assert len(smtp_server.messages) == 5
    paths = [re.search(r"/t/[A-Za-z0-9_-]+/survey/own/", text_of(m)).group(0) for m in smtp_server.messages]
    links = [live_server.url + path for path in paths]

    # five participants answer through their own links, without logging in
    for n, link in enumerate(links):
        context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
        answer = context.new_page()
        answer.goto(link)
        assert "Hur väl nåddes målet: Rektorerna leder det digitala arbetet" in answer.content()
        if n == 0:
            check_a11y(answer, "development-evaluation-answer")
        for fieldset in answer.locator("fieldset.survey-question").all():
            fieldset.get_by_label("I stor utsträckning" if n < 4 else "Inte alls", exact=True).check()
        answer.fill("textarea", "Bra spår.")
        answer.get_by_role("button", name="Skicka mina svar").click()
        answer.wait_for_url("**/thanks/")
        context.close()

    # the results against the goals: figures from five answers; free text waits for ten
    page.goto(f"{initiative_url}results/")
    html = page.content()
    assert "5 svar från 5 personliga länkar" in html
    assert html.count("80 % svarade i stor utsträckning eller helt och hållet.") == 2
    assert "Rektorerna leder det digitala arbetet" in html and "Bra spår" not in html
    assert "Fritextsvar visas bara där minst tio har svarat." in html
    assert "Mätbara mål" in html and "Alla enheter har publicerat" in html
    check_a11y(page, "development-results")
    response = page.request.get(f"{initiative_url}report.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
