"""Several perspectives on one unit: groups, assessors (chosen or invited by e-mail), each
group's own assessment, who sees what (nobody before publishing their own), the comparison, the
discussion notes, the plan's "sees step" hints and the organiser's gap overview."""

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from stegvis.assessments import comparison, perspectives
from stegvis.assessments import domain as assessments
from stegvis.assessments.domain import AssessmentError
from stegvis.assessments.models import Assessment, Perspective
from stegvis.cycles.forms import EXPECTABLE_PERSPECTIVES
from stegvis.organisations import domain as organisations
from stegvis.organisations.models import Invitation
from stegvis.planning import domain as planning
from tests import factories as f


def group_assessment(group, *, by, level=2, levels=None, publish=True):
    draft, _ = assessments.start_assessment(unit=group.unit, round=group.round, group=group, by=by)
    f.answer_all(draft, level=level, by=by, levels=levels)
    if publish:
        planning.publish(assessment=draft, by=by)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def team(world):
    """A work team of the unit with one assessor, Ivar (a contributor of another unit)."""
    group = perspectives.create_group(
        unit=world.unit, round=world.rnd, perspective=Perspective.WORK_TEAM, name="Arbetslag 4-6", by=world.bob
    )
    ivar = f.UserFactory(email="ivar@example.se", full_name="Ivar Lärare")
    f.member(ivar, world.org, "contributor", unit=world.other_unit)
    perspectives.add_assessor(group=group, user=ivar, by=world.bob)
    group.ivar = ivar
    return group


def test_expectable_perspectives_of_rounds_are_the_other_perspectives():
    assert [c for c, _l in EXPECTABLE_PERSPECTIVES] == [p for p in Perspective.values if p != "principal"]


def test_several_work_teams_each_have_their_own_assessment(world, team):
    other = perspectives.create_group(
        unit=world.unit, round=world.rnd, perspective=Perspective.WORK_TEAM, name="Arbetslag F-3", by=world.bob
    )
    a = group_assessment(team, by=world.bob, publish=False)
    b = group_assessment(other, by=world.bob, publish=False)
    principal, _plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    assert len({a.pk, b.pk, principal.pk}) == 3
    assert (a.version, b.version, a.group_id, principal.group_id) == (1, 1, team.pk, None)
    # the same group twice is the same draft; a second draft of one group is refused by the database
    again, created = assessments.start_assessment(unit=world.unit, round=world.rnd, group=team, by=world.bob)
    assert (again.pk, created) == (a.pk, False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            organizer=world.org, unit=world.unit, round=world.rnd, perspective="work_team", group=team, version=2
        )


def test_a_work_team_needs_a_name_and_the_same_name_is_the_same_group(world, team):
    with pytest.raises(AssessmentError):
        perspectives.create_group(unit=world.unit, round=world.rnd, perspective="work_team", name=" ", by=world.bob)
    same = perspectives.create_group(
        unit=world.unit, round=world.rnd, perspective="work_team", name="Arbetslag  4-6", by=world.bob
    )
    assert same.pk == team.pk
    with pytest.raises(AssessmentError):
        perspectives.create_group(unit=world.unit, round=world.rnd, perspective="principal", by=world.bob)


def test_an_assessor_edits_only_their_own_groups_assessment(client, world, team):
    draft = group_assessment(team, by=team.ivar, publish=False)
    indicator = assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    url = f"/mittkoping/assessments/{draft.pk}/indicators/{indicator.pk}/"
    client.force_login(team.ivar)
    assert client.post(url, {"choice": "3", "comment": "Vi ser det så", "revision": "1"}).status_code == 302
    # the principal and others do not edit (nor read) the team's draft
    for user in (world.bob, world.carol, world.alice):
        client.force_login(user)
        assert client.post(url, {"choice": "1", "comment": "", "revision": "2"}).status_code in (403, 404)
        assert client.get(f"/mittkoping/assessments/{draft.pk}/").status_code == 403
    # an assessor of another group (wrong perspective) cannot touch it either
    it = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    perspectives.add_assessor(group=it, user=world.eve, by=world.bob)
    client.force_login(world.eve)
    assert client.post(url, {"choice": "1", "comment": "", "revision": "2"}).status_code == 403
    assert client.get(f"/mittkoping/assessments/{draft.pk}/").status_code == 403
    assert client.post(f"/mittkoping/perspective-groups/{team.pk}/start/").status_code == 403
    # and the assessor does not edit the principal's assessment
    principal, _ = assessments.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    client.force_login(team.ivar)
    response = client.post(
        f"/mittkoping/assessments/{principal.pk}/indicators/{indicator.pk}/", {"choice": "1", "revision": "0"}
    )
    assert response.status_code in (403, 404)


