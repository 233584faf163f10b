"""School forms (skolformer) as a small bit set.

A unit runs one or more school forms and an indicator applies to one or more. Both are
stored as an integer bit mask, so "does this indicator apply to this unit" is one bitwise
AND, in Python and in SQL alike, and filtering thousands of units needs no join table.
"""

from django.utils.translation import gettext_lazy as _

# code -> (bit, label). The order is the order shown everywhere.
SCHOOL_FORMS = {
    "forskola": (1, _("Preschool")),
    "grundskola": (2, _("Compulsory school")),
    "gymnasieskola": (4, _("Upper secondary school")),
    "anpassad_skola": (8, _("Adapted school")),
    "vuxenutbildning": (16, _("Adult education")),
}
ALL_FORMS = sum(bit for bit, _label in SCHOOL_FORMS.values())
PRESCHOOL = SCHOOL_FORMS["forskola"][0]

# Names people type in a CSV file or a framework file, lower-cased -> code.
ALIASES = {
    "förskola": "forskola",
    "forskola": "forskola",
    "preschool": "forskola",
    "grundskola": "grundskola",
    "compulsory school": "grundskola",
    "gymnasieskola": "gymnasieskola",
    "gymnasium": "gymnasieskola",
    "upper secondary school": "gymnasieskola",
    "anpassad skola": "anpassad_skola",
    "anpassad_skola": "anpassad_skola",
    "anpassad grundskola": "anpassad_skola",
    "anpassad gymnasieskola": "anpassad_skola",
    "särskola": "anpassad_skola",
    "adapted school": "anpassad_skola",
    "vuxenutbildning": "vuxenutbildning",
    "komvux": "vuxenutbildning",
    "vux": "vuxenutbildning",
    "adult education": "vuxenutbildning",
}


def choices():
    return [(code, label) for code, (_bit, label) in SCHOOL_FORMS.items()]


def to_mask(codes):
    """Bit mask for an iterable of codes; raises KeyError for an unknown code."""
    mask = 0
    for code in codes:
        mask |= SCHOOL_FORMS[code][0]
    return mask


def to_codes(mask):
    return [code for code, (bit, _label) in SCHOOL_FORMS.items() if mask & bit]


def labels(mask):
    return [str(label) for code, (bit, label) in SCHOOL_FORMS.items() if mask & bit]


def parse_name(text):
    """Code for a school form name as people write it, or None."""
    return ALIASES.get(" ".join(text.strip().lower().replace("-", " ").split()))
