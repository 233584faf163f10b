"""Measurable goals on a competence-development initiative (docs/development.md, "Measurable
goals"): linked from the initiative's page or the goal's form, only within the organiser and by
who may; the initiative's page, its evaluation results and the board's PDF show the goals'
figures from the follow-up. And the unit page's local digital plan (docs/digital-plans.md)."""

import datetime
import re

from stegvis.development import domain as development
from stegvis.goals import domain, plans
from stegvis.goals.models import Goal, GoalInitiative, Measure
from tests import factories as f
from tests.development.helpers import make_initiative
from tests.development.test_initiatives import evaluate, goal_initiative
from tests.mailserver import text_of
from tests.pdf_layout import pages


def _goal(world, organizer=None, **fields):
    organizer = organizer or world.org
    base = {
        "title": "Hälften av enheterna på steg 3 på A1.1",
        "scope": Goal.Scope.ORGANIZER,
        "measure": Measure.SHARE_AT_LEVEL,
        "indicator_code": "A1.1",
        "level": 3,
        "baseline_round": world.rnd,
        "target_value": 80,
        "target_date": datetime.date(2028, 6, 30),
    }
    base.update(fields)
    return domain.set_goal(organizer=organizer, by=world.alice, **base)


def _page(client, initiative):
    return client.get(f"/mittkoping/development/{initiative.pk}/").content.decode()


def test_the_owner_links_a_measurable_goal_and_the_initiative_page_shows_its_figures(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    goal = _goal(world)
    initiative = make_initiative(world)
    client.force_login(world.alice)
    html = _page(client, initiative)
    assert "Mätbara mål" in html and "Inget mätbart mål är kopplat" in html
    assert re.search(rf'<option value="{goal.pk}">Hälften av enheterna', html)
    response = client.post(
        f"/mittkoping/goals/initiatives/{initiative.pk}/link/", {"measurable-goal": goal.pk}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"/development/{initiative.pk}/#measurable-goals")
    html = response.content.decode()
    assert "Målet är kopplat" in html
    # the goal's baseline, latest value, what it rests on, target and status, beside the stated goals
    section = html[html.index('id="measurable-goals"') :]
    assert f'href="/mittkoping/goals/{goal.pk}/"' in section
    assert "50 %" in section and "vilar på 2 enheter" in section and "80 %" in section
    assert "senast 2028-06-30" in section and "I fas" in section
    assert "Per omgång: Läsår 2026/27 50 %" in section
    # the goal's page names the initiative that serves it
    goal_page = client.get(f"/mittkoping/goals/{goal.pk}/").content.decode()
    assert "Kompetensutveckling som tjänar målet" in goal_page
    assert f'href="/mittkoping/development/{initiative.pk}/"' in goal_page
    # linking twice is harmless; the goal is no longer offered
    client.post(f"/mittkoping/goals/initiatives/{initiative.pk}/link/", {"measurable-goal": goal.pk})
    assert GoalInitiative.objects.count() == 1
    assert 'name="measurable-goal"' not in _page(client, initiative)


def test_the_value_follows_a_new_publication_on_the_initiative_page(client, world):
    goal = _goal(world)
    initiative = make_initiative(world)
    domain.link_initiative(goal=goal, initiative=initiative, by=world.alice)
    client.force_login(world.vera)
    assert "Inte mätt än" in _page(client, initiative)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    html = _page(client, initiative)
    assert "100 %" in html and "Uppnått" in html


def test_a_goal_of_another_organiser_or_one_the_owner_cannot_read_is_refused(client, world):
    other_rnd = f.make_round(world.other_org, world.rnd.framework, name="Annanstads omgång")
    foreign = domain.set_goal(
        organizer=world.other_org,
        by=world.charlie,
        title="Annanstads mål",
        measure=Measure.UNITS_PUBLISHED,
        baseline_round=other_rnd,
        target_value=100,
        target_date=datetime.date(2028, 6, 30),
    )
    eve_goal = _goal(world, title="Björkskolans mål", scope=Goal.Scope.UNIT, unit=world.other_unit)
    initiative = make_initiative(world, by=world.bob, owner_unit=world.unit)
    client.force_login(world.bob)
    html = _page(client, initiative)
    assert "Annanstads mål" not in html and "Björkskolans mål" not in html
    for goal in (foreign, eve_goal):
        response = client.post(
            f"/mittkoping/goals/initiatives/{initiative.pk}/link/", {"measurable-goal": goal.pk}, follow=True
        )
        assert "Mätbart mål: Välj ett giltigt alternativ" in response.content.decode()
    assert not GoalInitiative.objects.exists()
    # and the domain says no to a link across organisers, whoever calls it
    try:
        domain.link_initiative(goal=foreign, initiative=initiative, by=world.alice)
    except domain.GoalError as exc:
        assert "samma" in str(exc) or "same" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a link across organisers was made")


def test_who_is_not_an_owner_links_nothing_and_a_reader_sees_only_goals_they_read(client, world):
    goal = _goal(world)
    unit_goal = _goal(world, title="Ekskolans mål", scope=Goal.Scope.UNIT, unit=world.unit)
    initiative = make_initiative(world)
    client.force_login(world.carol)  # a contributor: reads the initiative, owns nothing
    assert "Koppla ett mätbart mål" not in _page(client, initiative)
    response = client.post(f"/mittkoping/goals/initiatives/{initiative.pk}/link/", {"measurable-goal": goal.pk})
    assert response.status_code == 403
    link = domain.link_initiative(goal=goal, initiative=initiative, by=world.alice)
    domain.link_initiative(goal=unit_goal, initiative=initiative, by=world.alice)
    assert client.post(f"/mittkoping/goals/initiative-links/{link.pk}/remove/").status_code == 403
    assert "Ekskolans mål" in _page(client, initiative)  # carol works at Ekskolan
    client.force_login(world.eve)  # principal of Björkskolan: does not read Ekskolan's goal
    html = _page(client, initiative)
    assert "Hälften av enheterna" in html and "Ekskolans mål" not in html
    # the owner removes the link; the goal itself stays
    client.force_login(world.alice)
    client.post(f"/mittkoping/goals/initiative-links/{link.pk}/remove/")
    assert not GoalInitiative.objects.filter(goal=goal).exists() and Goal.objects.filter(pk=goal.pk).exists()


def test_the_goal_form_links_the_goal_to_initiatives_of_the_organiser(client, world):
    initiative = make_initiative(world, title="Digitalt ledarskap")
    other = make_initiative(world, title="Programmering")
    client.force_login(world.alice)
    form = client.get(f"/mittkoping/goals/new/?initiative={initiative.pk}").content.decode()
    assert "Kompetensutveckling som tjänar målet" in form
    assert re.search(rf'value="{initiative.pk}"[^>]*checked', form)
    data = {
        "title": "Alla publicerar",
        "scope": "organizer",
        "measure": "units_published",
        "baseline_round": world.rnd.pk,
        "target_value": "100",
        "target_date": "2028-06-30",
        "initiatives": [initiative.pk, other.pk],
    }
    response = client.post("/mittkoping/goals/new/", data)
    assert response.status_code == 302, response.content.decode()
    goal = Goal.objects.get(title="Alla publicerar")
    assert set(GoalInitiative.objects.filter(goal=goal).values_list("initiative_id", flat=True)) == {
        initiative.pk,
        other.pk,
    }
    assert "Alla publicerar" in _page(client, other)
    # editing keeps what is ticked and removes the rest
    edit = client.get(f"/mittkoping/goals/{goal.pk}/edit/").content.decode()
    assert re.search(rf'value="{other.pk}"[^>]*checked', edit)
    client.post(f"/mittkoping/goals/{goal.pk}/edit/", {**data, "initiatives": [initiative.pk]})
    assert list(GoalInitiative.objects.filter(goal=goal).values_list("initiative_id", flat=True)) == [initiative.pk]
    # an initiative of another organiser is not a choice
    f.member(world.alice, world.other_org, "admin")
    foreign = development.create_initiative(
        organizer=world.other_org,
        by=world.charlie,
        fields={"title": "Annan", "purpose": "X", "starts_on": datetime.date(2026, 9, 1),
                "ends_on": datetime.date(2027, 5, 31), "status": "open"},
        relations={},
    )  # fmt: skip
    response = client.post(f"/mittkoping/goals/{goal.pk}/edit/", {**data, "initiatives": [foreign.pk]})
    assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    assert list(GoalInitiative.objects.filter(goal=goal).values_list("initiative_id", flat=True)) == [initiative.pk]


def test_the_evaluation_and_the_board_pdf_show_the_linked_goals_figures(client, world, smtp_server):
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    initiative = goal_initiative(world, participants=5)
    goal = _goal(world, title="Hälften på steg 3")
    domain.link_initiative(goal=goal, initiative=initiative, by=world.alice)
    client.force_login(world.alice)
    client.post(f"/mittkoping/development/{initiative.pk}/evaluation/open/", {"evaluation-closes_on": "2099-01-01"})
    paths = [re.search(r"(/t/[A-Za-z0-9_-]{59}/survey/own/)", text_of(m)).group(1) for m in smtp_server.messages]
    client.logout()
    for path in paths:
        assert evaluate(client, path, ["4", "3"]).status_code == 302
    client.force_login(world.alice)
    html = client.get(f"/mittkoping/development/{initiative.pk}/results/").content.decode()
    # how far each stated goal was met, as before, and the measurable goal's figures after
    assert html.count("100 % svarade i stor utsträckning eller helt") == 2
    assert "Mätbara mål" in html and "Hälften på steg 3" in html and "100 %" in html
    assert "Koppla ett mätbart mål" not in html
    pdf = client.get(f"/mittkoping/development/{initiative.pk}/report.pdf")
    text = " ".join(line[0] for _w, _h, lines in pages(pdf.content) for line in lines)
    assert "Mätbara mål" in text and "Hälften på steg 3" in text and "80 %" in text


def test_the_unit_page_shows_this_years_digital_plan_or_starts_one(client, world):
    url = f"/mittkoping/units/{world.unit.pk}/"
    year = plans.year_label(plans.current_year())
    client.force_login(world.bob)  # the principal may draft it
    html = client.get(url).content.decode()
    assert "Lokal digital plan" in html and f"Läsår {year}" in html and "ingen plan ännu" in html
    assert f'action="/mittkoping/goals/plans/units/{world.unit.pk}/draft/"' in html
    client.force_login(world.vera)  # a viewer reads the unit, starts nothing, and nothing is there yet
    assert "Lokal digital plan" not in client.get(url).content.decode()
    client.force_login(world.bob)
    client.post(f"/mittkoping/goals/plans/units/{world.unit.pk}/draft/")
    plan = plans.unit_plans(unit=world.unit)[0]
    html = client.get(url).content.decode()
    assert "Utkast" in html and "Fortsätt med utkastet" in html and f"/goals/plans/{plan.pk}/" in html
    assert "/draft/" not in html
    plans.adopt_unit_plan(plan=plan, by=world.bob)
    client.force_login(world.carol)
    html = client.get(url).content.decode()
    assert "Antagen" in html and "Läs planen" in html and "Starta årets plan" not in html
