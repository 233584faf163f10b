"""The organiser's and the principal's survey pages: open, links and QR codes, group codes,
personal links, reminders, closing, results with suppression, the export and the handout."""

import datetime
import re

from django.utils import timezone

from stegvis.core.models import SentMail
from stegvis.organisations.access import Access
from stegvis.surveys import aggregate, domain, results
from stegvis.surveys.models import Response, Survey, SurveyLink
from tests import factories as f
from tests.mailserver import text_of

from .conftest import all_answers, link_path, open_survey, send


def _window():
    now = timezone.localtime()
    return {
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_the_organiser_opens_a_survey_for_many_units(client, world):
    client.force_login(world.alice)
    data = {"round": world.rnd.pk, "respondent_group": "elever", "all_units": "on", "distribution": "links", "k": "5"}
    page = client.post("/mittkoping/surveys/new/", {**data, **_window()})
    survey = Survey.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/mittkoping/surveys/{survey.pk}/"
    assert set(survey.links.values_list("unit__name", flat=True)) == {"Ekskolan", "Björkskolan"}
    html = client.get(page["Location"]).content.decode()
    assert html.count("<svg") >= 2 and "/t/" in html  # a link and a QR code per unit


def test_a_principal_opens_a_survey_for_their_unit_only(client, world):
    client.force_login(world.bob)
    data = {"round": world.rnd.pk, "respondent_group": "personal", "distribution": "links", "k": "5"}
    page = client.post("/mittkoping/surveys/new/", {**data, **_window(), "units": [world.other_unit.pk]})
    assert page.status_code == 200 and Survey.objects.count() == 0
    page = client.post("/mittkoping/surveys/new/", {**data, **_window(), "units": [world.unit.pk]})
    assert page.status_code == 302 and Survey.objects.get().links.get().unit == world.unit


def test_k_cannot_be_lowered_and_the_window_must_make_sense(client, world):
    client.force_login(world.alice)
    window = _window()
    data = {"round": world.rnd.pk, "respondent_group": "personal", "all_units": "on", "distribution": "links"}
    page = client.post("/mittkoping/surveys/new/", {**data, **window, "k": "3"})
    assert page.status_code == 200 and Survey.objects.count() == 0
    page = client.post(
        "/mittkoping/surveys/new/", {**data, "k": "5", "opens_at": window["closes_at"], "closes_at": window["opens_at"]}
    )
    assert "Enkäten måste stänga efter att den öppnar" in page.content.decode()


def test_a_group_code_gets_its_own_link_and_the_handout_is_a_pdf(client, world):
    survey = open_survey(world)
    client.force_login(world.alice)
    page = client.post(
        f"/mittkoping/surveys/{survey.pk}/codes/",
        {"code-unit": world.unit.pk, "code-code": "4A", "code-expected": "25"},
    )
    assert page.status_code == 302
    link = SurveyLink.objects.get(code="4A")
    assert link.expected == 25
    pdf = client.get(f"/mittkoping/surveys/{survey.pk}/links/{link.pk}/handout.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a tampered code is refused with a message, nothing added
    client.post(f"/mittkoping/surveys/{survey.pk}/codes/", {"code-unit": world.unit.pk, "code-code": "<x>"})
    assert SurveyLink.objects.count() == 2


def test_personal_links_are_mailed_work_once_and_keep_no_address(client, world, smtp_server):
    survey = open_survey(world, distribution="personal")
    client.force_login(world.alice)
    page = client.post(
        f"/mittkoping/surveys/{survey.pk}/personal/",
        {"personal-unit": world.unit.pk, "personal-emails": "anna@example.se\nbo@example.se"},
    )
    assert page.status_code == 302
    mails = list(SentMail.objects.filter(kind="survey_invitation").order_by("to_email"))
    assert [m.to_email for m in mails] == ["anna@example.se", "bo@example.se"]
    assert not any("@" in str(v) for v in SurveyLink.objects.values_list("code", "public_token"))
    # the token is blanked from the record once delivered
    assert not any(re.search(r"/t/[A-Za-z0-9_-]{59}/", m.body_text + m.body_html) for m in mails)
    client.logout()
    message = next(m for m in smtp_server.messages if m["To"] == "anna@example.se")
    path = re.search(r"(/t/[^/\s]+/survey/)", text_of(message)).group(1)
    assert send(client, path, survey, all_answers(survey)).status_code == 302
    assert "Den här länken har redan använts" in client.get(path).content.decode()
    # a second form sent through the used link (one kept open in another tab) is refused
    assert send(client, path, survey, all_answers(survey), key="another-form-key-0123").status_code == 409
    assert Response.objects.count() == 1
    assert SurveyLink.objects.filter(used=True).count() == 1
    # the response says nothing about which link it came through
    assert Response.objects.get().code == ""


def test_reminders_go_to_the_principals_of_units_below_the_rate(client, world):
    survey = open_survey(world, units=[world.unit, world.other_unit])
    SurveyLink.objects.filter(survey=survey).update(expected=10)
    send(client, link_path(survey, world.other_unit), survey, all_answers(survey))
    for _n in range(6):
        send(client, link_path(survey, world.unit), survey, all_answers(survey))
    client.force_login(world.alice)
    page = client.post(f"/mittkoping/surveys/{survey.pk}/remind/", {"remind-below": "50"})
    assert page.status_code == 302
    assert list(SentMail.objects.filter(kind="survey_reminder").values_list("to_email", flat=True)) == [
        "eve@example.se"
    ]
    # again the same day: no second mail
    client.post(f"/mittkoping/surveys/{survey.pk}/remind/", {"remind-below": "50"})
    assert SentMail.objects.filter(kind="survey_reminder").count() == 1


def test_closing_computes_the_results_at_once(client, world):
    survey = open_survey(world)
    for _n in range(5):
        send(client, link_path(survey, world.unit), survey, all_answers(survey, value=4))
    client.force_login(world.alice)
    page = client.post(f"/mittkoping/surveys/{survey.pk}/close/")
    assert "Stäng enkäten" in page.content.decode()  # the confirmation first
    client.post(f"/mittkoping/surveys/{survey.pk}/close/", {"confirmed": "yes"})
    survey.refresh_from_db()
    assert survey.state == "closed" and survey.refreshed_count == 5


def _answer(client, survey, unit, n, value, code=""):
    path = link_path(survey, unit, code)
    for _i in range(n):
        assert send(client, path, survey, all_answers(survey, value=value)).status_code == 302


def test_the_principal_sees_results_beside_their_levels_with_suppression(client, world):
    _assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    staff = open_survey(world, group="personal")
    pupils = open_survey(world, group="elever")
    domain.add_group_code(survey=pupils, unit=world.unit, code="4A", by=world.alice)
    domain.add_group_code(survey=pupils, unit=world.unit, code="4B", by=world.alice)
    _answer(client, staff, world.unit, 6, 1)  # staff see it much lower than the principal
    _answer(client, pupils, world.unit, 5, 4, "4A")
    _answer(client, pupils, world.unit, 1, 1, "4B")
    aggregate.refresh_changed()
    client.force_login(world.bob)
    html = client.get(f"/mittkoping/units/{world.unit.pk}/survey-results/").content.decode()
    assert "Personal" in html and "Elever" in html
    # 4B (one answer) is hidden, and 4A too, else 6 minus 5 would reveal 4B
    rows = re.findall(r"<tr><th scope=\"row\">(4A|4B)</th><td>(\d+)</td>\s*<td>(.*?)</td>", html, re.S)
    assert [(code, n) for code, n, _cell in rows] == [("4A", "5"), ("4B", "1")]
    assert all("dold" in cell for _c, _n, cell in rows)
    assert "mycket lägre än rektor" in html  # the gap is marked
    flags = results.flags(unit=world.unit, round=world.rnd, access=Access.for_user(user=world.bob, organizer=world.org))
    assert flags and all(names == ["Personal"] for names in flags.values())
    # the action plan flags the same indicators
    html = client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
    assert "Där enkäterna ser enheten lägre" in html and html.count("Enkäten ser det lägre: Personal") == len(flags)


def test_free_text_only_from_ten_responses_and_only_to_principal_and_organiser(client, world):
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    for n in range(9):
        send(client, path, survey, {**all_answers(survey), "personal-text": f"Tanke {n}"})
    aggregate.refresh(survey=survey)
    client.force_login(world.bob)
    url = f"/mittkoping/units/{world.unit.pk}/survey-results/"
    assert "Tanke 0" not in client.get(url).content.decode()
    send(client, path, survey, {**all_answers(survey), "personal-text": "Tanke 9"})
    aggregate.refresh(survey=survey)
    assert "Tanke 9" in client.get(url).content.decode()
    client.force_login(world.carol)  # a contributor reads the figures, not the texts
    html = client.get(url).content.decode()
    assert "Tanke 9" not in html and "Personal" in html


def test_the_organiser_reads_units_and_districts_with_suppression_and_exports_it(client, world):
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    survey = open_survey(world, units=[world.unit, world.other_unit, third])
    _answer(client, survey, world.unit, 2, 4)  # below k
    _answer(client, survey, third, 8, 1)
    _answer(client, survey, world.other_unit, 7, 4)
    aggregate.refresh(survey=survey)
    client.force_login(world.alice)
    data = results.organiser_results(survey=survey, access=_access(world.alice, world.org), lang="sv")
    cells = {row["name"]: row["cells"][0] for row in data["rows"]}
    assert cells["Ekskolan"]["hidden"] and cells["Almskolan"]["hidden"]  # the complement in Norra
    assert cells["Björkskolan"]["percent"] == 100
    csv = client.get(f"/mittkoping/surveys/{survey.pk}/results.export?format=csv").content.decode("utf-8-sig")
    line = next(row for row in csv.splitlines() if "Ekskolan" in row)
    assert line.endswith(";dold;dold")
    xlsx = client.get(f"/mittkoping/surveys/{survey.pk}/results.export?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "dold" in client.get(f"/mittkoping/surveys/{survey.pk}/results/").content.decode()


def _access(user, org):
    from stegvis.organisations.access import Access

    return Access.for_user(user=user, organizer=org)


def test_the_scheduled_refresh_only_recomputes_what_changed(client, world):
    survey = open_survey(world)
    assert aggregate.refresh_changed() == 1
    assert aggregate.refresh_changed() == 0
    send(client, link_path(survey, world.unit), survey, all_answers(survey))
    assert aggregate.refresh_changed() == 1
    survey.refresh_from_db()
    assert survey.refreshed_count == 1


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_survey_list_and_page_make_as_many_queries_for_three_as_for_one(client, world):
    first = open_survey(world)
    client.force_login(world.alice)
    client.get("/mittkoping/surveys/")  # the first request of a session writes it
    list_one = _queries(client, "/mittkoping/surveys/")
    page_one = _queries(client, f"/mittkoping/surveys/{first.pk}/")
    many = open_survey(world, units=[world.unit, world.other_unit, f.UnitFactory(organizer=world.org)])
    open_survey(world, group="elever")
    domain.add_group_code(survey=many, unit=world.unit, code="4A", by=world.alice)
    assert _queries(client, "/mittkoping/surveys/") == list_one
    assert _queries(client, f"/mittkoping/surveys/{many.pk}/") == page_one


def test_the_results_pages_make_as_many_queries_for_three_units_as_for_one(client, world):
    one = open_survey(world)
    _answer(client, one, world.unit, 5, 4)
    three = open_survey(world, units=[world.unit, world.other_unit, f.UnitFactory(organizer=world.org)])
    for unit in (world.unit, world.other_unit):
        _answer(client, three, unit, 6, 3)
    aggregate.refresh_changed()
    client.force_login(world.alice)
    client.get("/mittkoping/surveys/")  # the first request of a session writes it
    assert _queries(client, f"/mittkoping/surveys/{three.pk}/results/") == _queries(
        client, f"/mittkoping/surveys/{one.pk}/results/"
    )
    html = client.get(f"/mittkoping/surveys/{three.pk}/results/").content.decode()
    assert "<td>6</td>" in html and 'class="suppressed"' not in html  # 6 + 6 + none: nothing below k
