"""Password rules beyond Django's validators (settings.AUTH_PASSWORD_VALIDATORS)."""

import functools
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords-sv.txt"
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def _normalised(text):
    """Case-folded, without spaces: the form passwords and list entries are compared in."""
    return "".join(text.casefold().split())


@functools.cache
def common_passwords():
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(_normalised(line) for line in lines if line.strip() and not line.startswith("#"))


class SwedishPasswordValidator:
    """Refuse a password of only white space, and the commonest Swedish passwords.

    A password is refused when, compared case-insensitively and without spaces, it is on the list
    (``data/common-passwords-sv.txt``), or is a listed word with only digits and punctuation
    around it: "Sommar2024!", "hejhej123" and "Mittkoping1" all go.
    """

    def validate(self, password, user=None):
        if not password.strip():
            raise ValidationError(_("A password cannot be only spaces."), code="password_blank")
        plain = _normalised(password)
        if plain in common_passwords() or _EDGES.sub("", plain) in common_passwords():
            raise ValidationError(
                _(
                    "This password is too common. Avoid words such as “sommar”, “lösenord” or a town’s name with a year."
                ),
                code="password_too_common_sv",
            )

    def get_help_text(self):
        return _("Your password cannot be a common Swedish password such as “sommar2024”.")
