"""The round's dates form, the year wheel and the feed page in Chromium: an organiser admin sets
the dates and a follow-up, adds an own event, filters the wheel, turns a feed on and fetches it;
axe on every page, at desktop and phone width."""

import datetime

import icalendar
import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")


def school_year():
    today = datetime.date.today()
    return today.year if today.month >= 8 else today.year - 1


def test_round_dates_year_wheel_and_feed(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework(areas=1, indicators=2))
        y = school_year()
        world.rnd.opens_on = datetime.date(y, 8, 15)
        world.rnd.deadline = datetime.date(y, 12, 15)
        world.rnd.save()
    base = f"{live_server.url}/mittkoping"
    login(page, live_server, "alice@example.se")

    # the round's dates: a survey window outside the round is refused, in words, and kept
    page.goto(f"{base}/rounds/{world.rnd.pk}/edit/")
    page.fill("#id_closes_on", f"{y + 1}-06-15")
    page.fill("#id_survey_opens_on", f"{y}-08-01")
    page.fill("#id_survey_closes_on", f"{y}-09-30")
    page.click("button.primary[type=submit]")
    assert "öppnar för tidigt" in page.locator("#id_survey_opens_on_error").inner_text()
    assert page.input_value("#id_closes_on") == f"{y + 1}-06-15"
    check_a11y(page, "calendar-round-dates-error")
    page.fill("#id_survey_opens_on", f"{y}-09-01")
    page.click("button.primary[type=submit]")
    page.wait_for_url(f"{base}/rounds/")

    # a follow-up date
    page.goto(f"{base}/rounds/{world.rnd.pk}/edit/")
    check_a11y(page, "calendar-round-edit")
    page.get_by_role("link", name="Lägg till ett uppföljningsdatum").click()
    page.fill("#id_date", f"{y + 1}-01-20")
    page.fill("#id_title", "Halvårsuppföljning")
    check_a11y(page, "calendar-follow-up-new")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(f"{base}/rounds/{world.rnd.pk}/edit/")
    assert "Halvårsuppföljning" in page.locator("table").inner_text()

    # an own event, through the year wheel
    page.get_by_role("link", name="Årshjul").first.click()
    page.get_by_role("link", name="Lägg till en händelse").click()
    page.fill("#id_title", "Kvalitetsdialog med nämnden")
    page.fill("#id_starts_on", f"{y}-10-14")
    page.fill("#id_starts_at", "13:00")
    page.fill("#id_ends_at", "15:00")
    check_a11y(page, "calendar-event-new")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(f"{base}/calendar/")
    listing = page.locator("#wheel-list")
    for text in ("Halvårsuppföljning", "Kvalitetsdialog med nämnden", "Enkätperiod", "Sista dag att publicera"):
        assert text in listing.inner_text(), text
    assert page.locator("svg.year-wheel").count() == 1
    check_a11y(page, "calendar-wheel")

    # filter by kind: only follow-ups
    page.get_by_label("Uppföljningsdatum").check()
    page.get_by_role("button", name="Visa", exact=True).click()
    text = page.locator("#wheel-list").inner_text()
    assert "Halvårsuppföljning" in text and "Kvalitetsdialog" not in text
    check_a11y(page, "calendar-wheel-filtered")

    # phone width: no sideways scrolling, the list below the wheel
    page.set_viewport_size(PHONE)
    for path in ("/calendar/", f"/rounds/{world.rnd.pk}/edit/", "/calendar/events/new/", "/calendar/feed/"):
        assert page.goto(base + path).status == 200, path
        check_a11y(page, "calendar-phone" + path.replace("/", "-"))
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, path
    page.set_viewport_size({"width": 1280, "height": 900})

    # the personal feed: turned on, its address shown once, a valid calendar behind it
    page.goto(f"{base}/calendar/feed/")
    page.get_by_role("button", name="Slå på flödet").click()
    address = page.input_value("#feed-address")
    check_a11y(page, "calendar-feed-on")
    response = page.request.get(address)
    assert response.status == 200
    cal = icalendar.Calendar.from_ical(response.body())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Kvalitetsdialog med nämnden" in summaries
    page.get_by_role("button", name="Stäng av flödet").click()
    assert page.request.get(address).status == 404

    # the principal's start page: the dates with the days left
    page.context.clear_cookies()
    login(page, live_server, "bob@example.se")
    dates = page.locator("ul.round-dates").first.inner_text()
    assert "Publicera senast" in dates and "Halvårsuppföljning" in dates
    check_a11y(page, "calendar-principal-start")
    page.goto(f"{base}/calendar/")
    check_a11y(page, "calendar-wheel-principal")
