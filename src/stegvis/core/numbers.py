"""How figures are rounded and written, the same on every page, in the PDFs and in charts.

Maturity index figures (0-100) have no decimals; mean levels (1-4) have one. Halves round up
(2.75 -> 2.8, 50.5 -> 51), as people round by hand, not to even as Python's ``round`` does.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

INDEX_DIGITS = 0  # the maturity index, 0-100
LEVEL_DIGITS = 1  # a mean level, such as an area's average
MISSING = "–"


def rounded(value, digits=0):
    """``value`` rounded half up to ``digits`` decimals, as a Decimal; None stays None."""
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def figure(value, digits=0):
    """``value`` rounded and written for the current language ("2,8" in Swedish, "2.8" in
    English), or "–" when there is none."""
    number = rounded(value, digits)
    if number is None:
        return MISSING
    return number_format(number, decimal_pos=digits)
