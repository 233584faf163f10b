"""Reading a file of units: Stegvis's own CSV, or an export of Skolverket's school-unit register
(its JSON, its Excel extract, a CSV saved from it). Formats: docs/unit-import.md.

``parse_units`` reads and checks the whole file and returns either clean rows or every problem
found, each with its place (line, row or entry). It changes nothing. ``plan_import`` compares
clean rows with the organiser's units (what would be created, changed, left alone or skipped)
for the preview; ``domain.import_units`` writes them, comparing again with ``compare``.
"""

import csv
import hashlib
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.core import schoolforms
from stegvis.core.text import control_character_message

from . import register

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 80 * 1024 * 1024  # an .xlsx is a zip: what it may unpack to
MAX_ROWS = 20_000
HEADER_SCAN = 30  # the header row is looked for among the first lines or rows
MAX_COLUMNS = 200
DELIMITERS = (",", ";", "\t")
FORM_SEPARATORS = ("|", "/", "+")
MAX_BLANK_ROWS = 500  # a worksheet ends after this many blank rows (formatting often runs on)
KEEP = "keep"  # the file does not say (a district or the school forms): the unit keeps its own
CONFIRM_CHANGED = 10  # ask for a tick when more existing units than this would change ...
CONFIRM_SHARE = 0.2  # ... or more than this share of them ...
CONFIRM_CREATED = 10  # ... or more new units than this would be created

# Header names people and Skolverket's extracts write (normalised: lower case, single spaces) -> column key.
HEADERS = {
    "name": "name",
    "unit name": "name",
    "namn": "name",
    "enhetsnamn": "name",
    "skolenhetsnamn": "name",
    "skolenhetens namn": "name",
    "school unit name": "name",
    "unit code": "code",
    "school unit code": "code",
    "skolenhetskod": "code",
    "skolenhets kod": "code",
    "skolenhetens kod": "code",
    "enhetskod": "code",
    "schoolunitcode": "code",
    "school forms": "school_forms",
    "school form": "school_forms",
    "school types": "school_forms",
    "skolformer": "school_forms",
    "skolform": "school_forms",
    "skolform(er)": "school_forms",
    "skolformer (koder)": "school_forms",
    "district": "district",
    "område": "district",
    "omrade": "district",
    "utbildningsområde": "district",
    "rektorsområde": "district",
    "active": "active",
    "aktiv": "active",
    "status": "status",
    "skolenhetsstatus": "status",
    "skolenhetens status": "status",
    "kommunkod": "municipality",
    "kommun kod": "municipality",
    "lägeskommunkod": "municipality",
    "lägeskommun kod": "municipality",
    "municipality code": "municipality",
    "organisationsnummer": "organisation",
    "organisationsnr": "organisation",
    "orgnr": "organisation",
    "org nr": "organisation",
    "org.nr": "organisation",
    "peorgnr": "organisation",
    "huvudmannens organisationsnummer": "organisation",
    "huvudmans organisationsnummer": "organisation",
    "organisation number": "organisation",
    "organization number": "organisation",
}
# Headers whose meaning depends on their values: a generic "Kod" is the unit code only when it
# holds eight-digit codes (Skolverket's extract puts the four-digit municipality code there);
# "Kommun" is a municipality code only when it holds four-digit codes (else a name, not read).
GENERIC_CODE = {"kod", "code"}
MUNICIPALITY_OR_NAME = {"kommun", "lägeskommun", "municipality"}
REQUIRED = ("name", "code", "school_forms")
YES = {"yes", "ja", "1", "true", "x", "active", "aktiv", "j"}
NO = {"no", "nej", "0", "false", "inactive", "inaktiv", "n"}


def column_names():
    """The columns as the user reads them (for messages)."""
    return {
        "name": _("name"),
        "code": _("unit code"),
        "school_forms": _("school forms"),
        "district": _("district"),
    }


@dataclass(frozen=True)
class Place:
    """Where in the file: a CSV line, a worksheet row or a JSON entry (counting from 1)."""

    line: int
    kind: str = "line"  # "line", "row" or "entry"
    sheet: str = ""

    def __str__(self):
        if self.kind == "entry":
            return _("Entry %(number)s") % {"number": self.line}
        if self.kind == "row" and self.sheet:
            return _("Sheet “%(sheet)s”, row %(number)s") % {"sheet": self.sheet, "number": self.line}
        if self.kind == "row":
            return _("Row %(number)s") % {"number": self.line}
        return _("Line %(number)s") % {"number": self.line}

    def to_json(self):
        return [self.line, self.kind, self.sheet]

    @classmethod
    def from_json(cls, data):
        return cls(line=data[0], kind=data[1], sheet=data[2])


