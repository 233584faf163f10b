"""The organiser's plan's central actions in the year wheel and the feeds (docs/calendar.md,
docs/digital-plans.md): who may read the organiser's plan sees their due dates, others do not;
the organiser's feed has them; a new version of the plan keeps one event; another organiser's
never appear."""

import datetime

import icalendar
from django.utils import timezone

from stegvis.calendar import domain as calendar
from stegvis.goals import plans
from stegvis.goals.models import CentralAction
from stegvis.organisations.access import Access


def _feed(client, org, user, by=None):
    _feed, token = calendar.create_feed(organizer=org, user=user, by=by or user)
    response = client.get(f"/t/{token}/calendar.ics")
    assert response.status_code == 200
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def _central(events):
    return [e for e in events if "central_action" in e["categories"].cats]


def _plan(organizer, admin, *actions):
    plan = plans.start_organiser_plan(
        organizer=organizer, access=Access.for_user(user=admin, organizer=organizer), by=admin
    )
    for title, due, status in actions:
        action = CentralAction.objects.create(organizer=organizer, plan=plan, title=title)
        plans.save_central_action(action=action, by=admin, owner=admin, due_date=due, status=status)
    return plan


def test_organiser_plan_readers_see_the_central_actions_in_their_feed(client, world):
    day = timezone.localdate() + datetime.timedelta(days=20)
    plan = _plan(
        world.org,
        world.alice,
        ("Stöd för K2 Digitala lärresurser", day, CentralAction.Status.IN_PROGRESS),
        ("Inställt stöd", day, CentralAction.Status.DROPPED),
        ("Utan datum", None, CentralAction.Status.PLANNED),
    )
    _plan(world.other_org, world.charlie, ("Annanstads stöd", day, CentralAction.Status.PLANNED))
    [event] = _central(_feed(client, world.org, world.dave))  # a district lead reads the organiser's plan
    assert str(event["summary"]) == "Klart senast: Stöd för K2 Digitala lärresurser"
    assert event["dtstart"].dt == day
    assert "Status: Pågår" in str(event["description"]) and "Alice" in str(event["description"])
    assert str(event["url"]).endswith(f"/mittkoping/goals/organiser-plan/{plan.pk}/#central-support")
    uid = str(event["uid"])
    assert uid.startswith("central-action-") and event["sequence"] == 0
    assert [str(e["summary"]) for e in _central(_feed(client, world.org, world.vera))] == [str(event["summary"])]
    for user in (world.bob, world.carol, world.eve):  # principals and contributors do not
        assert _central(_feed(client, world.org, user)) == []
    assert len(_central(_feed(client, world.org, None, by=world.alice))) == 1  # the organiser's feed
    assert not [e for e in _feed(client, world.other_org, world.charlie) if "Stöd för K2" in str(e["summary"])]

    # a new version copies the action: still one event with the same UID, its SEQUENCE raised on a change
    plans.adopt_organiser_plan(plan=plan, by=world.alice)
    copy = plans.new_organiser_version(plan=plan, by=world.alice)
    [same] = _central(_feed(client, world.org, world.dave))
    assert str(same["uid"]) == uid and same["sequence"] == 0
    plans.save_central_action(
        action=copy.actions.get(title__startswith="Stöd"), by=world.alice, status=CentralAction.Status.DONE
    )
    [done] = _central(_feed(client, world.org, world.dave))
    assert str(done["uid"]) == uid and done["sequence"] == 1
    assert str(done["summary"]) == "Klar: Stöd för K2 Digitala lärresurser"
    assert str(done["url"]).endswith(f"/organiser-plan/{copy.pk}/#central-support")


def test_the_wheel_shows_central_actions_to_organiser_plan_readers_only(client, world):
    day = timezone.localdate() + datetime.timedelta(days=3)
    _plan(world.org, world.alice, ("Stöd för K2", day, CentralAction.Status.PLANNED))
    _plan(world.other_org, world.charlie, ("Annanstads stöd", day, CentralAction.Status.PLANNED))
    year = day.year if day.month >= 8 else day.year - 1
    for user in (world.alice, world.vera, world.dave):
        client.force_login(user)
        html = client.get(f"/mittkoping/calendar/?year={year}").content.decode()
        assert "Klart senast: Stöd för K2" in html and "Central åtgärd i huvudmannens plan" in html, user
        assert "Annanstads stöd" not in html
    client.force_login(world.dave)  # a district filter leaves them out: the plan is the whole organiser's
    html = client.get(f"/mittkoping/calendar/?year={year}&district={world.district.pk}").content.decode()
    assert "Klart senast: Stöd för K2" not in html
    client.force_login(world.bob)
    assert "Stöd för K2" not in client.get(f"/mittkoping/calendar/?year={year}").content.decode()
    client.force_login(world.charlie)
    html = client.get(f"/annanstad/calendar/?year={year}").content.decode()
    assert "Annanstads stöd" in html and "Stöd för K2" not in html
