"""Local digital plans and the organiser's plan: drafted from the published assessment, the chosen
actions and the goals; edited with simple formatting that is rendered safely; a few goals; adopted
and then read-only; one plan per unit and school year; the organiser's list, CSV and count; the
organiser's plan with central support from the priority-1 to-do list and the units' summary."""

import datetime

import pytest

from stegvis.goals import domain, plans
from stegvis.goals.models import CentralAction, DigitalPlan, Goal, Measure, PlanStatus
from stegvis.organisations.access import Access
from stegvis.planning import domain as planning
from tests import factories as f

BASE = "/mittkoping/goals/"


def _goal(world, n=1, **fields):
    base = {
        "title": f"Mål {n}",
        "scope": Goal.Scope.UNIT,
        "unit": world.unit,
        "measure": Measure.UNITS_PUBLISHED,
        "baseline_round": world.rnd,
        "target_value": 100,
        "target_date": datetime.date(2028, 6, 30),
    }
    base.update(fields)
    return domain.set_goal(organizer=world.org, by=world.alice, **base)


@pytest.fixture
def published(world):
    """Ekskolan published: A1.* at level 4 and 3, A2.* at 1; two chosen actions and a dropped one."""
    levels = {"A1.1": 4, "A1.2": 3, "A1.3": 2, "A2.1": 1, "A2.2": 1, "A2.3": 1}
    _assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, levels=levels)
    fw = world.rnd.framework
    a21 = fw.indicators.get(code="A2.1")
    planning.add_action(
        plan=plan, by=world.bob, title="Fortbildning i <b>digitala verktyg</b>", priority=1, indicator=a21
    )
    planning.add_action(
        plan=plan, by=world.bob, title="Ny nätverksplan", priority=2, indicator=fw.indicators.get(code="A2.2")
    )
    dropped = planning.add_action(plan=plan, by=world.bob, title="Struken åtgärd", indicator=a21)
    planning.update_action(action=dropped, by=world.bob, expected_revision=dropped.revision, status="dropped")
    return plan


def test_areas_go_under_the_section_they_fit_whatever_the_framework():
    # the shipped framework
    assert plans.section_for_area("ledning", "Ledning", "Leadership") == "leadership"
    assert plans.section_for_area("infrastruktur", "Infrastruktur", "Infrastructure") == "infrastructure"
    assert plans.section_for_area("kompetens", "Kompetens", "Competence") == "competence"
    assert plans.section_for_area("anvandning", "Användning", "Use") == "use"
    # another shape (DigCompOrg-like), and an area that fits nowhere
    assert plans.section_for_area("lg", "Ledarskap och styrning", "Leadership & Governance") == "leadership"
    assert plans.section_for_area("tl", "Undervisning och lärande", "Teaching and learning") == "use"
    assert plans.section_for_area("pd", "", "Professional development") == "competence"
    assert plans.section_for_area("area-1", "Område 1", "Area 1") == "food_for_thought"


def test_plan_text_is_formatted_and_everything_else_escaped():
    html = plans.render_text("Vi **prioriterar** <script>alert(1)</script>\n\n- ett\n- två & tre\nefter")
    assert html == (
        "<p>Vi <strong>prioriterar</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        "<ul><li>ett</li><li>två &amp; tre</li></ul><p>efter</p>"
    )
    assert plans.render_text("**<i>x</i>**") == "<p><strong>&lt;i&gt;x&lt;/i&gt;</strong></p>"


def test_school_year_runs_july_to_june():
    assert plans.school_year(datetime.date(2026, 7, 1)) == 2026
    assert plans.school_year(datetime.date(2027, 6, 30)) == 2026
    assert plans.year_label(2026) == "2026/27"


def test_the_draft_has_strengths_priorities_and_the_units_goals(client, world, published):
    goal = _goal(world)
    other_units_goal = _goal(world, 2, unit=world.other_unit)
    client.force_login(world.bob)
    response = client.post(f"{BASE}plans/units/{world.unit.pk}/draft/")
    plan = DigitalPlan.objects.get(unit=world.unit)
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/edit/")
    assert plan.status == PlanStatus.DRAFT and plan.round == world.rnd
    assert plan.school_year == plans.current_year()
    text = plan.food_for_thought  # the test framework's areas fit no section by name
    assert "**Område 1**" in text and "A1.1 Indikator A1.1 (steg 4)" in text and "A1.2" in text
    assert "A1.3" not in text  # level 2 of 4 is not a strength
    assert "Fortbildning i <b>digitala verktyg</b> (A2.1, prioritet 1)" in text
    assert "Ny nätverksplan" in text and "Struken åtgärd" not in text
    assert list(plan.goals.all()) == [goal] and other_units_goal not in plan.goals.all()
    page = client.get(f"{BASE}plans/{plan.pk}/").content.decode()
    assert "&lt;b&gt;digitala verktyg&lt;/b&gt;" in page and "<b>digitala" not in page
    assert "<strong>Område 1</strong>" in page


