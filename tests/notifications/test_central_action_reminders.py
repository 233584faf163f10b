"""Reminders to the owners of the organiser's plan's central actions, through the reminder pass
and the real SMTP test server: a week before the due date and once when overdue, whether or not
a round is open, in the owner's language, never about a done action, never twice (also not for
the copy in a new version of the plan); and the admins' digest counts the overdue ones
(docs/digital-plans.md, docs/notifications.md)."""

import datetime

import time_machine

from stegvis.core.models import SentMail
from stegvis.cycles.models import Round
from stegvis.goals import plans
from stegvis.goals.models import CentralAction
from stegvis.notifications import domain, kinds
from stegvis.organisations.access import Access
from tests.mailserver import links_in, text_of


def run(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=datetime.UTC), tick=False):
        domain.send_due_reminders()


def _plan(organizer, admin, *actions, year=2026):
    """The organiser's plan of ``year`` with central actions ``(title, owner, due date)``."""
    plan = plans.start_organiser_plan(
        organizer=organizer, access=Access.for_user(user=admin, organizer=organizer), by=admin, year=year
    )
    made = []
    for title, owner, due in actions:
        action = CentralAction.objects.create(organizer=organizer, plan=plan, title=title)
        made.append(plans.save_central_action(action=action, by=admin, owner=owner, due_date=due))
    return plan, made


def test_the_owner_of_a_central_action_hears_before_and_after_its_due_date(world, smtp_server):
    Round.objects.filter(organizer=world.org).update(status=Round.Status.CLOSED)  # no open round
    plan, (support, done) = _plan(
        world.org,
        world.alice,
        ("Stöd för K2 Digitala lärresurser", world.vera, datetime.date(2027, 2, 1)),
        ("Redan klar", world.dave, datetime.date(2027, 2, 1)),
    )
    plans.save_central_action(action=done, by=world.alice, status=CentralAction.Status.DONE)
    plans.adopt_organiser_plan(plan=plan, by=world.alice)
    run(datetime.date(2027, 1, 24))  # 8 days before: nothing
    assert smtp_server.messages == []
    run(datetime.date(2027, 1, 25))  # a week before
    run(datetime.date(2027, 1, 26))  # once
    [message] = smtp_server.messages
    assert message["To"] == "vera@example.se"
    assert message["Subject"].strip() == "Klart senast 2027-02-01: Stöd för K2 Digitala lärresurser"
    body = text_of(message)
    assert "Den centrala åtgärden ”Stöd för K2 Digitala lärresurser” i Mittköpings kommuns plan" in body
    assert any(
        link.endswith(f"/mittkoping/goals/organiser-plan/{plan.pk}/#central-support") for link in links_in(message)
    )
    assert message["List-Unsubscribe"]  # an optional kind: one click switches it off
    # a new version of the adopted plan copies the action: its copy is not reminded again
    copy = plans.new_organiser_version(plan=plan, by=world.alice)
    run(datetime.date(2027, 1, 27))
    assert len(smtp_server.messages) == 1
    run(datetime.date(2027, 2, 2))  # overdue
    run(datetime.date(2027, 2, 9))
    assert [m["Subject"].strip() for m in smtp_server.messages][1:] == ["Försenad: Stöd för K2 Digitala lärresurser"]
    assert f"/goals/organiser-plan/{copy.pk}/" in text_of(smtp_server.messages[1])  # the newest version
    plans.save_central_action(action=copy.actions.get(title__startswith="Stöd"), by=world.alice, status="done")
    run(datetime.date(2027, 2, 10))
    assert SentMail.objects.filter(kind=kinds.CENTRAL_ACTION).count() == 2
    assert not SentMail.objects.filter(kind=kinds.CENTRAL_ACTION, to_email="dave@example.se").exists()


def test_a_new_due_date_is_a_new_reminder_in_the_owners_language(world, smtp_server):
    world.vera.language = "en"
    world.vera.save()
    _plan_, [action] = _plan(world.org, world.alice, ("Support for K2", world.vera, datetime.date(2027, 2, 1)))
    run(datetime.date(2027, 1, 25))
    plans.save_central_action(action=action, by=world.alice, due_date=datetime.date(2027, 3, 1))
    run(datetime.date(2027, 2, 2))  # the old date has passed, the new one is a month away: nothing
    run(datetime.date(2027, 2, 22))
    mine = [m for m in smtp_server.messages if m["To"] == "vera@example.se"]
    assert [m["Subject"].strip() for m in mine] == ["Due 2027-02-01: Support for K2", "Due 2027-03-01: Support for K2"]
    assert "The central action “Support for K2” of Mittköpings kommun's plan" in text_of(mine[1])


def test_an_owner_who_switched_central_action_reminders_off_hears_nothing(world, smtp_server):
    _plan(world.org, world.alice, ("Stöd", world.vera, datetime.date(2027, 2, 1)))
    domain.set_preferences(organizer=world.org, user=world.vera, muted=[kinds.CENTRAL_ACTION])
    run(datetime.date(2027, 1, 25))
    run(datetime.date(2027, 2, 2))
    assert [m for m in smtp_server.messages if m["To"] == "vera@example.se"] == []
    assert not SentMail.objects.filter(kind=kinds.CENTRAL_ACTION).exists()


def test_another_organisers_central_actions_go_to_its_own_owner_only(world, smtp_server):
    _plan(world.other_org, world.charlie, ("Annanstads stöd", world.charlie, datetime.date(2027, 2, 1)))
    _plan(world.org, world.alice, ("Mittköpings stöd", world.vera, datetime.date(2027, 2, 1)))
    run(datetime.date(2027, 1, 25))
    got = sorted((m["To"], m["Subject"].strip()) for m in smtp_server.messages if "stöd" in m["Subject"].strip())
    assert got == [
        ("charlie@example.se", "Klart senast 2027-02-01: Annanstads stöd"),
        ("vera@example.se", "Klart senast 2027-02-01: Mittköpings stöd"),
    ]
    [charlies] = SentMail.objects.filter(kind=kinds.CENTRAL_ACTION, to_email="charlie@example.se")
    assert charlies.organizer == world.other_org and "/annanstad/goals/organiser-plan/" in charlies.body_text


def test_the_digest_counts_the_overdue_central_actions(world, smtp_server):
    _plan(
        world.org,
        world.alice,
        ("Stöd för K1", world.vera, datetime.date(2026, 11, 20)),
        ("Stöd för K2", None, datetime.date(2026, 11, 25)),
        ("Stöd för K3", world.vera, datetime.date(2027, 3, 1)),  # not yet due
    )
    _plan(world.other_org, world.charlie, ("Annanstads stöd", world.charlie, datetime.date(2026, 11, 1)))
    run(datetime.date(2026, 12, 1))
    [digest] = [m for m in smtp_server.messages if m["To"] == "alice@example.se"]
    body = text_of(digest)
    assert "Försenade centrala åtgärder: 2" in body
    assert "- Stöd för K1 (2026-11-20)" in body and "- Stöd för K2 (2026-11-25)" in body
    assert "K3" not in body and "Annanstad" not in body
