"""The demo is built once for this module (in a transaction rolled back at the end); each test
runs in a savepoint inside it, so a test that changes the demo leaves it as it was."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django_scopes import scopes_disabled

from stegvis.assessments.models import Answer, Assessment, Perspective
from stegvis.core.models import AuditEvent, SentMail
from stegvis.cycles.models import Round
from stegvis.demo.demo import DEMO_PASSWORD, DEMO_SLUG
from stegvis.frameworks.models import Framework
from stegvis.organisations.models import District, Invitation, Membership, Organizer, Role, Unit
from stegvis.planning.models import Action, ActionPlan, Note
from tests import factories as f
from tests.reflection.helpers import make_questionnaire

MODELS = [
    Organizer,
    District,
    Unit,
    Membership,
    get_user_model(),
    Round,
    Assessment,
    Answer,
    ActionPlan,
    Action,
    Note,
    AuditEvent,
]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """(organiser, output) of ``load_demo`` with a small framework: 4 areas x 3 indicators."""
    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        framework = f.make_framework(key="stegvis", version="2026.1", areas=4, indicators=3)
        f.add_survey_questions(framework, groups=(("personal", "staff"), ("elever-4-6", "pupils")))
        make_questionnaire(framework)  # the self-reflection's (tests/reflection/helpers.py)
        output = load_demo()
        yield Organizer.objects.get(slug=DEMO_SLUG), output
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_load_demo_without_framework_asks_for_it():
    Framework.objects.filter(key="stegvis").update(key="renamed")  # undone after the test
    with pytest.raises(CommandError, match="run load_framework first"):
        load_demo("--reset")
    Organizer.objects.filter(slug=DEMO_SLUG).update(slug="renamed")  # in case the demo is built already
    with pytest.raises(CommandError, match="run load_framework first"):
        load_demo()


@pytest.mark.django_db
def test_load_demo_creates_organisation_and_people(demo):
    org, output = demo
    assert org.name == "Mittköpings kommun"
    assert District.objects.filter(organizer=org).count() >= 3
    units = Unit.objects.filter(organizer=org)
    assert units.count() >= 30
    assert all(len(u.code) == 8 and u.code.isdigit() for u in units)
    assert units.filter(school_forms=1).exists() and units.filter(school_forms=1 | 2).exists()
    roles = set(Membership.objects.filter(organizer=org).values_list("role", flat=True))
    assert roles == set(Role.values)
    # every unit has a principal, and some principals lead two units
    principals = Membership.objects.filter(organizer=org, role=Role.PRINCIPAL)
    assert set(principals.values_list("unit", flat=True)) == set(units.values_list("pk", flat=True))
    assert principals.values("user").distinct().count() < units.count()
    admin = get_user_model().objects.get(email="admin@mittkoping.se")
    assert admin.check_password(DEMO_PASSWORD)
    assert "admin@mittkoping.se" in output and DEMO_PASSWORD in output


@pytest.mark.django_db
def test_load_demo_has_invitations_and_their_mails_on_the_mail_page(demo, client):
    org, output = demo
    waiting = Invitation.objects.filter(organizer=org, accepted_at__isnull=True, cancelled_at__isnull=True)
    assert waiting.count() == 3
    assert sum(invitation.is_expired() for invitation in waiting) == 1
    # (the assessors of other perspectives were invited too, and accepted: docs/perspectives.md)
    mails = SentMail.objects.filter(organizer=org, kind="invitation", to_email__in=waiting.values("email"))
    assert sorted(mails.values_list("status", flat=True)) == ["failed", "sent", "sent"]
    assert all(m.secret == "" and "/invitation/[…]/" in m.body_text for m in mails)
    client.force_login(get_user_model().objects.get(email="admin@mittkoping.se"))
    page = client.get(f"/{DEMO_SLUG}/organisation/mail/").content.decode()
    assert "sara.lund@mittkoping.se" in page and "lisa.ek@mittkopng.se" in page
    assert "Invitations: 3 not yet accepted" in output


@pytest.mark.django_db
def test_load_demo_creates_three_years(demo):
    org, output = demo
    rounds = {r.name: r for r in Round.objects.filter(organizer=org)}
    assert len(rounds) == 3
    assert [r.status for r in rounds.values()].count(Round.Status.CLOSED) == 2
    open_round = rounds["Läsår 2026/27"]
    assert open_round.is_open and open_round.deadline > open_round.opens_on
    principal = Assessment.objects.filter(organizer=org, perspective=Perspective.PRINCIPAL)
    for name in ("Läsår 2024/25", "Läsår 2025/26"):
        published = principal.filter(round=rounds[name], status=Assessment.Status.PUBLISHED)
        assert published.values("unit").distinct().count() > 0.7 * Unit.objects.filter(organizer=org).count()
    assert principal.filter(round__status=Round.Status.CLOSED, version=2, status=Assessment.Status.PUBLISHED).exists()
    assert principal.filter(round=open_round, status=Assessment.Status.PUBLISHED).exists()
    drafts = principal.filter(round=open_round, status=Assessment.Status.DRAFT)
    assert drafts.exists()
    assert any(d.answers.count() < 12 for d in drafts)  # a draft answered part of the way
    assert Assessment.objects.filter(organizer=org, perspective=Perspective.IT_EDUCATOR).exists()
    # published timestamps fall in their own school year, not on the day the demo was built
    first = principal.filter(round=rounds["Läsår 2024/25"], status=Assessment.Status.PUBLISHED).first()
    assert first.published_at.year in (2024, 2025)
    assert "Läsår 2024/25" in output and "Läsår 2026/27" in output


@pytest.mark.django_db
def test_load_demo_creates_plans_with_follow_up(demo):
    org, _output = demo
    plans = ActionPlan.objects.filter(organizer=org)
    assert plans.count() > 30
    actions = Action.objects.filter(organizer=org)
    assert set(actions.values_list("status", flat=True)) == set(Action.Status.values)
    assert set(actions.values_list("priority", flat=True)) == {1, 2, 3}
    assert actions.filter(activity__isnull=False).exists()
    assert actions.filter(activity__isnull=True, carried_from__isnull=True).exists()  # own actions
    assert actions.filter(carried_from__isnull=False).exists()  # carried over from the year before
    assert actions.exclude(owner="").count() == actions.count()
    assert Note.objects.filter(organizer=org).exists()


@pytest.mark.django_db
def test_load_demo_has_digital_plans_and_the_organisers_plan(demo, client):
    from stegvis.goals.models import CentralAction, DigitalPlan, OrganiserPlan, PlanStatus

    org, output = demo
    this_year = DigitalPlan.objects.filter(organizer=org).order_by("-school_year").first().school_year
    plans = DigitalPlan.objects.filter(organizer=org, school_year=this_year)
    adopted = plans.filter(status=PlanStatus.ADOPTED).count()
    assert plans.filter(status=PlanStatus.DRAFT).count() == 2
    assert adopted > Unit.objects.filter(organizer=org).count() / 2  # most units
    assert DigitalPlan.objects.filter(organizer=org, school_year=this_year - 1, status=PlanStatus.ADOPTED).exists()
    organiser_plan = OrganiserPlan.objects.get(organizer=org)
    assert organiser_plan.is_adopted
    actions = CentralAction.objects.filter(plan=organiser_plan)
    assert actions.exists() and not actions.filter(owner__isnull=True).exists()
    assert not actions.filter(due_date__isnull=True).exists()
    assert "Digital plans:" in output
    client.force_login(Membership.objects.get(organizer=org, role=Role.ADMIN).user)
    page = client.get(f"/{DEMO_SLUG}/goals/plans/").content.decode()
    assert f"{adopted} av" in page


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(demo):
    before = counts()
    output = load_demo()
    assert "already there" in output
    assert counts() == before


@pytest.mark.django_db
def test_load_demo_reset_rebuilds_the_same(demo):
    other = f.UserFactory(email="other@example.se")
    f.member(other, f.OrganizerFactory(slug="annanstad"), Role.ADMIN)
    before = counts()
    output = load_demo("--reset")
    assert "Deleted" in output
    after = counts()
    assert after == before
    assert get_user_model().objects.filter(email="other@example.se").exists()


@pytest.mark.django_db
def test_load_demo_reports_progress_per_round(demo):
    _org, output = demo
    for name in ("Läsår 2024/25:", "Läsår 2025/26:", "Läsår 2026/27:"):
        assert name in output


@pytest.mark.django_db
def test_load_demo_gives_the_open_round_its_dates_and_the_year_wheel_content(demo, client):
    from stegvis.calendar.models import Event

    org, _output = demo
    rnd = Round.objects.get(organizer=org, status=Round.Status.OPEN)
    assert rnd.follow_ups.exists() and rnd.survey_opens_on and rnd.closes_on
    assert rnd.opens_on <= rnd.survey_opens_on <= rnd.survey_closes_on <= rnd.closes_on
    assert Event.objects.filter(organizer=org, district__isnull=True).exists()
    assert Event.objects.filter(organizer=org, district__isnull=False).exists()
    client.force_login(get_user_model().objects.get(email="admin@mittkoping.se"))
    page = client.get(f"/{DEMO_SLUG}/calendar/").content.decode()
    assert "Halvårsuppföljning av handlingsplanerna" in page and "Kvalitetsdialog med nämnden" in page
    # the organiser's plan's central actions have due dates, so they are in the wheel of the plan's year
    from stegvis.goals.models import OrganiserPlan

    plan = OrganiserPlan.objects.filter(organizer=org).first()
    dated = list(plan.actions.exclude(due_date=None).exclude(status="dropped"))
    assert dated
    wheel = client.get(f"/{DEMO_SLUG}/calendar/?year={plan.school_year}&kind=central_action").content.decode()
    assert all(a.title in wheel for a in dated) and "Central åtgärd i huvudmannens plan" in wheel


def test_load_demo_has_units_with_several_perspectives_published(demo, client):
    """docs/perspectives.md: work teams, leadership groups and IT educators assess some units,
    so the comparison, the plan's hints and the organiser's gap overview have content."""
    org, output = demo
    rnd = Round.objects.filter(organizer=org, status=Round.Status.OPEN).order_by("-opens_on").first()
    published = Assessment.objects.filter(organizer=org, round=rnd, status=Assessment.Status.PUBLISHED)
    per_unit = {}
    for unit_id, key in published.values_list("unit_id", "group_id"):
        per_unit.setdefault(unit_id, set()).add(key)
    assert sum(1 for keys in per_unit.values() if len(keys) >= 3) >= 2  # the principal and two or more groups
    assert published.filter(perspective=Perspective.WORK_TEAM, group__name__startswith="Arbetslag").exists()
    assert rnd.expected_perspectives == ["it_educator", "work_team"]
    unit_id = max(per_unit, key=lambda u: len(per_unit[u]))
    client.force_login(get_user_model().objects.get(email="admin@mittkoping.se"))
    page = client.get(f"/{DEMO_SLUG}/units/{unit_id}/rounds/{rnd.pk}/comparison/").content.decode()
    assert page.count('<th scope="col">') >= 4  # indicator, three perspectives, difference
    gaps = client.get(f"/{DEMO_SLUG}/overview/perspectives/?round={rnd.pk}").content.decode()
    assert 'class="badge gap"' in gaps
    assert "other perspectives:" in output


def test_load_demo_has_surveys_in_a_closed_and_the_open_round(demo):
    from stegvis.surveys.models import Response, Survey

    org, output = demo
    assert "Surveys:" in output
    states = {(s.round.name, s.state) for s in Survey.objects.filter(organizer=org).select_related("round")}
    assert ("Läsår 2025/26", "closed") in states and ("Läsår 2026/27", "open") in states
    assert Response.objects.filter(organizer=org).count() > 100
    assert all(s.refreshed_count == s.responses.count() for s in Survey.objects.filter(organizer=org))


def test_load_demo_open_round_has_sent_reminders(demo, client):
    from stegvis.cycles.models import FollowUpDate
    from stegvis.notifications import kinds

    org, output = demo
    assert "Notifications:" in output
    rnd = Round.objects.get(organizer=org, status="open")
    sent = SentMail.objects.filter(organizer=org, status="sent")
    assert sent.filter(kind=kinds.DEADLINE).exists()  # six weeks ahead
    assert sent.filter(kind=kinds.NUDGE).count() >= 3 and sent.filter(kind=kinds.DIGEST).count() >= 4
    assert sent.filter(kind__in=[kinds.ACTION_DUE, kinds.ACTION_OVERDUE]).exists()
    assert FollowUpDate.objects.filter(round=rnd, title="Uppföljning efter höstlovet").exists()
    assert Action.objects.filter(organizer=org, owner_user__isnull=False).exists()
    admin = Membership.objects.filter(organizer=org, role=Role.ADMIN).first().user
    client.force_login(admin)
    page = client.get(f"/{org.slug}/overview/status/?round={rnd.pk}").content.decode()
    assert "Senast påmind" in page and page.count(":") > 10


def test_load_demo_has_self_reflections_above_and_below_the_threshold(demo, client):
    from stegvis.reflection.models import Reflection, Response, StartLink

    org, _output = demo
    assert StartLink.objects.filter(organizer=org).count() == 2
    assert Reflection.objects.filter(organizer=org).count() > 40
    assert Response.objects.filter(organizer=org).values("school_year").distinct().count() == 2
    admin = Membership.objects.filter(organizer=org, role=Role.ADMIN).first().user
    client.force_login(admin)
    html = client.get(f"/{DEMO_SLUG}/reflection/").content.decode()
    assert "färre än 5 svar" in html and "dold för att skydda en mindre grupp" in html


def test_load_demo_has_a_network_with_held_meetings_and_an_upcoming_one(demo, client):
    import datetime

    from stegvis.networks.models import ActionItem, Meeting, MeetingFile, Network

    org, _output = demo
    network = Network.objects.get(organizer=org, name="IKT-nätverket grundskola")
    assert network.members.filter(role="coordinator").count() == 2 and network.members.count() > 4
    today = datetime.date.today()
    past = Meeting.objects.filter(network=network, date__lt=today)
    assert past.count() == 2 and all(m.minutes_published_at for m in past)
    assert all(m.attendance.exists() for m in past)
    [upcoming] = Meeting.objects.filter(network=network, date__gte=today)
    assert upcoming.agenda.count() == 5 and not upcoming.minutes_published_at
    assert ActionItem.objects.filter(meeting__network=network).count() == 3
    assert MeetingFile.objects.filter(meeting__network=network).exists()
    coordinator = network.members.filter(role="coordinator").first().user
    client.force_login(coordinator)
    page = client.get(f"/{DEMO_SLUG}/networks/meetings/{past.last().pk}/").content.decode()
    assert "Skriv minnesanteckningar" in page and "Åtgärdspunkter" in page


@pytest.mark.django_db
def test_load_demo_has_what_works_figures_on_plans_and_in_the_report(demo, client):
    from stegvis.planning import outcomes

    org, output = demo
    found = outcomes.read(organizer=org)
    shown = [act for act, figure in found.own.items() if figure.shown]
    assert shown, "the demo should have activities with figures to show"
    assert "What works:" in output
    admin = Membership.objects.filter(organizer=org, role=Role.ADMIN).first().user
    client.force_login(admin)
    report = client.get(f"/{DEMO_SLUG}/goals/what-works/").content.decode()
    assert "Ett samband, inget bevis." in report
    figure = found.own[shown[0]]
    assert f"{figure.did.rose} av {figure.did.units} (" in report


def test_load_demo_has_goals_followed_up_over_three_rounds_certification_and_the_council_indicator(demo, client):
    from stegvis.goals.models import Certification, CertificationRule, CouncilIndicator, Goal, GoalValue, Measure

    org = Organizer.objects.get(slug="mittkoping")
    followed = {g: GoalValue.objects.filter(goal=g).count() for g in Goal.objects.filter(organizer=org)}
    assert sum(1 for n in followed.values() if n == 3) >= 4
    rule = CertificationRule.objects.get(organizer=org)
    certified = Certification.objects.filter(rule=rule, certified=True).values_list("round__name", flat=True)
    assert len(set(certified)) >= 2  # certified units in more than one round
    assert Goal.objects.filter(organizer=org, measure=Measure.SURVEY_POSITIVE, baseline_value__isnull=False).exists()
    assert CouncilIndicator.objects.get(organizer=org).measure == Measure.MATURITY_INDEX


def test_load_demo_has_a_past_initiative_evaluated_against_its_goals(demo, client):
    from stegvis.development.models import Initiative, TrackChoice
    from stegvis.surveys import custom

    org, _output = demo
    past = Initiative.objects.get(organizer=org, title="Ledarskap i digital skolutveckling")
    assert past.tracks.count() == 12 and past.choose_at_most == 2 and past.status == "evaluated"
    assert TrackChoice.objects.filter(enrolment__initiative=past).count() == 2 * past.enrolments.count()
    result = custom.results(survey=past.evaluation, with_texts=True)
    assert result.responses >= 10 and all(r.shown for r in result.questions if r.question.kind == "scale")
    assert Initiative.objects.filter(organizer=org, status="open").exists()
    admin = Membership.objects.filter(organizer=org, role=Role.ADMIN).first().user
    client.force_login(admin)
    html = client.get(f"/{DEMO_SLUG}/development/{past.pk}/results/").content.decode()
    assert "svarade i stor utsträckning eller helt och hållet" in html


def test_load_demo_has_a_library_of_examples_found_by_a_swedish_word(demo, client):
    from stegvis.library.models import Example

    org, _output = demo
    examples = Example.objects.filter(organizer=org)
    assert examples.filter(shared=True).exists() and examples.filter(shared=False).exists()
    assert examples.exclude(file="").count() >= 4 and examples.filter(file="").exclude(url="").exists()
    assert all("lärplatt" in e.body.text.lower() for e in examples.filter(title__contains="lärplattor"))
    admin = Membership.objects.filter(organizer=org, role=Role.ADMIN).first().user
    client.force_login(admin)
    html = client.get(f"/{DEMO_SLUG}/library/", {"q": "lärplattorna"}).content.decode()
    assert "Användarpolicy för elevernas lärplattor" in html
    assert "Förskolans plan för digitala verktyg och dokumentation" in html  # found in the PDF's text
