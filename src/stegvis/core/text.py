"""Control characters in text people type, paste or upload.

A control character (U+0000–U+001F, U+007F–U+009F) has no place in a name or a comment: it is
invisible, usually left over from copying out of another program, and PostgreSQL refuses NUL in
text outright. Multi-line text (a textarea) keeps tab, line feed and carriage return. Forms check
every text field (``core.forms``), query strings are refused with a 400 page
(``core.middleware.ControlCharacterMiddleware``), the unit import checks every cell.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS_AND_TABS = "\t\n\r"


def find_control_character(value, *, multiline=False):
    """The first control character in ``value`` as ``(position from 1, character)``, or None."""
    match = (CONTROL_IN_MULTILINE if multiline else CONTROL).search(value)
    return (match.start() + 1, match.group()) if match else None


def has_control_character(value, *, multiline=False):
    return (CONTROL_IN_MULTILINE if multiline else CONTROL).search(value) is not None


def remove_control_characters(value):
    return CONTROL.sub("", value)


def control_character_message(value, *, multiline=False):
    """What to tell the user about the first control character in ``value`` (None if there is none)."""
    found = find_control_character(value, multiline=multiline)
    if found is None:
        return None
    position, character = found
    if character in LINE_BREAKS_AND_TABS:
        return _("Remove the line break or tab at character %(position)s: this takes a single line of text.") % {
            "position": position
        }
    return _(
        "Remove the invisible control character at character %(position)s "
        "(it often comes along when text is copied from another program)."
    ) % {"position": position}


@deconstructible
class ControlCharacterValidator:
    """Refuses text with control characters; ``multiline`` keeps tab and line breaks."""

    code = "control_character"

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        message = control_character_message(str(value), multiline=self.multiline)
        if message:
            raise ValidationError(message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline
