"""List and report pages make as many queries for 3 units (or actions, notes) as for 1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stegvis.planning import domain as planning
from tests import factories as f


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def add_unit_with_plan(world):
    unit = f.UnitFactory(organizer=world.org, district=world.district)
    _a, plan = f.published_assessment(unit, world.rnd, by=world.bob)
    planning.add_action(plan=plan, by=world.bob, title="Åtgärd", priority=1)
    return unit


ORGANISER_PAGES = [
    "/",
    "/rounds/",
    "/exports/",
    "/reports/board/?round={round}",
    "/overview/?round={round}",
    "/overview/status/?round={round}",
    "/overview/todo/?round={round}",
    "/overview/maturity/",
    "/overview/districts/?round={round}",
    "/overview/spread/?round={round}",
]


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organiser_pages_do_not_grow_with_units(client, world, path):
    url = "/mittkoping" + path.format(round=world.rnd.pk)
    add_unit_with_plan(world)
    client.force_login(world.alice)
    client.get(url)  # maturity figures computed once
    one = queries(client, url)
    add_unit_with_plan(world)
    add_unit_with_plan(world)
    client.get(url)
    assert queries(client, url) == one


@pytest.mark.parametrize("page", ["plan", "unit", "assessment", "area"])
def test_unit_pages_do_not_grow_with_actions_and_notes(client, world, page):
    assessment, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    urls = {
        "plan": f"/mittkoping/plans/{plan.pk}/",
        "unit": f"/mittkoping/units/{world.unit.pk}/",
        "assessment": f"/mittkoping/assessments/{assessment.pk}/",
        "area": f"/mittkoping/assessments/{assessment.pk}/areas/area-1/",
    }
    client.force_login(world.bob)

    def add_action():
        action = planning.add_action(plan=plan, by=world.bob, title="Åtgärd", priority=2)
        planning.add_note(action=action, by=world.bob, date=world.rnd.opens_on, text="Följt upp")

    add_action()
    client.get(urls[page])  # the first request after login also refreshes the session
    one = queries(client, urls[page])
    add_action()
    add_action()
    assert queries(client, urls[page]) == one


@pytest.mark.parametrize("path", ["/organisation/users/", "/organisation/mail/"])
def test_user_and_mail_lists_do_not_grow_with_people(client, world, path):
    """The user list (members and pending invitations) and the sent-mail list."""
    from stegvis.organisations import domain as organisations
    from stegvis.organisations.models import Role

    def invite(n):
        user = f.UserFactory()
        f.member(user, world.org, Role.PRINCIPAL, unit=world.unit)
        organisations.invite_user(
            organizer=world.org,
            by=world.alice,
            email=f"ny{n}@example.se",
            full_name=f"Ny {n}",
            role=Role.CONTRIBUTOR,
            unit=world.unit,
        )

    url = "/mittkoping" + path
    invite(1)
    client.force_login(world.alice)
    client.get(url)
    one = queries(client, url)
    invite(2)
    invite(3)
    assert queries(client, url) == one


def test_the_autosave_makes_the_same_few_queries_however_many_answers_the_assessment_has(client, world):
    """One answer saved by htmx: session, user, membership, assessment, the one conditional
    UPDATE, the answers for the progress."""
    from stegvis.assessments import domain

    draft, _created = domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    indicators = list(domain.applicable_indicators(framework=world.rnd.framework, unit=world.unit))
    client.force_login(world.bob)
    client.get("/mittkoping/")  # the first request after login also refreshes the session

    def save(ind, level, revision):
        url = f"/mittkoping/assessments/{draft.pk}/indicators/{ind.pk}/"
        data = {"choice": str(level), "comment": "", "revision": str(revision)}
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200 and b'class="conflict"' not in response.content
        return len([q for q in ctx if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])

    save(indicators[0], 1, 0)
    one = save(indicators[0], 2, 1)
    for ind in indicators[1:]:
        save(ind, 1, 0)
    assert save(indicators[0], 3, 2) == one <= 6


def test_an_autosave_makes_at_most_six_queries_and_the_user_sees_it_saved(client, world, django_assert_max_num_queries):
    """Session, user, membership (tenant and role), the assessment with its unit and round, the
    one conditional UPDATE, the answers for the progress bar; the indicators and level texts
    come from the framework's per-process outline, the assessment's time moves once a minute."""
    from stegvis.assessments import domain
    from stegvis.assessments.models import Answer

    draft, _created = domain.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    ind = domain.applicable_indicator_list(framework=world.rnd.framework, unit=world.unit)[0]
    client.force_login(world.bob)
    url = f"/mittkoping/assessments/{draft.pk}/indicators/{ind.pk}/"
    client.post(url, {"choice": "1", "comment": "", "revision": "0"}, headers={"HX-Request": "true"})
    with django_assert_max_num_queries(6):
        response = client.post(url, {"choice": "2", "comment": "", "revision": "1"}, headers={"HX-Request": "true"})
    assert response["X-Stegvis-Outcome"] == "saved"
    assert 'name="revision" value="2"' in response.content.decode()  # the next save builds on this one
    answer = Answer.objects.get(assessment=draft, indicator=ind)
    assert (answer.level, answer.revision) == (2, 2)


def test_the_unit_page_does_not_grow_with_rounds(client, world):
    """The latest published version is read once for all rounds, not once per round."""
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    url = f"/mittkoping/units/{world.unit.pk}/"
    client.get(url)
    one = queries(client, url)
    f.make_round(world.org, world.rnd.framework, name="Läsår 2027/28", opens_on=world.rnd.opens_on.replace(year=2027))
    f.make_round(world.org, world.rnd.framework, name="Läsår 2028/29", opens_on=world.rnd.opens_on.replace(year=2028))
    client.get(url)
    assert queries(client, url) == one


def test_the_unit_comparison_page_does_not_grow_with_rounds(client, world):
    """The unit's figures next to its district's and the organiser's, with its history: the
    rounds before are read together, not one by one."""
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    url = f"/mittkoping/units/{world.unit.pk}/compare/"
    client.get(url)
    one = queries(client, url)
    for year in (2024, 2025):
        rnd = f.make_round(
            world.org, world.rnd.framework, name=f"Läsår {year}", opens_on=world.rnd.opens_on.replace(year=year)
        )
        f.published_assessment(world.unit, rnd, by=world.bob)
    client.get(url)
    assert queries(client, url) == one


@pytest.mark.parametrize("path", ORGANISER_PAGES[4:])
def test_overview_pages_do_not_grow_with_rounds(client, world, path):
    """Closed rounds with published assessments before the one shown: the same queries."""
    from stegvis.cycles.models import Round

    url = "/mittkoping" + path.format(round=world.rnd.pk)
    add_unit_with_plan(world)
    client.force_login(world.alice)
    client.get(url)
    one = queries(client, url)
    for year in (2024, 2025):
        rnd = f.make_round(
            world.org,
            world.rnd.framework,
            name=f"Läsår {year}",
            opens_on=world.rnd.opens_on.replace(year=year),
        )
        f.published_assessment(world.unit, rnd, by=world.bob)
        Round.objects.filter(pk=rnd.pk).update(status=Round.Status.CLOSED)  # published while open, then closed
    client.get(url)
    assert queries(client, url) == one