def test_nobody_sees_the_others_levels_before_publishing_their_own(client, world, team):
    principal, _plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    draft = group_assessment(team, by=team.ivar, level=1, publish=False)
    url = f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/comparison/"
    client.force_login(team.ivar)
    page = client.get(url).content.decode()
    assert "Publish your own assessment first" in page or "Publicera er egen" in page
    assert 'class="badge gap"' not in page and "lv4-4" not in page  # the principal's levels are not shown
    assert client.get(f"/mittkoping/assessments/{principal.pk}/").status_code == 403
    # carol, a contributor of the unit who reads it, is in the team too: not before publishing
    perspectives.add_assessor(group=team, user=world.carol, by=world.bob)
    client.force_login(world.carol)
    assert client.get(f"/mittkoping/assessments/{principal.pk}/").status_code == 403
    planning.publish(assessment=draft, by=team.ivar)
    assert client.get(f"/mittkoping/assessments/{principal.pk}/").status_code == 200
    client.force_login(team.ivar)
    page = client.get(url).content.decode()
    assert "Arbetslag 4-6" in page and 'class="badge gap"' in page  # now the principal's 4 beside the team's 1
    # the principal, before publishing a new version, still reads the team's published levels
    client.force_login(world.bob)
    assert client.get(f"/mittkoping/assessments/{draft.pk}/").status_code == 200


def test_the_comparison_sorts_by_difference_and_marks_two_steps(world, team):
    inds = list(assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit))
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    it = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    group_assessment(team, by=world.bob, levels={inds[2].code: 1, inds[4].code: 2}, level=3)
    group_assessment(it, by=world.bob, levels={inds[4].code: 4}, level=3)
    comp = comparison.compare(unit=world.unit, round=world.rnd)
    assert [c.label for c in comp.columns] == ["Rektor", "IKT-pedagog", "Arbetslag 4-6"] or [
        c.perspective for c in comp.columns
    ] == ["principal", "it_educator", "work_team"]
    first, second = comp.rows[0], comp.rows[1]
    assert {first.indicator.pk, second.indicator.pk} == {inds[2].pk, inds[4].pk}
    assert first.spread == second.spread == 2 and first.marked and second.marked
    assert comp.marked_count == 2 and comp.rows[2].spread == 0
    lower = comparison.lower_views(comp)
    assert lower == {inds[2].pk: [("Arbetslag 4-6", 1)], inds[4].pk: [("Arbetslag 4-6", 2)]}


def test_comparison_queries_do_not_grow_with_perspectives(world, team):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    group_assessment(team, by=world.bob, level=1)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            comparison.compare(unit=world.unit, round=world.rnd)
        return len(ctx)

    one = count()
    for name in ("Arbetslag F-3", "Arbetslag 7-9"):
        g = perspectives.create_group(
            unit=world.unit, round=world.rnd, perspective="work_team", name=name, by=world.bob
        )
        group_assessment(g, by=world.bob, level=3)
    assert count() == one


def test_comparison_page_queries_do_not_grow_with_perspectives_or_notes(client, world, team):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    group_assessment(team, by=world.bob, level=1)
    url = f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/comparison/"
    client.force_login(world.bob)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    one = len(ctx)
    g = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    group_assessment(g, by=world.bob, level=4)
    indicator = assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    perspectives.add_note(unit=world.unit, round=world.rnd, indicator=indicator, text="Vi pratar", by=world.bob)
    perspectives.add_note(unit=world.unit, round=world.rnd, indicator=indicator, text="Ja", by=world.bob)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx) == one