@dataclass
class UnitRow:
    place: Place
    name: str
    code: str
    school_forms: int | None  # None: the file gives none (the unit keeps its own)
    district_id: object = KEEP  # a District pk, None (no district) or KEEP (the file has no district column)
    active: bool | None = None  # None: the file does not say
    status: str = ""  # register.ACTIVE ... or "" when the file has none
    municipality: str = ""
    organisation: str = ""

    def to_json(self):
        return {
            "place": self.place.to_json(),
            "name": self.name,
            "code": self.code,
            "school_forms": self.school_forms,
            "district_id": self.district_id,
            "active": self.active,
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data):
        return cls(**{**data, "place": Place.from_json(data["place"])})


@dataclass
class Skipped:
    """A unit in the file that is not imported, and why (a reason key: see ``Skipped.reason_text``)."""

    place: Place
    code: str
    name: str
    reason: str
    forms: list = field(default_factory=list)  # register school-type codes, for "not_assessed"

    def reason_text(self):
        if self.reason == "not_assessed":
            names = ", ".join(_lower_first(register.type_name(code)) for code in self.forms) or "–"
            return _("Only %(forms)s, which Stegvis does not assess.") % {"forms": names}
        if self.reason == "ceased":
            return _("Ceased in the register (upphörd) and not among your units: not imported.")
        if self.reason == "no_forms":
            return _("A new unit, but the file gives no school forms: create it by hand or import a file with them.")
        return self.reason

    def to_json(self):
        return {
            "place": self.place.to_json(),
            "code": self.code,
            "name": self.name,
            "reason": self.reason,
            "forms": self.forms,
        }

    @classmethod
    def from_json(cls, data):
        return cls(**{**data, "place": Place.from_json(data["place"])})


SHAPES = {
    "csv": lambda: _("a CSV file"),
    "xlsx": lambda: _("an Excel workbook"),
    "v2-list": lambda: _("Skolverket's register, API v2 (the list of school units)"),
    "v2-detail": lambda: _("Skolverket's register, API v2 (one school unit)"),
    "v2-details": lambda: _("Skolverket's register, API v2 (school units one by one)"),
    "v1-list": lambda: _("Skolverket's register, API v1 (the list of school units)"),
    "v1-detail": lambda: _("Skolverket's register, API v1 (one school unit)"),
    "planned-educations": lambda: _("Skolverket's planned-educations API"),
    "list": lambda: _("a JSON list of school units"),
}


@dataclass
class ParseResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (Place or None for the whole file, message)
    skipped: list = field(default_factory=list)  # Skipped
    notes: list = field(default_factory=list)  # (key, params): see ``note_texts``
    hints: set = field(default_factory=set)  # lists to show once under the errors: "forms", "districts", "statuses"
    shape: str = ""

    @property
    def ok(self):
        return not self.errors

    def error(self, place, message, hint=None):
        self.errors.append((place, message))
        if hint:
            self.hints.add(hint)
        return self

    def note(self, key, **params):
        self.notes.append((key, params))

    @property
    def source(self):
        return SHAPES[self.shape]() if self.shape in SHAPES else ""

    def note_texts(self):
        return [text for key, params in self.notes if (text := _note_text(key, params))]

    def to_json(self):
        return {
            "shape": self.shape,
            "rows": [row.to_json() for row in self.rows],
            "skipped": [s.to_json() for s in self.skipped],
            "notes": [[key, params] for key, params in self.notes],
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            shape=data["shape"],
            rows=[UnitRow.from_json(r) for r in data["rows"]],
            skipped=[Skipped.from_json(s) for s in data["skipped"]],
            notes=[(key, params) for key, params in data["notes"]],
        )


