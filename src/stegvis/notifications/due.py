"""The mails a reminder pass is to send (``Due``), and texts rendered later in each recipient's
language (``Later``, ``Picked``): shared by ``domain`` and ``item_reminders``."""

from dataclasses import dataclass

from stegvis.core.i18n import pick


class Picked:
    """A bilingual name picked when it is rendered (in the recipient's language)."""

    def __init__(self, sv, en):
        self.sv, self.en = sv, en

    def __str__(self):
        return pick(self.sv, self.en)


class Later:
    """A text translated when it is rendered (in the recipient's language), with its values."""

    def __init__(self, text, **params):
        self.text, self.params = text, params

    def __str__(self):
        return str(self.text) % {k: str(v) for k, v in self.params.items()}


@dataclass
class Due:
    """One mail the pass is to send."""

    kind: str
    user_id: int
    key: str
    template: str
    subject: object
    why: object
    path: str
    context: dict
