"""Walk every URL inside an organiser: anonymous -> login, other organiser -> 404,
a member without the role -> 403 or 404. A new URL fails here until it is declared below.
And every URL behind the token door (/t/<token>/...): it declares its purposes, and an unknown
token gets 404 whoever asks."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from stegvis.api import domain as api_domain
from stegvis.assessments import domain as assessments
from stegvis.assessments import perspectives
from stegvis.calendar import domain as calendar
from stegvis.core.models import SentMail
from stegvis.cycles import domain as cycles
from stegvis.development import domain as development
from stegvis.exports.models import ExportJob
from stegvis.goals import certification
from stegvis.goals import domain as goals
from stegvis.goals import plans as digital_plans
from stegvis.goals.models import CentralAction
from stegvis.library import domain as library
from stegvis.library.samples import docx_bytes
from stegvis.networks import domain as networks
from stegvis.organisations import domain as organisations
from stegvis.organisations import door
from stegvis.organisations.access import Access
from stegvis.organisations.models import Membership, UnitImport
from stegvis.planning import domain as planning
from stegvis.reflection import domain as reflection
from stegvis.surveys import domain as surveys
from tests import factories as f
from tests.reflection.helpers import make_questionnaire

# url name -> (user without the role for GET, user without the role for POST); None: not checked
# because every member may (e.g. the start page) or the method is not allowed anyway.
ACCESS = {
    "org_home": (None, None),
    # organisation room: organiser admins only (units list is read by viewers and district leads)
    "districts": ("bob", "vera"),
    "district_new": ("vera", "vera"),
    "district_edit": ("vera", "vera"),
    "district_delete": (None, "vera"),
    "units": ("bob", None),
    "unit_new": ("vera", "vera"),
    "unit_edit": ("vera", "vera"),
    "units_import": ("vera", "vera"),
    "units_import_preview": ("vera", "vera"),
    "units_export": ("bob", None),
    "users": ("vera", "vera"),
    "user_new": ("vera", "vera"),
    "users_export": ("vera", None),
    "user_edit": ("vera", "vera"),
    "email_change_cancel": (None, "vera"),
    "membership_add": ("vera", "vera"),
    "membership_delete": (None, "vera"),
    "organizer_settings": ("vera", "vera"),
    "invitation_resend": (None, "vera"),
    "invitation_cancel": (None, "vera"),
    # the organiser's sent mail: organiser admins only
    "mail": ("vera", None),
    "mail_export": ("vera", None),
    "mail_detail": ("vera", None),
    # rounds
    "rounds": ("bob", None),
    "round_new": ("vera", "vera"),
    "round_edit": ("vera", "vera"),
    "round_status": (None, "vera"),
    "round_units_add": (None, "vera"),
    "follow_up_new": ("vera", "vera"),
    "follow_up_edit": ("vera", "vera"),
    "follow_up_delete": (None, "vera"),
    # assessments: read by anyone who sees the unit, changed by its principal
    "assessment_start": (None, "carol"),
    "assessment": ("eve", None),
    "assessment_area": ("eve", None),
    "answer_save": (None, "carol"),
    "assessment_publish": (None, "carol"),
    # plans: read by anyone who sees the unit, changed by its principal and contributors
    "plan": ("eve", None),
    "action_new": ("vera", "vera"),
    "action_edit": ("eve", "vera"),
    "note_add": (None, "vera"),
    # the unit's picture
    "unit": ("eve", None),
    # -- overview, maturity, comparisons (issue 3) --
    "overview": ("bob", None),
    "overview_todo": ("carol", None),
    "overview_status": ("bob", None),
    "maturity": ("carol", None),
    "compare_districts": ("bob", None),
    "compare_spread": ("carol", None),
    "compare_unit": ("eve", None),
    # -- exports and reports (issue 3) --
    "exports": ("bob", "bob"),
    "export_job": ("bob", None),
    "export_job_status": ("bob", None),
    "export_download": ("bob", None),
    "unit_report_pdf": ("eve", None),
    "board_report": ("carol", None),
    # -- goals (issue 10): read by every member, set by admins, district leads and principals --
    "goals": (None, None),
    "goals_export": (None, None),
    "goal_new": ("vera", "vera"),
    "goal_library": (None, "vera"),
    "goal": (None, None),
    "goal_edit": ("vera", "vera"),
    "goal_delete": ("vera", "vera"),
    "goal_actions": (None, "vera"),
    "goal_comment": (None, "vera"),
    # what works: the organiser's report, for those who read the organiser (not principals)
    "what_works": ("bob", None),
    "what_works_export": ("bob", None),
    # certification and the council indicator: read organiser-wide, rules and choice by admins
    "certification": ("bob", "bob"),
    "certification_export": ("bob", None),
    "certification_rule_new": ("vera", "vera"),
    "certification_rule_edit": ("vera", "vera"),
    "certification_rule_delete": ("vera", "vera"),
    "council_indicator": ("bob", None),
    "council_indicator_edit": ("vera", "vera"),
    "council_indicator_pdf": ("bob", None),
    # -- the library of good examples (issue 11): read and shared by every member; an example
    # changed and removed (the confirmation page too) by who shared it (carol) and admins, so bob
    # may not; the list and its CSV for every member --
    "library": (None, None),
    "library_export": (None, None),
    "library_new": (None, None),
    "library_example": (None, None),
    "library_edit": ("bob", "bob"),
    "library_delete": ("bob", "bob"),
    "library_download": (None, None),
    # -- personal data (issue 13): organiser admins only --
    "person_data": ("vera", "vera"),
    "person_export_json": ("vera", None),
    "person_export_pdf": ("vera", None),
    "person_erase": ("vera", "vera"),
    "audit": ("vera", None),
    "audit_export": ("vera", None),
    "retention": ("vera", "vera"),
    # -- sign-in with school accounts (issue 13): organiser admins only --
    "sso_provider_list": ("vera", None),
    "sso_provider_edit": ("vera", "vera"),
    # -- calendar: the year wheel and the feed page for every member, own events and the
    # organiser's feed for organiser admins (issue 9) --
    "calendar": (None, None),
    "calendar_my_feed": (None, None),
    "calendar_event_new": ("vera", "vera"),
    "calendar_event_edit": ("vera", "vera"),
    "calendar_event_delete": (None, "vera"),
    "calendar_organiser_feed": ("vera", "vera"),
    # -- perspectives (issue 8): groups managed by the unit's principal, assessed by their
    # assessors, compared by who reads the unit; the organiser's gap overview --
    "perspectives": ("carol", "carol"),
    "assessor_add": (None, "carol"),
    "assessor_remove": (None, "carol"),
    "perspective_start": (None, "carol"),
    "comparison": ("eve", None),
    "discussion_note_add": (None, "vera"),
    "overview_perspectives": ("bob", None),
    # -- surveys (issue 12): read by those who see one of its units, changed by who opened it --
    "surveys": (None, None),
    "survey_new": ("vera", "vera"),
    "survey": ("eve", None),
    "survey_code_add": (None, "carol"),
    "survey_personal": (None, "carol"),
    "survey_remind": (None, "carol"),
    "survey_close": (None, "carol"),
    "survey_results": ("bob", None),
    "survey_indicator_results": ("bob", None),
    "unit_survey_results": ("eve", None),
    "survey_handout": ("eve", None),
    "survey_results_export": ("bob", None),
    "survey_indicator_results_export": ("bob", None),
    # -- notifications (issue 9): rules and reminders now for organiser admins; one's own preferences --
    "overview_status_export": ("bob", None),
    "reminder_rules": ("vera", "vera"),
    "reminder_nudge": ("vera", "vera"),
    "notification_preferences": (None, None),
    # -- self-reflection (issue 12): aggregates for whoever reads the unit, links made by admins --
    "reflection": (None, None),
    "reflection_unit": ("eve", None),
    "reflection_link_new": (None, "bob"),
    "reflection_settings": (None, "vera"),
    "reflection_link": ("eve", None),
    "reflection_link_close": (None, "bob"),
    # -- networks (issue 11): read by who is in the network (and organiser admins and viewers),
    # run by its coordinators, files and comments from its members; eve is in no network --
    "networks": ("eve", None),
    "network_new": ("vera", "vera"),
    "network": ("eve", None),
    "network_edit": ("carol", "carol"),
    "network_member_add": (None, "carol"),
    "network_member_remove": (None, "carol"),
    "network_meeting_new": ("carol", "carol"),
    "network_meetings": ("eve", None),
    "network_meeting": ("eve", None),
    "network_meeting_edit": ("carol", "carol"),
    "network_meeting_agenda": ("carol", "carol"),
    "network_meeting_attendance": ("carol", "carol"),
    "network_meeting_minutes": ("carol", "carol"),
    "network_meeting_minutes_pdf": ("eve", None),
    "network_action_add": (None, "carol"),
    "network_file_add": (None, "vera"),
    "network_comment": (None, "vera"),
    "network_actions": ("eve", None),
    "network_actions_export": ("eve", None),
    "network_action": ("vera", "vera"),
    "network_file": ("eve", None),
    "network_file_remove": (None, "vera"),
    # -- competence development (issue 11): every member reads; the owner (here Ekskolan's
    # principal) changes; carol takes part; eve is outside the target group --
    "development": (None, None),
    "my_development": (None, None),
    "development_needs": (None, None),
    "development_need": (None, None),
    "initiative_new": ("carol", "carol"),
    "initiative": (None, None),
    "initiative_edit": ("eve", "eve"),
    "initiative_goal_add": (None, "eve"),
    "initiative_goal_remove": (None, "eve"),
    "initiative_track_add": (None, "eve"),
    "initiative_track_remove": (None, "eve"),
    "initiative_enrol": (None, "eve"),
    "initiative_enrol_other": (None, "eve"),
    "initiative_withdraw": (None, "eve"),
    "initiative_tracks_choose": ("eve", "eve"),
    "initiative_participants_export": ("eve", None),
    "initiative_evaluation_open": (None, "eve"),
    "initiative_evaluation_close": (None, "eve"),
    "initiative_results": ("eve", None),
    "initiative_report": ("eve", None),
    "initiative_action_link": (None, "eve"),
    "initiative_action_unlink": (None, "eve"),
    "initiative_spread_add": (None, "eve"),
    # measurable goals on an initiative (goals room): its owners and who may change the goal
    "initiative_measurable_goal_link": (None, "eve"),
    "initiative_measurable_goal_unlink": (None, "eve"),
    # -- API tokens and open data (issue 13): organiser admins only --
    "api_tokens": ("vera", None),
    "api_token_new": ("vera", "vera"),
    "api_token_revoke": (None, "vera"),
    "open_data_settings": (None, "vera"),
    # -- local digital plans (issue 10): read by who reads the unit, edited by its principal and
    # admins; the organiser's plan read by organiser readers, edited by admins --
    "digital_plans": (None, None),
    "digital_plans_export": (None, None),
    "unit_digital_plan": ("eve", None),
    "digital_plan_draft": (None, "carol"),
    "digital_plan": ("eve", None),
    "digital_plan_edit": ("carol", "carol"),
    "digital_plan_adopt": ("carol", "carol"),
    "digital_plan_new_version": (None, "carol"),
    "digital_plan_pdf": ("eve", None),
    "organiser_plan": ("bob", None),
    "organiser_plan_start": (None, "vera"),
    "organiser_plan_version": ("bob", None),
    "organiser_plan_edit": ("vera", "vera"),
    "organiser_plan_todo": (None, "vera"),
    "organiser_plan_adopt": ("vera", "vera"),
    "organiser_plan_new_version": (None, "vera"),
    "organiser_plan_pdf": ("bob", None),
    "central_action_edit": ("vera", "vera"),
    "central_action_delete": ("vera", "vera"),
}


def tenant_patterns():
    root = get_resolver()
    for top in root.url_patterns:
        if isinstance(top, URLResolver) and "organizer_slug" in str(top.pattern):
            yield from _walk(top.url_patterns, str(top.pattern))


def door_patterns():
    """(name, route, view) of every URL behind the token door."""
    root = get_resolver()
    for top in root.url_patterns:
        if isinstance(top, URLResolver) and "access_token" in str(top.pattern):
            yield from _walk(top.url_patterns, str(top.pattern), with_view=True)


def _walk(patterns, prefix, with_view=False):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), with_view)
        elif isinstance(p, URLPattern):
            yield (p.name, prefix + str(p.pattern), p.callback) if with_view else (p.name, prefix + str(p.pattern))


@pytest.fixture
def url_for(world):
    published, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    draft, _ = assessments.start_assessment(unit=world.unit, round=world.rnd, by=world.bob)
    action = planning.add_action(plan=plan, by=world.bob, title="Åtgärd")
    indicator = assessments.applicable_indicators(framework=world.rnd.framework, unit=world.unit).first()
    staged = UnitImport.objects.create(
        organizer=world.org, user=world.alice, data={"shape": "csv", "rows": [], "skipped": [], "notes": []}
    )
    export_job = ExportJob.objects.create(
        organizer=world.org, user=world.alice, kind="answers", params={"format": "csv"}
    )
    invitation = organisations.invite_user(
        organizer=world.org, by=world.alice, email="ny@example.se", full_name="Ny Person", role="viewer"
    )
    sent_mail = SentMail.objects.get(organizer=world.org, to_email="ny@example.se")
    goal = goals.set_goal(
        organizer=world.org,
        by=world.alice,
        title="Mål",
        measure="units_published",
        baseline_round=world.rnd,
        target_value=100,
        target_date=datetime.date(2028, 6, 30),
    )
    rule = certification.add_rule(organizer=world.org, by=world.alice, name="Regel", every_at_least=3)
    own_event = calendar.add_event(organizer=world.org, by=world.alice, title="Dag", starts_on=world.rnd.deadline)
    follow_up = cycles.add_follow_up(round=world.rnd, date=world.rnd.deadline, title="Uppföljning", by=world.alice)
    group = perspectives.create_group(unit=world.unit, round=world.rnd, perspective="it_educator", by=world.bob)
    ivar = f.UserFactory(email="ivar@example.se", full_name="Ivar")
    f.member(ivar, world.org, "contributor", unit=world.other_unit)
    assessor = perspectives.add_assessor(group=group, user=ivar, by=world.bob)
    f.add_survey_questions(world.rnd.framework)
    survey = surveys.open_survey(
        organizer=world.org,
        round=world.rnd,
        respondent_group="personal",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=3),
        units=[world.unit],
        distribution="links",
        k=5,
        by=world.alice,
    )
    reflection_link = reflection.create_start_link(
        organizer=world.org, questionnaire=make_questionnaire(world.rnd.framework), unit=world.unit, by=world.alice
    )
    network = networks.create_network(organizer=world.org, by=world.alice, name="IKT-nätverket")
    networks.add_member(network=network, user=world.bob, coordinator=True, by=world.alice)
    network_member = networks.add_member(network=network, user=world.carol, by=world.bob)
    meeting = networks.create_meeting(
        network=network, by=world.bob, date=world.rnd.deadline, starts_at=datetime.time(14), theme="Tema", place="X"
    )
    networks.save_minutes(meeting=meeting, text="Anteckningar", by=world.bob, publish=True)
    network_item = networks.add_action_item(meeting=meeting, title="Gör", owner=world.carol, by=world.bob)
    meeting_file = networks.add_file(
        meeting=meeting, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"), by=world.carol
    )
    digital_plan = digital_plans.draft_unit_plan(unit=world.unit, by=world.bob)
    organiser_plan = digital_plans.start_organiser_plan(
        organizer=world.org, access=Access.for_user(user=world.alice, organizer=world.org), by=world.alice
    )
    central_action = CentralAction.objects.create(organizer=world.org, plan=organiser_plan, title="Stöd")
    initiative = development.create_initiative(
        organizer=world.org,
        by=world.bob,
        fields={
            "title": "Insats",
            "purpose": "Syfte",
            "owner_unit": world.unit,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 6, 1),
            "status": "open",
        },
        relations={"target_units": [world.unit], "indicators": [indicator]},
    )
    initiative_goal = development.add_goal(initiative=initiative, text="Mål", check="Enkät", by=world.bob)
    track = development.add_track(initiative=initiative, by=world.bob, title="Spår", starts_at=timezone.now())
    enrolment, _ = development.enrol(initiative=initiative, user=world.carol, by=world.carol)
    linked = development.link_action(initiative=initiative, action=action, by=world.bob)
    goal_initiative = goals.link_initiative(goal=goal, initiative=initiative, by=world.alice)
    example = library.share_example(
        organizer=world.org,
        by=world.carol,
        title="Exempel",
        upload=SimpleUploadedFile("plan.docx", docx_bytes(title="Plan", paragraphs=["Lärplatta"])),
    )
    api_token, _secret = api_domain.create_api_token(organizer=world.org, by=world.alice, name="BI", scope="read")
    values = {
        "organizer_slug": "mittkoping",
        "unit_id": world.unit.pk,
        "round_id": world.rnd.pk,
        "assessment_id": draft.pk,
        "area_key": indicator.area.key,
        "indicator_id": indicator.pk,
        "plan_id": plan.pk,
        "action_id": action.pk,
        "district_id": world.district.pk,
        "user_id": world.bob.pk,
        "membership_id": Membership.objects.get(user=world.bob).pk,
        "job_id": export_job.pk,
        "import_id": staged.pk,
        "invitation_id": invitation.pk,
        "mail_id": sent_mail.pk,
        "goal_id": goal.pk,
        "rule_id": rule.pk,
        "kind": "entra",
        "follow_up_id": follow_up.pk,
        "event_id": own_event.pk,
        "group_id": group.pk,
        "assessor_id": assessor.pk,
        "survey_id": survey.pk,
        "link_id": survey.links.get().pk,
        "start_link_id": reflection_link.pk,
        "token_id": api_token.pk,
        "network_id": network.pk,
        "member_id": network_member.pk,
        "meeting_id": meeting.pk,
        "item_id": network_item.pk,
        "file_id": meeting_file.pk,
        "digital_plan_id": digital_plan.pk,
        "organiser_plan_id": organiser_plan.pk,
        "central_action_id": central_action.pk,
        "initiative_id": initiative.pk,
        "initiative_goal_id": initiative_goal.pk,
        "track_id": track.pk,
        "enrolment_id": enrolment.pk,
        "linked_id": linked.pk,
        "goal_initiative_id": goal_initiative.pk,
        "example_id": example.pk,
    }

    def build(route):
        url = "/" + route
        for key, value in values.items():
            for conv in ("slug", "int", "str", "uuid"):
                url = url.replace(f"<{conv}:{key}>", str(value))
        assert "<" not in url, f"no test value for a parameter in {route}"
        return url

    return build


def test_every_tenant_url_is_declared():
    names = {name for name, _route in tenant_patterns()}
    assert names - set(ACCESS) == set(), "declare the access rule of new URLs in ACCESS"


def test_anonymous_users_go_to_login(client, world, url_for):
    for name, route in tenant_patterns():
        url = url_for(route)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, url)
            assert response["Location"].startswith("/login/"), (name, url)


def test_users_of_another_organiser_get_404(client, world, url_for):
    client.force_login(world.charlie)
    for name, route in tenant_patterns():
        url = url_for(route)
        assert client.get(url).status_code == 404, (name, url)
        assert client.post(url).status_code == 404, (name, url)


def test_members_without_the_role_get_403_or_404(client, world, url_for):
    users = {"bob": world.bob, "carol": world.carol, "vera": world.vera, "eve": world.eve}
    for name, route in tenant_patterns():
        url = url_for(route)
        get_user, post_user = ACCESS[name]
        if get_user:
            client.force_login(users[get_user])
            assert client.get(url).status_code in (403, 404), (name, get_user, url)
        if post_user:
            client.force_login(users[post_user])
            assert client.post(url).status_code in (403, 404), (name, post_user, url)


# -- the token door -------------------------------------------------------------------------


def undeclared_door_views():
    return [name for name, _route, view in door_patterns() if not getattr(view, "token_purposes", None)]


def test_every_door_url_declares_its_purposes():
    assert undeclared_door_views() == [], "decorate views behind the door with organisations.door.accepts"


@override_settings(ROOT_URLCONF="tests.organisations.door_urls")
def test_an_undeclared_door_view_is_caught():
    assert undeclared_door_views() == ["test_door_undeclared"]


@pytest.mark.parametrize("urlconf", ["stegvis.urls", "tests.organisations.door_urls"])
def test_door_urls_with_an_unknown_token_are_404_for_everyone(client, world, urlconf):
    with override_settings(ROOT_URLCONF=urlconf):
        routes = [route for _name, route, _view in door_patterns()]
        if urlconf != "stegvis.urls":
            assert routes  # the walk finds what is there
        routes.append("t/<str:access_token>/")
        for user in (None, world.alice, world.charlie):
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            for route in routes:
                url = "/" + route.replace("<str:access_token>", door.new_token())
                url = url.replace("<int:unit_id>", str(world.unit.pk))
                url = url.replace("<str:kind>", "reminder.deadline")
                assert "<" not in url, route
                assert client.get(url).status_code == 404, (url, user)
                assert client.post(url).status_code == 404, (url, user)