def test_notes_are_written_by_the_principal_and_assessors_only(client, world, team):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    group_assessment(team, by=team.ivar, level=1)
    indicator = assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    url = f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/comparison/indicators/{indicator.pk}/notes/"
    client.force_login(team.ivar)
    assert client.post(url, {"text": "Vi ser mindre användning i klassrummen."}).status_code == 302
    client.force_login(world.bob)
    assert client.post(url, {"text": "Håller med, vi tar upp det på APT."}).status_code == 302
    for user in (world.dave, world.vera, world.carol):
        client.force_login(user)
        assert client.post(url, {"text": "Nej"}).status_code == 403
    client.force_login(world.dave)  # the district lead reads them
    page = client.get(f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/comparison/").content.decode()
    assert "Vi ser mindre användning" in page and "Ivar Lärare" in page and "APT" in page


def test_inviting_by_email_counts_once_accepted(client, world):
    group = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    client.force_login(world.bob)
    response = client.post(
        f"/mittkoping/perspective-groups/{group.pk}/assessors/", {"email": "ikt@example.se", "full_name": "Iris"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ikt@example.se")
    assert invitation.unit == world.unit and mail.outbox[-1].to == ["ikt@example.se"]
    user = organisations.accept_invitation(invitation=invitation, full_name="Iris", password="Lång-lösen-123!")
    client.force_login(user)
    home = client.get("/mittkoping/").content.decode()
    assert "My perspective assessments" in home or "Mina perspektivskattningar" in home
    response = client.post(f"/mittkoping/perspective-groups/{group.pk}/start/")
    assert response.status_code == 302
    draft = Assessment.objects.get(group=group)
    assert draft.perspective == "it_educator" and draft.created_by == user


def test_an_invitation_not_yet_accepted_gives_no_rights(client, world):
    group = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    perspectives.add_assessor(group=group, email="ikt@example.se", by=world.bob)
    stranger = f.UserFactory(email="ikt2@example.se")
    f.member(stranger, world.org, "contributor", unit=world.other_unit)
    client.force_login(stranger)
    assert client.post(f"/mittkoping/perspective-groups/{group.pk}/start/").status_code == 404


def test_removing_an_invited_assessor_withdraws_the_invitation_only_it_used(client, world):
    first = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    second = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="leadership_group", by=world.bob)
    shared = perspectives.add_assessor(group=first, email="ikt@example.se", by=world.bob)
    perspectives.add_assessor(group=second, email="ikt@example.se", by=world.bob)
    alone = perspectives.add_assessor(group=first, email="team@example.se", by=world.bob)
    client.force_login(world.bob)
    for assessor in (shared, alone):
        assert client.post(f"/mittkoping/assessors/{assessor.pk}/remove/").status_code == 302
    # the invitation the leadership group still waits for keeps working; the other is withdrawn
    assert Invitation.objects.get(email="ikt@example.se").is_open
    withdrawn = Invitation.objects.get(email="team@example.se")
    assert not withdrawn.is_open and withdrawn.cancelled_at is not None


def test_only_the_principal_or_an_admin_manages_assessors(client, world, team):
    url = f"/mittkoping/units/{world.unit.pk}/rounds/{world.rnd.pk}/perspectives/"
    for user, code in ((world.bob, 200), (world.alice, 200), (world.carol, 403), (world.dave, 403), (team.ivar, 404)):
        client.force_login(user)
        assert client.get(url).status_code == code, user


def test_the_plan_shows_where_another_perspective_sees_the_unit_lower(client, world, team):
    inds = list(assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit))
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    group_assessment(team, by=world.bob, levels={inds[0].code: 1}, level=3)
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/plans/{plan.pk}/").content.decode()
    assert "Arbetslag 4-6 ser steg 1" in page or "Arbetslag 4-6 sees step 1" in page


def test_the_round_form_stores_expected_perspectives(client, world):
    client.force_login(world.alice)
    response = client.post(
        f"/mittkoping/rounds/{world.rnd.pk}/edit/",
        {
            "name": world.rnd.name,
            "framework": world.rnd.framework_id,
            "opens_on": world.rnd.opens_on.isoformat(),
            "expected_perspectives": ["it_educator", "work_team"],
        },
    )
    assert response.status_code == 302
    world.rnd.refresh_from_db()
    assert world.rnd.expected_perspectives == ["it_educator", "work_team"]
    page = client.get(f"/mittkoping/overview/status/?round={world.rnd.pk}").content.decode()
    assert "IKT-pedagog" in page or "IT educator" in page


def _gap_world(world, team, n_units):
    for _ in range(n_units):
        unit = f.UnitFactory(organizer=world.org, district=world.district)
        f.published_assessment(unit, world.rnd, by=world.bob, level=3)
        g = perspectives.create_group(unit=unit, round=world.rnd, perspective="it_educator", by=world.bob)
        group_assessment(g, by=world.bob, level=1)
        g2 = perspectives.create_group(unit=unit, round=world.rnd, perspective="work_team", name="AL", by=world.bob)
        group_assessment(g2, by=world.bob, level=2)


def test_the_organisers_gap_overview(client, world, team):
    _gap_world(world, team, 2)
    client.force_login(world.alice)
    url = f"/mittkoping/overview/perspectives/?round={world.rnd.pk}"
    page = client.get(url).content.decode()
    assert page.count('class="badge gap"') >= 3  # two units, and the indicators across them
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    one = len(ctx)
    _gap_world(world, team, 3)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx) == one
    client.force_login(world.bob)
    assert client.get(url).status_code == 403


