"""The kinds of notification mail, which of them a user may switch off, and their labels.

A kind is also the ``SentMail.kind`` of its mails. Mandatory kinds (the deadline for one's own
unit, the organiser's own "send a reminder now") cannot be switched off by a user; the organiser
switches them off for a round in its reminder rules.
"""

from django.utils.translation import gettext_lazy as _

DEADLINE = "reminder.deadline"  # before the publish-by date, to the principal of an unpublished unit
LATE = "reminder.late"  # some days after it, to the principal and the district lead
NUDGE = "reminder.nudge"  # "send a reminder now" from the status page
ACTION_DUE = "reminder.action_due"  # an action's due date is near, to its owner
ACTION_OVERDUE = "reminder.action_overdue"  # an action's due date has passed, to its owner
FOLLOW_UP = "reminder.follow_up"  # a follow-up date: "review your plan", to principals with open actions
DIGEST = "digest.weekly"  # the weekly digest, to organiser admins
NETWORK_ACTION = "reminder.network_action"  # a network meeting's action item is near or past due, to its owner
CENTRAL_ACTION = "reminder.central_action"  # a central action of the organiser's plan is near or past due, to its owner

LABELS = {
    DEADLINE: _("Reminders before the publish-by date"),
    LATE: _("Reminders after the publish-by date"),
    NUDGE: _("Reminders sent by the organiser"),
    ACTION_DUE: _("An action's due date is near"),
    ACTION_OVERDUE: _("An action is overdue"),
    FOLLOW_UP: _("Follow-up dates: review your plan"),
    DIGEST: _("Weekly digest for organiser admins"),
    NETWORK_ACTION: _("A network action item is due soon or overdue"),
    CENTRAL_ACTION: _("A central action of the organiser's plan is due soon or overdue"),
}
MANDATORY = frozenset({DEADLINE, LATE, NUDGE})
OPTIONAL = [k for k in LABELS if k not in MANDATORY]
ALL = list(LABELS)
