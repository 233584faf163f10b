"""Reading a CSV file of units (format: docs/unit-import.md).

``parse_units`` reads and checks the whole file and returns either clean rows or every problem
found, each with its line number. It changes nothing; ``domain.import_units`` writes the rows.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stegvis.core import schoolforms
from stegvis.core.text import control_character_message

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
DELIMITERS = (",", ";")
FORM_SEPARATORS = ("|", "/", "+")

# Header names people write (normalised: lower case, single spaces) -> column key.
HEADERS = {
    "name": "name",
    "unit name": "name",
    "namn": "name",
    "enhetsnamn": "name",
    "skolenhetsnamn": "name",
    "unit code": "code",
    "code": "code",
    "skolenhetskod": "code",
    "enhetskod": "code",
    "kod": "code",
    "school forms": "school_forms",
    "school form": "school_forms",
    "skolformer": "school_forms",
    "skolform": "school_forms",
    "district": "district",
    "område": "district",
    "omrade": "district",
    "utbildningsområde": "district",
    "rektorsområde": "district",
    "active": "active",
    "aktiv": "active",
}
REQUIRED = ("name", "code", "school_forms", "district")
YES = {"yes", "ja", "1", "true", "x", "active", "aktiv"}
NO = {"no", "nej", "0", "false", "inactive", "inaktiv"}


def column_names():
    """The required columns as the user reads them (for messages)."""
    return {
        "name": _("name"),
        "code": _("unit code"),
        "school_forms": _("school forms"),
        "district": _("district"),
    }


@dataclass
class UnitRow:
    line: int
    name: str
    code: str
    school_forms: int
    district: object  # District or None
    active: bool | None  # None: the file has no active column


@dataclass
class ParseResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line number or None, message)

    @property
    def ok(self):
        return not self.errors

    def error(self, line, message):
        self.errors.append((line, message))
        return self


def _norm(text):
    return " ".join((text or "").strip().lower().replace("_", " ").replace("-", " ").split())


def _read_header(first_line):
    """Pick the delimiter that makes the first line the best header: (delimiter, cells)."""
    best = None
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(1 for c in cells if _norm(c) in HEADERS)
        score = (known, len(cells))
        if best is None or score > best[0]:
            best = (score, delimiter, cells)
    return best[1], best[2]


def _school_form_lookup():
    """Names accepted for a school form: the aliases plus the labels in the current language."""
    labels = {_norm(str(label)): code for code, label in schoolforms.choices()}
    return lambda text: schoolforms.parse_name(text) or labels.get(_norm(text))


def _split_forms(cell):
    """School form names in one cell: separated by | / + or the other delimiter.

    A quoted cell may also use the file's own delimiter (``"Förskola, Grundskola"``): no school
    form name contains a comma or a semicolon.
    """
    for sep in (*FORM_SEPARATORS[1:], *DELIMITERS):
        cell = cell.replace(sep, FORM_SEPARATORS[0])
    return [part.strip() for part in cell.split(FORM_SEPARATORS[0]) if part.strip()]


def parse_units(uploaded, *, districts):
    """Read an uploaded CSV file of units.

    ``districts`` are the organiser's districts (matched by name, case-insensitive). Returns a
    ``ParseResult``: all problems with their line numbers, or the clean rows when there are none.
    """
    result = ParseResult()
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        return result.error(None, _("The file is too large: at most 2 MB."))
    raw = uploaded.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return result.error(None, _("The file is too large: at most 2 MB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return result.error(
            None,
            _("The file is not UTF-8 encoded. In Excel, save it as “CSV UTF-8 (comma delimited)” and try again."),
        )
    if not text.strip():
        return result.error(None, _("The file is empty."))

    # The header is the first non-blank line.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_index = next(i for i, line in enumerate(lines) if line.strip())
    delimiter, header = _read_header(lines[header_index])
    columns = {}
    for index, cell in enumerate(header):
        key = HEADERS.get(_norm(cell))
        if key is None:
            continue
        if key in columns:
            return result.error(
                header_index + 1, _("The column “%(column)s” appears twice.") % {"column": cell.strip()}
            )
        columns[key] = index
    names = column_names()
    expected = ", ".join(str(names[k]) for k in REQUIRED)
    if not columns:
        return result.error(
            header_index + 1,
            _("The first line must be a header row with the columns: %(columns)s.") % {"columns": expected},
        )
    missing = [str(names[k]) for k in REQUIRED if k not in columns]
    if missing:
        return result.error(
            header_index + 1,
            _("Column missing: %(missing)s. The header row needs: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": expected},
        )

    by_name = {_norm(d.name): d for d in districts}
    known_districts = ", ".join(sorted(d.name for d in districts)) or _("(none yet: create districts first)")
    known_forms = ", ".join(str(label) for _code, label in schoolforms.choices())
    school_form = _school_form_lookup()
    seen_codes = {}

    body = io.StringIO("\n".join(lines[header_index + 1 :]))
    reader = csv.reader(body, delimiter=delimiter)
    count = 0
    previous = 0  # physical lines read so far: a row starts on the next one
    try:
        for cells in reader:
            line = header_index + 2 + previous
            previous = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                result.rows = []
                return result.error(
                    None,
                    _("The file has more than %(max)s units. Split it into smaller files.")
                    % {"max": number_format(MAX_ROWS, force_grouping=True)},
                )
            _parse_row(
                result,
                line,
                cells,
                columns=columns,
                delimiter=delimiter,
                header_len=len(header),
                by_name=by_name,
                known_districts=known_districts,
                known_forms=known_forms,
                school_form=school_form,
                seen_codes=seen_codes,
            )
    except csv.Error as error:
        result.error(header_index + 2 + previous, _("The file could not be read as CSV: %(error)s") % {"error": error})
    if count == 0 and not result.errors:
        result.error(None, _("The file has a header row but no units."))
    if result.errors:
        result.rows = []
    return result


def _parse_row(
    result,
    line,
    cells,
    *,
    columns,
    delimiter,
    header_len,
    by_name,
    known_districts,
    known_forms,
    school_form,
    seen_codes,
):
    def cell(key):
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    if len(cells) > header_len and any(c.strip() for c in cells[header_len:]):
        result.error(
            line,
            _(
                "This line has more cells than the header row. Put text containing “%(delimiter)s” in quotes, "
                "or separate school forms with “|”."
            )
            % {"delimiter": delimiter},
        )
        return
    problems = [
        (key, control_character_message(cells[index].strip()))
        for key, index in sorted(columns.items(), key=lambda item: item[1])
        if index < len(cells)
    ]
    problems = [(key, problem) for key, problem in problems if problem]
    if problems:  # the other checks would only quote the invisible characters back
        labels = {**column_names(), "active": _("active")}
        for key, problem in problems:
            result.error(line, _("Column “%(column)s”: %(problem)s") % {"column": labels[key], "problem": problem})
        return
    name = cell("name")
    if not name:
        result.error(line, _("The name is missing."))
    elif len(name) > 200:
        result.error(line, _("The name is longer than 200 characters."))

    code = cell("code")
    if not code:
        result.error(line, _("The unit code is missing."))
    elif not (len(code) == 8 and code.isascii() and code.isdigit()):
        result.error(line, _("The unit code “%(code)s” is not eight digits.") % {"code": code})
    elif code in seen_codes:
        result.error(
            line, _("The unit code %(code)s is also on line %(other)s.") % {"code": code, "other": seen_codes[code]}
        )
    else:
        seen_codes[code] = line

    mask = 0
    form_names = _split_forms(cell("school_forms"))
    if not form_names:
        result.error(line, _("No school form given. Known school forms: %(known)s.") % {"known": known_forms})
    for form_name in form_names:
        code_ = school_form(form_name)
        if code_ is None:
            result.error(
                line,
                _("Unknown school form “%(form)s”. Known school forms: %(known)s.")
                % {"form": form_name, "known": known_forms},
            )
        else:
            mask |= schoolforms.to_mask([code_])

    district = None
    district_name = cell("district")
    if district_name:
        district = by_name.get(_norm(district_name))
        if district is None:
            result.error(
                line,
                _("Unknown district “%(district)s”. Known districts: %(known)s.")
                % {"district": district_name, "known": known_districts},
            )

    active = None
    if "active" in columns and cell("active"):
        value = _norm(cell("active"))
        if value in YES:
            active = True
        elif value in NO:
            active = False
        else:
            result.error(line, _("“%(value)s” in the active column: write yes or no.") % {"value": cell("active")})

    if not result.errors:
        result.rows.append(
            UnitRow(line=line, name=name, code=code, school_forms=mask, district=district, active=active)
        )