def test_a_unit_without_a_published_assessment_gets_an_empty_draft_that_says_why(world):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    assert plan.round is None and plan.leadership == ""
    assert "publish" in plan.food_for_thought.lower() or "publicera" in plan.food_for_thought.lower()


def test_the_principal_edits_picks_a_few_goals_and_adopts(client, world, published):
    goals = [_goal(world, n) for n in range(1, 7)]
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    client.force_login(world.bob)
    url = f"{BASE}plans/{plan.pk}/edit/"
    data = {"revision": plan.revision, "leadership": "- Ledningsgrupp varje vecka", "use": "Mer **digitalt**"}
    too_many = client.post(url, {**data, "goals": [g.pk for g in goals]})
    assert too_many.status_code == 200
    assert "högst 5" in too_many.content.decode()
    assert "Ledningsgrupp varje vecka" in too_many.content.decode()  # what was typed is kept
    response = client.post(url, {**data, "goals": [goals[0].pk, goals[1].pk], "then": "adopt"})
    assert response["Location"].endswith(f"/plans/{plan.pk}/adopt/")
    plan.refresh_from_db()
    assert plan.leadership == "- Ledningsgrupp varje vecka" and set(plan.goals.all()) == {goals[0], goals[1]}
    client.post(f"{BASE}plans/{plan.pk}/adopt/", {"confirmed": "yes"})
    plan.refresh_from_db()
    assert plan.is_adopted and plan.adopted_by == world.bob and plan.adopted_at is not None
    # read-only now: the edit page sends back, a save is refused
    assert client.get(url)["Location"].endswith(f"/plans/{plan.pk}/")
    client.post(url, {**data, "leadership": "Ändrat"})
    plan.refresh_from_db()
    assert plan.leadership == "- Ledningsgrupp varje vecka"
    with pytest.raises(plans.PlanError):
        plans.save_unit_plan(plan=plan, by=world.bob, expected_revision=plan.revision, texts={}, goals=[])


def test_a_save_over_someone_elses_keeps_the_text_and_says_so(client, world, published):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    stale = plan.revision
    plans.save_unit_plan(plan=plan, by=world.alice, expected_revision=stale, texts={"use": "Alice"}, goals=[])
    client.force_login(world.bob)
    response = client.post(f"{BASE}plans/{plan.pk}/edit/", {"revision": stale, "use": "Bobs text"})
    body = response.content.decode()
    assert response.status_code == 200 and "Bobs text" in body and 'role="alert"' in body
    plan.refresh_from_db()
    assert plan.use == "Alice"


def test_one_plan_per_unit_and_year_new_versions_and_earlier_years(client, world, published):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    assert plans.draft_unit_plan(unit=world.unit, by=world.bob) == plan  # the draft, not a second one
    plans.adopt_unit_plan(plan=plan, by=world.bob)
    second = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    assert (
        second.version == 2 and second.status == PlanStatus.DRAFT and second.food_for_thought == plan.food_for_thought
    )
    earlier = plans.draft_unit_plan(unit=world.unit, by=world.bob, year=plan.school_year - 1)
    plans.adopt_unit_plan(plan=earlier, by=world.bob)
    client.force_login(world.dave)  # the district lead reads
    page = client.get(f"{BASE}plans/units/{world.unit.pk}/").content.decode()
    assert "version 2" in page.lower() or "Version" in page
    assert plans.year_label(plan.school_year - 1) in page  # the earlier year is listed
    assert client.get(f"{BASE}plans/{earlier.pk}/").status_code == 200
    # the unit still counts as having an adopted plan this year while version 2 is a draft
    statuses = plans.plan_statuses(organizer=world.org, unit_ids=[world.unit.pk], year=plan.school_year)
    assert statuses[world.unit.pk][0] == PlanStatus.ADOPTED


