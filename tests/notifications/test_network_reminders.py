"""Reminders to the owners of network action items, through the reminder pass and the real SMTP
test server: once a week before the due date and once when overdue, whether or not a round is
open (docs/networks.md, docs/notifications.md)."""

import datetime

import time_machine

from stegvis.core.models import SentMail
from stegvis.cycles.models import Round
from stegvis.networks import domain as networks
from stegvis.notifications import domain, kinds
from tests.mailserver import links_in, text_of


def run(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=datetime.UTC), tick=False):
        domain.send_due_reminders()


def test_the_owner_of_a_network_action_item_hears_before_and_after_its_due_date(world, smtp_server):
    Round.objects.filter(organizer=world.org).update(status=Round.Status.CLOSED)  # no open round
    network = networks.create_network(organizer=world.org, by=world.alice, name="IKT-nätverket")
    networks.add_member(network=network, user=world.carol, by=world.alice)
    meeting = networks.create_meeting(
        network=network,
        by=world.alice,
        date=datetime.date(2027, 1, 10),
        starts_at=datetime.time(14),
        theme="T",
        place="X",
    )
    item = networks.add_action_item(
        meeting=meeting, title="Dela mallarna", owner=world.carol, due_date=datetime.date(2027, 2, 1), by=world.alice
    )
    done = networks.add_action_item(
        meeting=meeting, title="Redan klar", owner=world.eve, due_date=datetime.date(2027, 2, 1), by=world.alice
    )
    networks.change_action_item(item=done, by=world.alice, status="done")
    run(datetime.date(2027, 1, 24))  # 8 days before: nothing
    assert smtp_server.messages == []
    run(datetime.date(2027, 1, 25))  # a week before
    run(datetime.date(2027, 1, 26))  # once
    [message] = smtp_server.messages
    assert message["To"] == "carol@example.se" and "Dela mallarna" in message["Subject"]
    assert "Åtgärdspunkten ”Dela mallarna” från IKT-nätverket" in text_of(message)
    assert any(link.endswith(f"/mittkoping/networks/meetings/{meeting.pk}/#action-items") for link in links_in(message))
    run(datetime.date(2027, 2, 2))  # overdue
    run(datetime.date(2027, 2, 9))
    assert [m["Subject"] for m in smtp_server.messages][1:] == ["Försenad: Dela mallarna"]
    networks.change_action_item(item=item, by=world.carol, status="done")
    run(datetime.date(2027, 2, 10))
    assert SentMail.objects.filter(kind=kinds.NETWORK_ACTION).count() == 2


def test_a_user_who_switched_network_reminders_off_hears_nothing(world, smtp_server):
    network = networks.create_network(organizer=world.org, by=world.alice, name="IKT-nätverket")
    meeting = networks.create_meeting(
        network=network,
        by=world.alice,
        date=datetime.date(2027, 1, 10),
        starts_at=datetime.time(14),
        theme="T",
        place="X",
    )
    networks.add_action_item(
        meeting=meeting, title="Dela", owner=world.carol, due_date=datetime.date(2027, 2, 1), by=world.alice
    )
    domain.set_preferences(organizer=world.org, user=world.carol, muted=[kinds.NETWORK_ACTION])
    run(datetime.date(2027, 1, 25))
    assert [m for m in smtp_server.messages if m["To"] == "carol@example.se"] == []
    assert not SentMail.objects.filter(kind=kinds.NETWORK_ACTION).exists()