def _counts(counts):
    return ", ".join(
        f"{name} ({number_format(n, force_grouping=True)})"
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def _note_text(key, params):
    if key == "left_out_forms":
        names = {register.type_name(code): n for code, n in params["counts"].items()}
        return _("Left out of the units' school forms, as Stegvis does not assess them: %(forms)s.") % {
            "forms": _counts(names)
        }
    if key == "filtered_municipality":
        return ngettext(
            "%(count)s unit outside municipality %(code)s was left out.",
            "%(count)s units outside municipality %(code)s were left out.",
            params["count"],
        ) % {"count": number_format(params["count"], force_grouping=True), "code": params["code"]}
    if key == "filtered_organisation":
        return ngettext(
            "%(count)s unit of another organiser than %(number)s was left out.",
            "%(count)s units of other organisers than %(number)s were left out.",
            params["count"],
        ) % {"count": number_format(params["count"], force_grouping=True), "number": params["number"]}
    if key == "municipalities":
        return _(
            "The file has units in several municipalities: %(counts)s. To import only your own, upload it again "
            "with your municipality code or organisation number."
        ) % {"counts": _counts(params["counts"])}
    if key == "organisations":
        return _(
            "The file has units of several organisers (organisation numbers): %(counts)s. To import only your own, "
            "upload it again with your organisation number."
        ) % {"counts": _counts(params["counts"])}
    if key == "no_forms_in_file":
        return _(
            "The file gives no school forms (Skolverket's list of school units has only code, name and status): "
            "your units keep their school forms, and new units are skipped."
        )
    if key == "ignored_sheets":
        return _("Sheets without a header row were not read: %(sheets)s.") % {"sheets": ", ".join(params["sheets"])}
    return ""


def _norm(text):
    return " ".join((text or "").strip().lower().replace("_", " ").replace("-", " ").rstrip(":*").split())


def _digits(text):
    return "".join(ch for ch in str(text) if ch.isascii() and ch.isdigit())


def _municipality(text):
    """A four-digit municipality code; Excel drops the leading zero of 0180, so three digits get it back."""
    digits = _digits(text)
    return digits.zfill(4) if len(digits) == 3 else digits


def _organisation(text):
    """Ten digits; the twelve-digit form with the century prefix 16 loses it."""
    digits = _digits(text)
    return digits[2:] if len(digits) == 12 and digits.startswith("16") else digits


def _is_code(code):
    return len(code) == 8 and code.isascii() and code.isdigit()


def _school_form_lookup():
    """A school form (Stegvis code) or register type for a name: Stegvis's aliases and labels in the
    current language first, then Skolverket's codes and names. Returns (stegvis_code or None, register code or None)."""
    labels = {_norm(str(label)): code for code, label in schoolforms.choices()}

    def lookup(text):
        code = schoolforms.parse_name(text) or labels.get(_norm(text))
        if code:
            return code, None
        reg = register.school_type(text)
        if reg is None:
            return None, None
        form = register.SCHOOL_TYPES[reg][0]
        return (None if form == register.NOT_ASSESSED else form), reg

    return lookup


def _split_forms(cell):
    """School form names in one cell: separated by | / + or a delimiter.

    A quoted cell may also use the file's own delimiter (``"Förskola, Grundskola"``): no school
    form name contains a comma, a semicolon or a tab.
    """
    for sep in (*FORM_SEPARATORS[1:], *DELIMITERS):
        cell = cell.replace(sep, FORM_SEPARATORS[0])
    return [part.strip() for part in cell.split(FORM_SEPARATORS[0]) if part.strip()]


# Reading the file


def parse_units(uploaded, *, districts, municipality="", organisation=""):
    """Read an uploaded file of units: CSV, Excel (.xlsx) or JSON from Skolverket's register.

    ``districts`` are the organiser's districts (matched by name, case-insensitive).
    ``municipality`` (four digits) and ``organisation`` (ten digits) keep only the units of that
    municipality or organiser, for files of the whole country. Returns a ``ParseResult``: all
    problems with their places, or the clean rows (and the units skipped, with reasons).
    """
    result = ParseResult()
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        return result.error(None, _("The file is too large: at most 5 MB."))
    raw = uploaded.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return result.error(None, _("The file is too large: at most 5 MB."))
    if not raw.strip():
        return result.error(None, _("The file is empty."))
    reader = _Reader(
        result,
        districts=districts,
        municipality=_municipality(municipality) if municipality else "",
        organisation=_organisation(organisation) if organisation else "",
    )
    if raw.startswith(b"PK\x03\x04"):
        reader.read_xlsx(raw)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        result.error(
            None, _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or as CSV UTF-8.")
        )
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return result.error(
                None,
                _("The file is not UTF-8 encoded. In Excel, save it as “CSV UTF-8 (comma delimited)” and try again."),
            )
        if text.lstrip()[:1] in ("{", "["):
            reader.read_json(text)
        else:
            reader.read_csv(text)
    if result.errors:
        result.rows, result.skipped, result.notes = [], [], []
        return result
    reader.finish()
    if not result.rows and not result.skipped and not result.errors:
        if sum(reader.filtered.values()):
            result.error(None, _("No unit in the file belongs to the municipality or organiser given."))
        else:
            result.error(None, _("The file has a header row but no units."))
    if result.errors:
        result.rows, result.skipped, result.notes = [], [], []
    return result


@dataclass
class _Table:
    """Rows of a CSV file or a worksheet: (number, cells) with the header found among them."""

    rows: list
    kind: str  # "line" (CSV) or "row" (worksheet)
    sheet: str = ""
    delimiter: str = ""  # CSV only: a row with more cells than the header is an error there


def _header_score(cells):
    keys = {HEADERS.get(_norm(c)) for c in cells} - {None}
    generic = sum(1 for c in cells if _norm(c) in GENERIC_CODE)
    return len(keys) + (1 if generic and "code" not in keys else 0)


def _find_header(rows):
    """The index (in ``rows``) of the best header among the first non-blank rows, or None."""
    best, best_score = None, 0
    seen = 0
    for index, (_number, cells) in enumerate(rows):
        if not any(c.strip() for c in cells):
            continue
        seen += 1
        if seen > HEADER_SCAN:
            break
        score = _header_score(cells)
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= 2 else None


class _Reader:
    def __init__(self, result, *, districts, municipality, organisation):
        self.result = result
        self.by_name = {_norm(d.name): d for d in districts}
        self.municipality_filter = municipality
        self.organisation_filter = organisation
        self.school_form = _school_form_lookup()
        self.count = 0
        self.filtered = Counter()
        self.filter_checked = False
        self.units = {}  # code -> UnitRow, to merge one unit's rows on several worksheets
        self.not_assessed = {}  # code -> register codes (or unknown names) left out of that unit
        self.municipalities = Counter()
        self.organisations = Counter()
        self.has_municipality = self.has_organisation = False
        self.no_forms = 0

    # CSV

    def read_csv(self, text):
        self.result.shape = "csv"
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        best = None
        for delimiter in DELIMITERS:
            head = [(n + 1, next(csv.reader([line], delimiter=delimiter), [])) for n, line in enumerate(lines[:200])]
            index = _find_header(head)
            if index is None:
                continue
            score = (_header_score(head[index][1]), -index, len(head[index][1]))
            if best is None or score > best[0]:
                best = (score, delimiter, index)
        if best is None:
            names = column_names()
            expected = ", ".join(str(names[k]) for k in REQUIRED)
            self.result.error(
                None,
                _("No header row found in the first %(count)s lines. The header row needs the columns: %(columns)s.")
                % {"count": HEADER_SCAN, "columns": expected},
            )
            return
        _score, delimiter, header_index = best
        rows = [(header_index + 1, next(csv.reader([lines[header_index]], delimiter=delimiter), []))]
        body = io.StringIO("\n".join(lines[header_index + 1 :]))
        reader = csv.reader(body, delimiter=delimiter)
        previous = 0  # physical lines read so far: a row starts on the next one
        try:
            for cells in reader:
                rows.append((header_index + 2 + previous, cells))
                previous = reader.line_num
                if len(rows) > MAX_ROWS * 2:
                    break
        except csv.Error as error:
            self.result.error(
                Place(header_index + 2 + previous),
                _("The file could not be read as CSV: %(error)s") % {"error": error},
            )
            return
        self.read_table(_Table(rows=rows, kind="line", delimiter=delimiter), header_at=0)

    # Excel

    def read_xlsx(self, raw):
        self.result.shape = "xlsx"
        unreadable = _(
            "The file could not be read as an Excel workbook (.xlsx). Save it as .xlsx or CSV UTF-8 and try again."
        )
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            self.result.error(None, unreadable)
            return
        if unpacked > MAX_UNPACKED_BYTES:
            self.result.error(None, _("The workbook is too large when unpacked. Save only the sheet you need."))
            return
        import openpyxl  # only needed here; keeps the import light for the other formats

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken or foreign file
            self.result.error(None, unreadable)
            return
        try:
            sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
            tables, ignored = [], []
            for ws in sheets:
                rows = self._sheet_rows(ws)
                if rows is None:
                    return
                table = _Table(rows=rows, kind="row", sheet=ws.title if len(sheets) > 1 else "")
                header_at = _find_header(rows)
                if header_at is None:
                    if any(any(c for c in cells) for _n, cells in rows):
                        ignored.append(ws.title)
                    continue
                tables.append((table, header_at, ws.title))
        finally:
            workbook.close()
        if not tables:
            names = column_names()
            self.result.error(
                None,
                _("No header row found in the workbook. The header row needs the columns: %(columns)s.")
                % {"columns": ", ".join(str(names[k]) for k in REQUIRED)},
            )
            return
        if ignored:
            self.result.note("ignored_sheets", sheets=ignored)
        for table, header_at, title in tables:
            self.read_table(table, header_at=header_at, sheet_title=title)

    def _sheet_rows(self, ws):
        rows, blank = [], 0
        for number, values in enumerate(ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if any(cells):
                blank = 0
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + HEADER_SCAN:
                    self._too_many()
                    return None
            else:
                blank += 1
                if blank > MAX_BLANK_ROWS:
                    break
        return rows

    def _too_many(self):
        self.result.rows = []
        self.result.error(
            None,
            _("The file has more than %(max)s units. Split it into smaller files.")
            % {"max": number_format(MAX_ROWS, force_grouping=True)},
        )

    # Tables (CSV and worksheets)

    def _place(self, table, number):
        return Place(number, kind=table.kind, sheet=table.sheet)

    def read_table(self, table, *, header_at, sheet_title=""):
        header_number, header = table.rows[header_at]
        header_place = self._place(table, header_number)
        body = table.rows[header_at + 1 :]
        columns = self._columns(header, body, header_place)
        if columns is None:
            return
        sheet_form = None
        if "school_forms" not in columns and sheet_title:
            sheet_form = sheet_title if self.school_form(sheet_title) != (None, None) else None
        names = column_names()
        missing = [str(names[k]) for k in REQUIRED if k not in columns and not (k == "school_forms" and sheet_form)]
        if missing:
            expected = ", ".join(str(names[k]) for k in REQUIRED)
            self.result.error(
                header_place,
                _("Column missing: %(missing)s. The header row needs: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": expected},
            )
            return
        self.has_municipality |= "municipality" in columns
        self.has_organisation |= "organisation" in columns
        if not self._check_filters():
            return
        seen = {}
        for number, cells in body:
            if not any(c.strip() for c in cells):
                continue
            self.count += 1
            if self.count > MAX_ROWS:
                self._too_many()
                return
            place = self._place(table, number)
            if table.delimiter and len(cells) > len(header):
                self.result.error(
                    place,
                    _(
                        "This line has %(cells)s cells, the header has %(header)s: is there an unquoted %(delimiter)s "
                        "in a name? Put such text in quotes."
                    )
                    % {"cells": len(cells), "header": len(header), "delimiter": _delimiter_name(table.delimiter)},
                )
                continue

            def cell(key, cells=cells):
                index = columns.get(key)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            forms = cell("school_forms") if "school_forms" in columns else sheet_form
            self._row(
                place,
                name=cell("name"),
                code=cell("code"),
                forms=_split_forms(forms or ""),
                district=cell("district") if "district" in columns else KEEP,
                active=cell("active"),
                status=cell("status"),
                municipality=cell("municipality"),
                organisation=cell("organisation"),
                seen=seen,
                strict_forms=True,
            )

    def _columns(self, header, body, header_place):
        """Column key -> index. Generic "Kod"/"Kommun" columns are read by their values."""
        columns, generic, municipal = {}, [], []
        for index, text in enumerate(header):
            norm = _norm(text)
            if norm in GENERIC_CODE:
                generic.append(index)
                continue
            if norm in MUNICIPALITY_OR_NAME:
                municipal.append(index)
                continue
            key = HEADERS.get(norm)
            if key is None:
                continue
            if key in columns:
                self.result.error(header_place, _("The column “%(column)s” appears twice.") % {"column": text.strip()})
                return None
            columns[key] = index

        def values(index):
            found = [cells[index].strip() for _n, cells in body[:500] if index < len(cells) and cells[index].strip()]
            return found or [""]

        def share(index, test):
            found = values(index)
            return sum(1 for v in found if test(v)) / len(found)

        def municipal_code(value):  # 0991, or 991 from a number cell
            return len(value) in (3, 4) and _digits(value) == value

        for index in generic:
            if share(index, municipal_code) >= 0.8:
                if "municipality" not in columns:
                    columns["municipality"] = index
                if "code" not in columns:
                    self.result.error(
                        header_place,
                        _(
                            "The column “%(column)s” holds four-digit codes: municipality codes (kommunkod), not unit "
                            "codes. The file needs a column “Skolenhetskod” with the units' eight-digit codes."
                        )
                        % {"column": header[index].strip()},
                    )
                    return None
            elif "code" not in columns:
                columns["code"] = index
        for index in municipal:
            if "municipality" not in columns and share(index, municipal_code) >= 0.8:
                columns["municipality"] = index
        return columns

    def _check_filters(self):
        """A filter needs the file to have that column (the error is given once)."""
        if self.filter_checked:
            return not self.result.errors
        self.filter_checked = True
        if self.municipality_filter and not self.has_municipality:
            self.result.error(
                None,
                _(
                    "The file has no municipality codes, so it cannot be limited to one municipality. Leave that field empty."
                ),
            )
            return False
        if self.organisation_filter and not self.has_organisation:
            self.result.error(
                None,
                _(
                    "The file has no organisation numbers, so it cannot be limited to one organiser. Leave that field empty."
                ),
            )
            return False
        return True

    # JSON

    def read_json(self, text):
        try:
            document = json.loads(text)
            records, shape = register.find_units(document)
        except RecursionError:
            self.result.error(None, _("The JSON file is nested too deeply to be a list of school units."))
            return
        except json.JSONDecodeError as error:
            self.result.error(
                None,
                _("The file is not valid JSON (line %(line)s, column %(column)s): %(error)s.")
                % {"line": error.lineno, "column": error.colno, "error": error.msg},
            )
            return
        if not shape or not any(records):
            self.result.error(
                None,
                _(
                    "No school units found in the JSON file. The import reads the answers of Skolverket's register API "
                    "(v2: data.attributes; v1: Skolenheter) and lists of units with schoolUnitCode and name."
                ),
            )
            return
        self.result.shape = shape
        self.has_municipality = any(r and r["municipality"] for r in records)
        self.has_organisation = any(r and r["organisation"] for r in records)
        if not self._check_filters():
            return
        seen = {}
        for number, record in enumerate(records, start=1):
            place = Place(number, kind="entry")
            self.count += 1
            if self.count > MAX_ROWS:
                self._too_many()
                return
            if record is None:
                self.result.error(place, _("This entry is not a school unit: it has no schoolUnitCode."))
                continue
            types = record["types"]
            if types is None:
                self.no_forms += 1
            self._row(
                place,
                name=record["name"],
                code=record["code"],
                forms=types,
                district=KEEP,
                active="",
                status=record["status"],
                municipality=record["municipality"],
                organisation=record["organisation"],
                seen=seen,
                strict_forms=False,
            )

    # One unit

    def _control_characters(self, place, **values):
        """Report each value holding a control character (NUL, a line break in a one-line text);
        True when there was one."""
        labels = {**column_names(), "active": _("active"), "status": _("status")}
        found = False
        for key, value in values.items():
            texts = value if isinstance(value, list | tuple) else [value]
            for text in texts:
                problem = control_character_message(text) if isinstance(text, str) else None
                if problem:
                    self.result.error(
                        place,
                        _("Column “%(column)s”: %(problem)s") % {"column": labels.get(key, key), "problem": problem},
                    )
                    found = True
                    break
        return found

    def _row(
        self, place, *, name, code, forms, district, active, status, municipality, organisation, seen, strict_forms
    ):
        result = self.result
        municipality, organisation = _municipality(municipality), _organisation(organisation)
        code = "".join(code.split())  # "4911 0001" as some spreadsheets show it
        if self.municipality_filter and municipality != self.municipality_filter:
            self.filtered["municipality"] += 1
            return
        if self.organisation_filter and organisation != self.organisation_filter:
            self.filtered["organisation"] += 1
            return
        if municipality:
            self.municipalities[municipality] += 1
        if organisation:
            self.organisations[organisation] += 1
        errors_before = len(result.errors)
        if self._control_characters(place, name=name, code=code, forms=forms, district=district, status=status):
            return  # the other checks would only quote the invisible characters back

        if not name:
            result.error(place, _("The name is missing."))
        elif len(name) > 200:
            result.error(place, _("The name is longer than 200 characters."))

        if not code:
            result.error(place, _("The unit code is missing."))
        elif not _is_code(code):
            result.error(place, _("The unit code “%(code)s” is not eight digits.") % {"code": code})
        elif code in seen:
            result.error(
                place,
                _("The unit code %(code)s is also on %(other)s.")
                % {"code": code, "other": _lower_first(str(seen[code]))},
            )
        else:
            seen[code] = place

        mask, left_out = None, []
        if forms is not None:
            mask = 0
            if not forms and strict_forms:
                result.error(place, _("No school form given."), hint="forms")
            for form_name in forms:
                form, reg = self.school_form(form_name)
                if form:
                    mask |= schoolforms.to_mask([form])
                elif reg:
                    left_out.append(reg)
                elif strict_forms:
                    result.error(place, _("Unknown school form “%(form)s”.") % {"form": form_name}, hint="forms")
                else:  # the register's own file: a school type the import does not know is left out
                    left_out.append(form_name)

        district_id = KEEP
        if district != KEEP:
            district_id = None
            if district:
                found = self.by_name.get(_norm(district))
                if found is None:
                    result.error(
                        place, _("Unknown district “%(district)s”.") % {"district": district}, hint="districts"
                    )
                else:
                    district_id = found.pk

        active_value = None
        if active:
            value = _norm(active)
            if value in YES:
                active_value = True
            elif value in NO:
                active_value = False
            else:
                result.error(place, _("“%(value)s” in the active column: write yes or no.") % {"value": active})

        status_value = ""
        if status:
            status_value = register.status(status) or ""
            if not status_value:
                result.error(place, _("Unknown status “%(status)s”.") % {"status": status}, hint="statuses")

        if len(result.errors) > errors_before:
            return
        if code in self.units:  # the same unit on another worksheet: one more school form
            unit = self.units[code]
            unit.school_forms = (unit.school_forms or 0) | (mask or 0)
            unit.status = unit.status or status_value
            self.not_assessed[code].extend(c for c in left_out if c not in self.not_assessed[code])
            return
        row = UnitRow(
            place=place,
            name=name,
            code=code,
            school_forms=mask,
            district_id=district_id,
            active=active_value,
            status=status_value,
            municipality=municipality,
            organisation=organisation,
        )
        self.units[code] = row
        self.not_assessed[code] = left_out

    def finish(self):
        """Rows in file order; units with no assessed school form skipped; the notes for the whole file."""
        result = self.result
        left_out = Counter()
        for code, row in self.units.items():
            forms = self.not_assessed[code]
            if row.school_forms == 0:
                result.skipped.append(Skipped(row.place, code, row.name, "not_assessed", forms=forms))
                continue
            left_out.update(forms)
            result.rows.append(row)
        if left_out:
            result.note("left_out_forms", counts=dict(left_out))
        if self.filtered["municipality"]:
            result.note("filtered_municipality", count=self.filtered["municipality"], code=self.municipality_filter)
        if self.filtered["organisation"]:
            result.note("filtered_organisation", count=self.filtered["organisation"], number=self.organisation_filter)
        if self.no_forms and all(row.school_forms is None for row in self.units.values()):
            result.note("no_forms_in_file")
        if not self.municipality_filter and not self.organisation_filter and len(self.municipalities) > 1:
            result.note("municipalities", counts=dict(self.municipalities.most_common(8)))
        if not self.organisation_filter and len(self.organisations) > 1:
            result.note("organisations", counts=dict(self.organisations.most_common(8)))


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _delimiter_name(delimiter):
    return {",": _("comma (,)"), ";": _("semicolon (;)"), "\t": _("tab")}[delimiter]


def _cell(value):
    """A worksheet value as text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# Comparing with the organiser's units


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class PlannedUnit:
    row: UnitRow
    unit: object = None  # the existing Unit, None for a new one
    changes: list = field(default_factory=list)  # Change
    active: bool = True  # for a new unit
    district: object = None  # for a new unit: its District or None


@dataclass
class ImportPlan:
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    skipped: list = field(default_factory=list)
    dormant: list = field(default_factory=list)  # PlannedUnit of dormant or planned units in the register
    existing: int = 0

    @property
    def needs_confirmation(self):
        changed = len(self.changed)
        return (
            changed > CONFIRM_CHANGED
            or (self.existing and changed > CONFIRM_SHARE * self.existing)
            or len(self.new) > CONFIRM_CREATED
        )

    @property
    def digest(self):
        """A fingerprint of what the import would do: the confirmation holds only for that."""
        parts = [f"+{p.row.code}:{p.row.name}:{p.row.school_forms}:{p.active}" for p in self.new]
        parts += [f"~{p.row.code}:" + ";".join(f"{c.field}={c.new}" for c in p.changes) for p in self.changed]
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]


class DistrictGone(Exception):
    """A row names a district that no longer exists (deleted between preview and confirmation)."""

    def __init__(self, row):
        super().__init__(row.code)
        self.row = row


def compare(rows, *, existing, districts, skipped=()):
    """What importing ``rows`` would do to the ``existing`` units (code -> Unit).

    ``districts`` maps the organiser's district pks to Districts. A unit ceased in the register
    (UPPHORT) becomes inactive and is never deleted; a new ceased unit is skipped. A dormant
    (VILANDE) or planned (PLANERAD) unit keeps its active flag; a new one is created inactive.
    An active one (AKTIV) becomes active. Raises ``DistrictGone``.
    """
    plan = ImportPlan(skipped=list(skipped), existing=len(existing))
    for row in rows:
        if row.district_id not in (KEEP, None) and row.district_id not in districts:
            raise DistrictGone(row)
        unit = existing.get(row.code)
        if unit is None:
            if row.status == register.CEASED:
                plan.skipped.append(Skipped(row.place, row.code, row.name, "ceased"))
                continue
            if row.school_forms is None:
                plan.skipped.append(Skipped(row.place, row.code, row.name, "no_forms"))
                continue
            active = row.active is not False  # no status: the active column, or active
            if row.status:
                active = row.status == register.ACTIVE
            district = districts.get(row.district_id) if row.district_id != KEEP else None
            planned = PlannedUnit(row=row, active=active, district=district)
            plan.new.append(planned)
            if row.status in (register.DORMANT, register.PLANNED):
                plan.dormant.append(planned)
            continue
        new = {"name": row.name}
        if row.school_forms is not None:
            new["school_forms"] = row.school_forms
        if row.district_id != KEEP:
            new["district_id"] = row.district_id
        if row.status in (register.ACTIVE, register.CEASED):
            new["active"] = row.status == register.ACTIVE
        elif not row.status and row.active is not None:
            new["active"] = row.active
        changes = [Change(f, getattr(unit, f), value) for f, value in new.items() if getattr(unit, f) != value]
        planned = PlannedUnit(row=row, unit=unit, changes=changes)
        if row.status in (register.DORMANT, register.PLANNED):
            plan.dormant.append(planned)
        if changes:
            plan.changed.append(planned)
        else:
            plan.unchanged += 1
    return plan


def duplicate_names(rows, *, plan, existing):
    """Warnings (text) for names used by more than one unit: in the file (when one of them is new
    or renamed), or by a new unit and an existing unit that is not in the file (perhaps the same
    school with a new unit code)."""
    warnings = []
    by_name = {}
    for row in rows:
        by_name.setdefault(register.fold(row.name), []).append(row)
    # names the import brings in: of new units and renamed ones (same-named units already in
    # Stegvis are known to the organiser and not warned about again on every re-import)
    arriving = {register.fold(p.row.name) for p in plan.new}
    arriving |= {register.fold(p.row.name) for p in plan.changed if any(c.field == "name" for c in p.changes)}
    for name, same in by_name.items():
        if len(same) > 1 and name in arriving:
            warnings.append(
                _("The name “%(name)s” is used by several units in the file: %(units)s.")
                % {"name": same[0].name, "units": ", ".join(f"{r.code} ({_lower_first(str(r.place))})" for r in same)}
            )
    in_file = {row.code for row in rows}
    by_existing_name = {}
    for unit in existing.values():
        if unit.code not in in_file:
            by_existing_name.setdefault(register.fold(unit.name), []).append(unit)
    for planned in plan.new:
        for other in by_existing_name.get(register.fold(planned.row.name), []):
            warnings.append(
                _(
                    "The new unit “%(name)s” (%(code)s) has the same name as your unit with the code %(other)s. "
                    "If it is the same school with a new unit code, deactivate the old unit after the import."
                )
                % {"name": planned.row.name, "code": planned.row.code, "other": other.code}
            )
    return warnings