def test_who_may_read_and_edit_a_units_plan(client, world, published):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    url = f"{BASE}plans/{plan.pk}/"
    for user, status in ((world.dave, 200), (world.vera, 200), (world.carol, 200), (world.eve, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(world.carol)  # a contributor reads but does not edit
    assert client.get(url + "edit/").status_code == 403
    client.force_login(world.dave)
    assert client.post(url + "adopt/", {"confirmed": "yes"}).status_code == 403
    client.force_login(world.alice)  # an organiser admin may
    assert client.get(url + "edit/").status_code == 200


def test_the_pdf_of_a_plan(client, world, published):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    client.force_login(world.bob)
    response = client.get(f"{BASE}plans/{plan.pk}/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_long_word_or_link_in_the_plan_stays_on_the_paper(client, world, published):
    """A goal named with one long compound and a pasted link: the goals table shrinks to the page
    and the words break (before, the table ran past the right edge and was cut off)."""
    from tests.pdf_layout import chars_outside, text

    long_word = "Kompetensutvecklingsinsatsutvärderingsrapportsammanställningsmöte"
    _goal(world, title=f"Alla enheter: {long_word}")
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    plan.food_for_thought = "Läs https://www.skolverket.se/skolutveckling/inspiration-och-stod-i-arbetet/stod-i-arbetet/digitalisering?utm_source=plan"
    plan.save()
    client.force_login(world.bob)
    data = client.get(f"{BASE}plans/{plan.pk}/plan.pdf").content
    assert chars_outside(data, margin_mm=14) == []
    assert "Kompetensutvecklings" in text(data)


def test_the_organiser_sees_which_units_have_adopted_filters_and_csv(client, world, published):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    plans.adopt_unit_plan(plan=plan, by=world.bob)
    client.force_login(world.vera)
    page = client.get(f"{BASE}plans/").content.decode()
    assert "1 av 2 enheter har en antagen plan" in page
    adopted = client.get(f"{BASE}plans/", {"status": "adopted"}).content.decode()
    assert "Ekskolan" in adopted and "Björkskolan" not in adopted
    none = client.get(f"{BASE}plans/", {"status": "none"}).content.decode()
    assert "Björkskolan" in none and "Ekskolan" not in none
    by_district = client.get(f"{BASE}plans/", {"district": world.district.pk}).content.decode()
    assert "Björkskolan" not in by_district
    csv = client.get(f"{BASE}plans/export.csv").content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Enhet;Utbildningsområde")
    assert any(line.startswith("Ekskolan;Norra") and ";Antagen;" in line for line in csv)
    goals_page = client.get(BASE).content.decode()
    assert "1 av 2 enheter har en antagen lokal digital plan" in goals_page
    client.force_login(world.dave)  # a district lead sees their district
    assert "Björkskolan" not in client.get(f"{BASE}plans/").content.decode()


def test_the_organisers_plan_takes_central_support_from_the_priority_one_to_do_list(client, world, published):
    _assessment, other_plan = f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=1)
    a21 = world.rnd.framework.indicators.get(code="A2.1")
    planning.add_action(plan=other_plan, by=world.eve, title="Fortbildning", priority=1, indicator=a21)
    planning.add_action(
        plan=other_plan,
        by=world.eve,
        title="Låg prio",
        priority=3,
        indicator=world.rnd.framework.indicators.get(code="A1.1"),
    )
    organiser_goal = _goal(world, 9, scope=Goal.Scope.ORGANIZER, unit=None)
    _goal(world, 10)  # a unit's goal is not the organiser's
    unit_plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    plans.adopt_unit_plan(plan=unit_plan, by=world.bob)
    client.force_login(world.alice)
    response = client.post(f"{BASE}organiser-plan/start/")
    plan = world.org and plans.organiser_plans(organizer=world.org)[0]
    assert response["Location"].endswith(f"/organiser-plan/{plan.pk}/")
    assert list(plan.goals.all()) == [organiser_goal]
    actions = list(plan.actions.all())
    assert [(a.indicator.code, a.units_count) for a in actions] == [("A2.1", 2)]
    assert "A2.1" in actions[0].title and "Fortbildning" in actions[0].description
    # an owner, a due date and a status
    url = f"{BASE}central-actions/{actions[0].pk}/edit/"
    client.post(
        url, {"title": actions[0].title, "owner": world.alice.pk, "due_date": "2027-03-31", "status": "in_progress"}
    )
    actions[0].refresh_from_db()
    assert actions[0].owner == world.alice and actions[0].status == "in_progress"
    refused = client.post(url, {"title": "x", "owner": world.charlie.pk, "status": "planned"})
    assert refused.status_code == 200  # not a user of the organiser
    page = client.get(f"{BASE}organiser-plan/").content.decode()
    assert "Av 2 enheter har 1 en antagen plan" in page
    assert "Fortbildning i &lt;b&gt;digitala verktyg&lt;/b&gt; (1)" in page  # the common priority, escaped
    summary = plans.units_summary(
        organizer=world.org, unit_ids=[world.unit.pk, world.other_unit.pk], year=plan.school_year
    )
    assert summary["adopted"] == 1 and summary["none"] == 1
    assert summary["areas"][0]["units"] == 1
    # adopt; then read-only but for the status
    client.post(f"{BASE}organiser-plan/{plan.pk}/adopt/", {"confirmed": "yes"})
    plan.refresh_from_db()
    assert plan.is_adopted and plan.adopted_by == world.alice
    client.post(url, {"title": "Nytt namn", "status": "done"})
    actions[0].refresh_from_db()
    assert actions[0].status == "done" and actions[0].title != "Nytt namn"
    pdf = client.get(f"{BASE}organiser-plan/{plan.pk}/plan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    copy = plans.new_organiser_version(plan=plan, by=world.alice)
    assert copy.version == 2 and copy.actions.count() == 1


def test_the_organisers_plan_is_read_by_organiser_readers_only(client, world):
    plan = plans.start_organiser_plan(
        organizer=world.org, access=Access.for_user(user=world.alice, organizer=world.org), by=world.alice
    )
    action = CentralAction.objects.create(organizer=world.org, plan=plan, title="Stöd")
    for user, status in ((world.vera, 200), (world.dave, 200), (world.bob, 403)):
        client.force_login(user)
        assert client.get(f"{BASE}organiser-plan/{plan.pk}/").status_code == status
    client.force_login(world.vera)
    assert client.get(f"{BASE}central-actions/{action.pk}/edit/").status_code == 403


def test_the_persons_plans_and_central_actions_are_exported_and_erased(client, world, published):
    plan = plans.draft_unit_plan(unit=world.unit, by=world.bob)
    plans.adopt_unit_plan(plan=plan, by=world.bob)
    organiser_plan = plans.start_organiser_plan(
        organizer=world.org, access=Access.for_user(user=world.alice, organizer=world.org), by=world.alice
    )
    CentralAction.objects.create(organizer=world.org, plan=organiser_plan, title="Stöd i Kompetens", owner=world.bob)
    client.force_login(world.alice)
    data = client.get(f"/mittkoping/privacy/people/{world.bob.pk}/export.json").json()
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert sections["digital_plans"][0]["plan"] == "Ekskolan"
    assert sections["digital_plans"][0]["adopted_by_the_person"] is True
    assert sections["central_actions"][0]["title"] == "Stöd i Kompetens"
    client.post(f"/mittkoping/privacy/people/{world.bob.pk}/erase/", {"email": world.bob.email})
    plan.refresh_from_db()
    assert plan.is_adopted and plan.adopted_by is None and plan.created_by is None
    assert CentralAction.objects.get(title="Stöd i Kompetens").owner is None


def test_the_list_and_the_organisers_plan_cost_the_same_queries_for_more_units(client, world, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    plans.adopt_unit_plan(plan=plans.draft_unit_plan(unit=world.unit, by=world.bob), by=world.bob)
    plans.start_organiser_plan(
        organizer=world.org, access=Access.for_user(user=world.alice, organizer=world.org), by=world.alice
    )
    client.force_login(world.alice)
    urls = [f"{BASE}plans/", f"{BASE}organiser-plan/"]
    for url in urls:  # warm: the first read fills caches (the session, the goals' follow-up)
        queries(url)
    before = [queries(url) for url in urls]
    for n in range(5):
        unit = f.UnitFactory(organizer=world.org, district=world.district, name=f"Skola {n}")
        plans.adopt_unit_plan(plan=plans.draft_unit_plan(unit=unit, by=world.alice), by=world.alice)
    assert [queries(url) for url in urls] == before
