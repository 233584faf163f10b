"""CSV helpers shared by every room that writes CSV."""

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# (CSV injection); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as text that spreadsheet programs show as text, never run as a formula."""
    value = str(value)
    return "'" + value if value[:1] in FORMULA_STARTS else value
