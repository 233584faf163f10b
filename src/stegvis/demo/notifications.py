"""The demo's notifications (docs/notifications.md): the open round's reminder rules (the
organiser added a reminder six weeks ahead), a follow-up date, action owners who are users, the
reminder passes of the last four weeks as the scheduler would have run them each morning, and a
reminder the admin sent by hand from the status page with a personal line. Every mail is
recorded as sent and never sent: demo addresses are not real.
"""

import datetime
import random

from django.utils import timezone

from stegvis.core import mail
from stegvis.core.models import SentMail
from stegvis.cycles.models import FollowUpDate, Round
from stegvis.notifications import domain as notifications
from stegvis.notifications import kinds
from stegvis.planning.models import Action

PASS_DAYS = 28  # the reminder passes replayed, one each morning
PERSONAL_LINE = "Hör av dig till mig om ni behöver hjälp att komma i gång – jag kommer gärna ut till er."


def build(builder):
    """Add the notifications to the demo ``builder`` has built (called once, at the end)."""
    org, today = builder.org, builder.today
    # its own random sequence, so that what other demo parts draw does not change these choices
    rng = random.Random(9)
    rnd = Round.objects.filter(organizer=org, status=Round.Status.OPEN).order_by("-opens_on").first()
    if rnd is None:
        return
    rules = notifications.rules_for(rnd)
    notifications.change_rules(
        rules=rules,
        by=builder.admin,
        days_before=[42, 14, 3, 0],
        days_after=7,
        action_days_before=7,
        action_overdue=True,
        follow_up=True,
        digest=True,
    )
    follow_up = today - datetime.timedelta(days=6)
    FollowUpDate.objects.get_or_create(
        organizer=org, round=rnd, date=follow_up, defaults={"title": "Uppföljning efter höstlovet"}
    )
    # the later follow-up dates of the year come from the calendar's part of the demo (demo/calendar.py)
    # a third of the open round's open actions are owned by the principal or an IT educator, as users
    people = {s.unit.pk: [s.principal, *s.contributors] for s in builder.states}
    owned = []
    for action in Action.objects.filter(organizer=org, plan__round=rnd, status__in=Action.OPEN_STATUSES).order_by("pk"):
        if rng.random() < 0.35 and action.unit_id in people:
            action.owner_user = rng.choice(people[action.unit_id])
            action.due_date = action.due_date or today + datetime.timedelta(days=rng.randint(-20, 40))
            owned.append(action)
    # so that the demo always shows both kinds of action reminder: one due within the week, one overdue
    for action, days in zip(owned, (5, -4), strict=False):
        action.due_date = today + datetime.timedelta(days=days)
    Action.objects.bulk_update(owned, ["owner_user", "due_date"])

    tz = timezone.get_default_timezone()
    for back in range(PASS_DAYS, -1, -1):
        day = today - datetime.timedelta(days=back)
        when = min(datetime.datetime.combine(day, datetime.time(7, 5), tz), builder.now)
        _recorded(notifications.remind_organizer(organizer=org, today=day), when)

    # the admin reminded three units by hand three days ago, from the status page
    from stegvis.assessments.status import PUBLISHED, unit_statuses

    waiting = sorted(u for u, info in unit_statuses(organizer=org, round=rnd).items() if info.status != PUBLISHED)
    if waiting:
        when = builder.moment(today - datetime.timedelta(days=3))
        ids = notifications.send_nudges(
            organizer=org,
            round=rnd,
            unit_ids=rng.sample(waiting, min(3, len(waiting))),
            personal_line=PERSONAL_LINE,
            batch=notifications.new_batch(),
            by=builder.admin,
        )
        _recorded(ids, when)
    count = SentMail.objects.filter(organizer=org, kind__in=kinds.ALL).count()
    builder_write(builder, f"Notifications: {count} reminders and digests sent over the last {PASS_DAYS} days")


def _recorded(ids, when):
    """Mark the mails sent at ``when`` without sending them."""
    for pk in ids:
        mail.record_as_sent(mail_id=pk, at=when)
    SentMail.objects.filter(pk__in=ids).update(created_at=when, attempted_at=when, sent_at=when)


def builder_write(builder, text):
    if builder.stdout is not None:
        builder.stdout.write(text + "\n")
