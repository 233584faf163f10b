"""The personal data each room holds, declared where it is held (docs/privacy.md).

A room that stores something about a person registers, in its ``AppConfig.ready``, one
``Holder``: what it shows when an admin exports everything Stegvis holds about a person in an
organiser, and what it does when that person is erased there. It may also register retention
rules: kinds of data that are deleted after a time the organiser chooses. The ``privacy`` room
(tier 9) runs them; it imports no room for this, so a new room needs only its own registration.

Every function is called inside one organiser (``organizer``) and must touch nothing outside it.
``export`` returns a list of dicts (one per record, plain JSON values, in the room's words);
``erase`` removes what is only about the person (their memberships, mails to them) and makes
their authorship of the organisation's data anonymous (the record stays, its author becomes
empty and pages show "deleted user").
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

_holders: dict[str, "Holder"] = {}
_retention: dict[str, "RetentionRule"] = {}


@dataclass(frozen=True)
class Holder:
    key: str
    label: object  # a lazy translation: the section's heading
    export: Callable  # (*, user, organizer) -> list[dict]
    erase: Callable  # (*, user, organizer) -> None
    columns: tuple = ()  # ((key, lazy label), ...): the row keys, as the readable export heads them
    order: int = 50


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: object  # what is deleted, as the organiser's settings page names it
    default_months: int
    minimum_months: int
    purge: Callable  # (*, organizer, before: datetime) -> int (rows deleted)
    why: object = ""  # why the default is what it is, shown beside the setting


def register_holder(holder):
    _holders[holder.key] = holder


def register_retention(rule):
    _retention[rule.key] = rule


def holders():
    return sorted(_holders.values(), key=lambda h: (h.order, h.key))


def retention_rules():
    return sorted(_retention.values(), key=lambda r: r.key)


def retention_rule(key):
    return _retention.get(key)


def when(value):
    """A date or time as export text (ISO 8601), or None."""
    return value.isoformat() if value else None


def months_before(moment, months):
    """The moment ``months`` months (of 30.44 days on average) before ``moment``."""
    return moment - datetime.timedelta(days=round(months * 30.44))
