"""The reminder pass, driven through a round with the clock moved (time-machine): exactly which
mails go to whom, once each, with catch-up after missed runs and nothing stale."""

import datetime

import pytest
import time_machine

from stegvis.assessments import domain as assessments
from stegvis.core.models import SentMail
from stegvis.cycles.models import FollowUpDate
from stegvis.notifications import domain, kinds
from stegvis.planning import domain as planning
from tests import factories as f


def at(day):
    """The clock at 09:00 Swedish time on ``day`` (a date)."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=datetime.UTC), tick=False)


def run(day):
    with at(day):
        domain.send_due_reminders()


def mails(**filters):
    return sorted(
        (m.kind, m.to_email) for m in SentMail.objects.filter(**filters).exclude(kind=kinds.DIGEST).order_by("pk")
    )


def D(month, day, year=2026):
    return datetime.date(year, month, day)


@pytest.fixture
def round_world(world):
    """The world's round: publish by 2026-12-15; bob (Ekskolan, district Norra led by dave) and
    eve (Björkskolan) have not published."""
    return world


def test_reminders_before_the_deadline_go_to_principals_who_have_not_published_once(round_world):
    w = round_world
    run(D(11, 30))
    assert mails() == []  # 15 days before: nothing yet
    run(D(12, 1))  # 14 days before
    assert mails() == [(kinds.DEADLINE, "bob@example.se"), (kinds.DEADLINE, "eve@example.se")]
    run(D(12, 1))
    run(D(12, 2))
    assert SentMail.objects.filter(kind=kinds.DEADLINE).count() == 2  # once, not again the next day
    with at(D(12, 5)):
        f.published_assessment(w.other_unit, w.rnd, by=w.eve)
    run(D(12, 12))  # 3 days before: only bob has not published
    assert mails(created_at__date=D(12, 12)) == [(kinds.DEADLINE, "bob@example.se")]
    run(D(12, 15))  # the day itself
    [today] = SentMail.objects.filter(created_at__date=D(12, 15), kind=kinds.DEADLINE)
    assert today.to_email == "bob@example.se" and "i dag" in today.subject
    assert SentMail.objects.filter(to_email="eve@example.se", kind=kinds.DEADLINE).count() == 1


def test_missed_runs_catch_up_once_with_the_latest_reminder_only(round_world):
    run(D(12, 13))  # no run since 14 days before; the 3-days trigger was yesterday
    sent = SentMail.objects.filter(kind=kinds.DEADLINE)
    assert sorted(m.dedupe_key.rsplit(":", 1)[1] for m in sent) == ["before3", "before3"]
    run(D(12, 13))
    assert SentMail.objects.filter(kind=kinds.DEADLINE).count() == 2


def test_after_the_deadline_no_stale_reminder_then_the_principal_and_district_lead_hear(round_world):
    run(D(12, 16))  # the day after: "before" reminders are stale, "after" not due yet
    assert mails() == []
    run(D(12, 23))  # 8 days after (a run was missed at 7 days): caught up, once
    assert mails() == [
        (kinds.LATE, "bob@example.se"),
        (kinds.LATE, "dave@example.se"),  # district lead of Norra, where Ekskolan is
        (kinds.LATE, "eve@example.se"),  # Södra has no district lead
    ]
    dave = SentMail.objects.get(to_email="dave@example.se")
    assert f"/mittkoping/units/{round_world.unit.pk}/" in dave.body_text  # the lead's link: the unit page
    run(D(12, 30))
    assert SentMail.objects.filter(kind=kinds.LATE).count() == 3


def test_mail_links_straight_to_the_page_and_speaks_the_recipients_language(round_world):
    w = round_world
    w.eve.language = "en"
    w.eve.save()
    run(D(12, 1))
    bob = SentMail.objects.get(to_email="bob@example.se")
    eve = SentMail.objects.get(to_email="eve@example.se")
    assert bob.language == "sv" and "Publicera" in bob.subject
    assert eve.language == "en" and eve.subject == "Publish Björkskolan's assessment by 2026-12-15"
    # no draft yet: the start page, where the assessment is started; with a draft: the draft
    assert bob.link == "https://stegvis.mittkoping.se/mittkoping/" or bob.link.endswith("/mittkoping/")
    assert bob.link in bob.body_text and bob.link in bob.body_html
    draft, _created = assessments.start_assessment(unit=w.other_unit, round=w.rnd, by=w.eve)
    run(D(12, 12))
    eve = SentMail.objects.filter(to_email="eve@example.se").latest("pk")
    assert eve.link.endswith(f"/mittkoping/assessments/{draft.pk}/")
    assert "/t/" in bob.body_text  # the unsubscribe link in the footer


def test_action_owner_hears_a_week_before_and_when_overdue_free_text_owners_do_not(round_world):
    w = round_world
    with at(D(12, 5)):
        _a, plan = f.published_assessment(w.other_unit, w.rnd, by=w.eve)
        mine = planning.add_action(plan=plan, by=w.eve, title="Fortbilda", owner_user=w.carol, due_date=D(1, 20, 2027))
        planning.add_action(plan=plan, by=w.eve, title="Namn", owner="Kim Lärare", due_date=D(1, 20, 2027))
    owner = {"to_email": "carol@example.se"}
    run(D(1, 12, 2027))
    assert mails(**owner) == []
    run(D(1, 13, 2027))  # 7 days before
    assert mails(**owner) == [(kinds.ACTION_DUE, "carol@example.se")]
    run(D(1, 20, 2027))  # the due date: not yet overdue
    run(D(1, 21, 2027))
    assert mails(**owner) == [(kinds.ACTION_DUE, "carol@example.se"), (kinds.ACTION_OVERDUE, "carol@example.se")]
    run(D(1, 28, 2027))
    assert len(mails(**owner)) == 2
    overdue = SentMail.objects.get(kind=kinds.ACTION_OVERDUE)
    assert f"/mittkoping/actions/{mine.pk}/" in overdue.body_text
    # a done action is quiet; a new due date is a new reminder
    with at(D(2, 1, 2027)):
        planning.update_action(action=mine, by=w.eve, expected_revision=mine.revision, due_date=D(2, 10, 2027))
    run(D(2, 11, 2027))
    assert len(mails(**owner, kind=kinds.ACTION_OVERDUE)) == 2


def test_follow_up_date_asks_principals_with_open_actions_to_review_their_plan(round_world):
    w = round_world
    with at(D(12, 5)):
        _a, plan = f.published_assessment(w.other_unit, w.rnd, by=w.eve)
        planning.add_action(plan=plan, by=w.eve, title="Öppen", due_date=D(6, 1, 2027))
        f.published_assessment(w.unit, w.rnd, by=w.bob)  # bob's plan has no open action
    FollowUpDate.objects.create(organizer=w.org, round=w.rnd, date=D(1, 15, 2027), title="Halvårsavstämning")
    FollowUpDate.objects.create(organizer=w.org, round=w.rnd, date=D(3, 15, 2027))
    run(D(1, 14, 2027))
    assert mails(kind=kinds.FOLLOW_UP) == []
    run(D(1, 18, 2027))  # caught up three days late
    assert mails(kind=kinds.FOLLOW_UP) == [(kinds.FOLLOW_UP, "eve@example.se")]
    run(D(1, 19, 2027))
    run(D(3, 16, 2027))
    assert mails(kind=kinds.FOLLOW_UP) == [(kinds.FOLLOW_UP, "eve@example.se")] * 2
    run(D(5, 1, 2027))  # long after the last: stale
    assert len(mails(kind=kinds.FOLLOW_UP)) == 2
    [first, _second] = SentMail.objects.filter(kind=kinds.FOLLOW_UP).order_by("pk")
    assert f"/mittkoping/plans/{plan.pk}/" in first.body_text and "Halvårsavstämning" in first.body_text


def test_weekly_digest_goes_to_admins_once_a_week_with_unpublished_and_overdue(round_world):
    w = round_world
    for day in range(1, 15):  # two weeks of daily runs
        run(D(12, day))
    digests = SentMail.objects.filter(kind=kinds.DIGEST).order_by("pk")
    assert [(m.to_email, m.created_at.date()) for m in digests] == [
        ("alice@example.se", D(12, 1)),  # Tuesday: the week's first run
        ("alice@example.se", D(12, 7)),  # Monday
        ("alice@example.se", D(12, 14)),
    ]
    assert "Ekskolan" in digests[0].body_text and "Björkskolan" in digests[0].body_text
    assert "Ej publicerade: 2 av 2 enheter" in digests[0].body_text
    assert not SentMail.objects.filter(kind=kinds.DIGEST, organizer=w.other_org).exists()


def test_the_organiser_switches_rules_off_and_chooses_other_days(round_world):
    w = round_world
    rules = domain.rules_for(w.rnd)
    assert (rules.days_before, rules.days_after, rules.action_days_before) == ([14, 3, 0], 7, 7)
    domain.change_rules(
        rules=rules,
        by=w.alice,
        days_before=[10],
        days_after=None,
        action_days_before=None,
        action_overdue=False,
        follow_up=False,
        digest=False,
    )
    run(D(12, 1))
    assert mails() == [] and not SentMail.objects.filter(kind=kinds.DIGEST).exists()
    run(D(12, 5))
    assert mails() == [(kinds.DEADLINE, "bob@example.se"), (kinds.DEADLINE, "eve@example.se")]
    run(D(12, 30))
    assert len(mails()) == 2


def test_users_switch_optional_kinds_off_but_not_their_deadline(round_world):
    w = round_world
    domain.set_preferences(organizer=w.org, user=w.alice, muted=[kinds.DIGEST])
    domain.set_preferences(organizer=w.org, user=w.bob, muted=[kinds.DEADLINE, kinds.FOLLOW_UP])
    assert domain.preference_of(organizer=w.org, user=w.bob).muted == [kinds.FOLLOW_UP]
    run(D(12, 1))
    assert not SentMail.objects.filter(kind=kinds.DIGEST).exists()
    assert (kinds.DEADLINE, "bob@example.se") in mails()


def test_closed_round_and_other_organisers_get_nothing(round_world, framework):
    w = round_world
    other_round = f.make_round(w.other_org, framework, name="Annan")
    run(D(12, 1))
    assert not SentMail.objects.filter(organizer=w.other_org).exclude(kind=kinds.DIGEST).exists()
    assert other_round.pk  # charlie's organiser has no principals: nothing to remind
    w.rnd.status = "closed"
    w.rnd.save()
    run(D(12, 12))
    assert SentMail.objects.filter(organizer=w.org, created_at__date=D(12, 12)).count() == 0


def test_an_inactive_user_or_one_who_left_is_not_mailed(round_world):
    w = round_world
    w.eve.is_active = False
    w.eve.save()
    run(D(12, 1))
    assert mails() == [(kinds.DEADLINE, "bob@example.se")]


def _pass_queries(day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run(day)
    return len(queries)


def test_the_pass_makes_as_many_queries_for_many_units_as_for_two(world, settings):
    """The pass itself (delivery is the worker's: the tasks are only queued here)."""
    from stegvis.organisations.models import Role

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django.contrib.contenttypes.models import ContentType

    from stegvis.notifications.models import Preference

    domain.rules_for(world.rnd)  # the round's rules exist in both runs
    ContentType.objects.get_for_model(Preference)  # and the content type is cached
    few = _pass_queries(D(12, 1))
    again_few = _pass_queries(D(12, 1))
    SentMail.objects.all().delete()
    for n in range(6):  # three times the units, principals and actions
        unit = f.UnitFactory(organizer=world.org, district=world.district, name=f"Skola {n}")
        f.member(f.UserFactory(email=f"p{n}@example.se"), world.org, Role.PRINCIPAL, unit=unit)
        assert world.rnd.unit_links.filter(unit=unit).exists()  # enrolled in the open round
    many = _pass_queries(D(12, 1))
    again_many = _pass_queries(D(12, 1))
    assert SentMail.objects.filter(kind=kinds.DEADLINE).count() == 8
    assert many == few and again_many == again_few
