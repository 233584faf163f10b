"""When each unit was last reminded to publish in a round, read from the mail record.

The reminders themselves are sent by ``notifications`` (a higher room); their ``SentMail``
dedupe keys begin with ``publish_key_prefix(round)`` and name the unit, so the publication
status page can show "last reminded" without knowing that room. The key is written only by
``publish_key`` (notifications imports it from here).
"""

from stegvis.core.models import SentMail

PREFIX = "publish-reminder"


def publish_key_prefix(round_id):
    return f"{PREFIX}:{round_id}:"


def publish_key(*, round_id, unit_id, user_id, trigger):
    """The dedupe key of one reminder to publish: round, unit, recipient and what set it off
    ("before14", "after7", "nudge-<batch>")."""
    return f"{publish_key_prefix(round_id)}{unit_id}:{user_id}:{trigger}"


def last_reminded(*, organizer, round):
    """{unit id: when the last reminder to publish in ``round`` was sent (or queued)}; one query."""
    prefix = publish_key_prefix(round.pk)
    result = {}
    for key, at in (
        SentMail.objects.filter(organizer=organizer, dedupe_key__startswith=prefix)
        .exclude(status=SentMail.Status.FAILED)
        .order_by()
        .values_list("dedupe_key", "created_at")
    ):
        unit_id = key[len(prefix) :].split(":", 1)[0]
        if unit_id.isdigit():
            unit_id = int(unit_id)
            if unit_id not in result or at > result[unit_id]:
                result[unit_id] = at
    return result