def test_the_unit_report_compares_the_perspectives(client, world, team):
    from django.template.loader import render_to_string

    from stegvis.exports import reports

    f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    group_assessment(team, by=world.bob, level=1)
    html = render_to_string("exports/report_unit_pdf.html", reports.unit_report_context(unit=world.unit, lang="en"))
    assert "Perspektiven jämförda" in html and "Arbetslag 4-6" in html
    assert html.count("<svg") == 3  # the unit's two charts and the perspectives' radar
    client.force_login(world.bob)
    response = client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_answers_export_carries_the_group_and_keeps_drafts_private(world, team):
    from stegvis.exports.exporters import AnswersExporter

    f.published_assessment(world.unit, world.rnd, by=world.bob)
    group_assessment(team, by=world.bob, level=1)
    draft_group = perspectives.create_group(
        unit=world.unit, round=world.rnd, perspective="work_team", name="Arbetslag F-3", by=world.bob
    )
    group_assessment(draft_group, by=world.bob, publish=False)
    from stegvis.organisations.access import Access

    access = Access.for_user(user=world.alice, organizer=world.org)
    exporter = AnswersExporter(organizer=world.org, access=access, round=world.rnd, lang="en")
    rows = list(exporter.rows())
    assert {r[-1] for r in rows} == {"", "Arbetslag 4-6"}
    assert str(exporter.headers()[-1]) in ("Assessor group", "Skattande grupp")


def test_nothing_changes_in_a_closed_round(world, team):
    from stegvis.cycles import domain as cycles

    cycles.set_round_status(round=world.rnd, status="closed", by=world.alice)
    world.rnd.refresh_from_db()
    team.round.refresh_from_db()
    with pytest.raises(AssessmentError):
        perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    with pytest.raises(AssessmentError):
        perspectives.add_assessor(group=team, user=world.carol, by=world.bob)
    with pytest.raises(AssessmentError):
        assessments.start_assessment(unit=world.unit, round=world.rnd, group=team, by=team.ivar)


WITHHELD = (
    "The levels are shown when your perspective has published",
    "Nivåerna visas när ert perspektiv har publicerat",
)


def _pdf_text(response):
    import io

    from pdfminer.high_level import extract_text

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return extract_text(io.BytesIO(response.content))


def test_an_invited_assessor_sees_no_principal_levels_before_publishing(client, world):
    """Issue 8: an assessor invited by e-mail is a contributor of the unit, yet the unit page, the
    unit comparison, the plan and the unit report hold back the round's levels until their group
    has published; the principal and an admin see them throughout."""
    group = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    perspectives.add_assessor(group=group, email="ikt@example.se", by=world.bob)
    invitation = Invitation.objects.get(email="ikt@example.se")
    iris = organisations.accept_invitation(invitation=invitation, full_name="Iris", password="Lång-lösen-123!")
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, level=4)
    cell = '<td class="num">4</td>'  # the principal's level of an indicator on the unit page
    top_name = world.rnd.framework.level_name(4, "sv")  # and its name in the report
    unit_url = f"/mittkoping/units/{world.unit.pk}/"
    compare_url = f"/mittkoping/units/{world.unit.pk}/compare/?round={world.rnd.pk}"
    plan_url = f"/mittkoping/plans/{plan.pk}/"
    pdf_url = f"/mittkoping/units/{world.unit.pk}/report.pdf"

    def pages(user):
        client.force_login(user)
        unit_page = client.get(unit_url).content.decode()
        compare = client.get(compare_url)
        plan_page = client.get(plan_url)
        return unit_page, compare.content.decode(), plan_page, _pdf_text(client.get(pdf_url))

    def withheld(text):
        return any(w in text for w in WITHHELD)

    unit_page, compare, plan_page, pdf = pages(iris)
    assert withheld(unit_page) and "<svg" not in unit_page and cell not in unit_page
    assert withheld(compare) and "<svg" not in compare and "<strong>" + "100" not in compare
    assert plan_page.status_code == 403 and withheld(plan_page.content.decode())
    assert withheld(pdf.replace("\n", " ")) and top_name not in pdf
    assert "Jämför perspektiven" in unit_page or "Compare the perspectives" in unit_page  # the rest still works
    for user in (world.bob, world.alice):
        unit_page, compare, plan_page, pdf = pages(user)
        assert not withheld(unit_page) and "<svg" in unit_page and cell in unit_page
        assert not withheld(compare) and "<svg" in compare
        assert plan_page.status_code == 200 and not withheld(plan_page.content.decode())
        assert not withheld(pdf.replace("\n", " ")) and top_name in pdf
    # once Iris's group has published, she sees them too
    group_assessment(group, by=iris, level=2)
    unit_page, compare, plan_page, pdf = pages(iris)
    assert not withheld(unit_page) and "<svg" in unit_page and cell in unit_page
    assert not withheld(compare) and "<svg" in compare
    assert plan_page.status_code == 200 and not withheld(plan_page.content.decode())
    assert not withheld(pdf.replace("\n", " ")) and top_name in pdf
