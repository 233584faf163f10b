"""Cells, styles and the two renderers of exports: Excel (xlsx) and CSV.

Exporters (``exports``) yield rows of plain values and ``Styled`` cells; ``render_xlsx`` writes
them with XlsxWriter in constant-memory mode (one ``RowWorksheet.write_values`` call per row),
``render_csv`` writes the values only. Both report progress every ``PROGRESS_EVERY`` rows.
"""

import csv
import datetime
import os
import re
from dataclasses import dataclass

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from stegvis.core import levels
from stegvis.core.csvutil import safe_cell

# --- cells and styles ---------------------------------------------------------------------

# The overview grid's colours (stegvis.css: the level classes of ``core.levels``, .grid
# .nr/.na/.s-*), so the grid, the unit report and the file agree: one palette per number of
# levels, with the text colour that reads on each.
GREY = "#d9dee3"  # .na: not assessed (or, in plan mode, not relevant)
MUTED = "#4a5560"
DONE = "#7cc596"  # stegvis.css --done
STYLES = {
    **{
        levels.css_class(count, n): {"bg_color": c.background, "font_color": c.text, "align": "center"}
        for count in range(levels.MIN_LEVELS, levels.MAX_LEVELS + 1)
        for n, c in enumerate(levels.palette(count), start=1)
    },
    # hatched like the grid's not-relevant cells: light diagonal stripes on white
    "nr": {"pattern": 14, "fg_color": "#b8c0c8", "bg_color": "#ffffff", "font_color": MUTED, "align": "center"},
    "na": {"bg_color": GREY, "font_color": MUTED, "align": "center"},
    # plan states (PlanCell.State): grey, white, yellow with the priority, green
    "state-na": {"bg_color": GREY, "font_color": MUTED, "align": "center"},
    "state-none": {"bg_color": "#ffffff", "align": "center"},
    "state-planned": {"bg_color": "#ffe066", "bold": True, "align": "center"},
    "state-done": {"bg_color": DONE, "align": "center"},
    "bold": {"bold": True},
}


@dataclass(frozen=True, slots=True)
class Styled:
    """A cell value with a style key from ``STYLES`` (Excel colours it; CSV ignores the style)."""

    value: object
    style: str


def level_style(level, count):
    """The style key of level ``level`` of a framework with ``count`` levels: ``lv5-3``."""
    if level is None:
        return "nr"
    return levels.css_class(count, level)


def level_value(label):
    """A level's label as a cell value: a number when it is one (so a sheet sorts and sums it)."""
    return int(label) if label.isdigit() else label


@dataclass
class Sheet:
    name: str
    headers: list
    rows: object  # an iterable of tuples
    widths: tuple = ()  # column widths in characters, from the left
    freeze_cols: int = 0  # columns kept in view on screen, and printed on every page


# --- renderers ----------------------------------------------------------------------------

PROGRESS_EVERY = 2000  # rows between progress reports
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML: Excel would "repair" the file


def _sheet_name(name, used):
    name = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


class RowWorksheet(Worksheet):
    """An XlsxWriter worksheet (constant-memory mode only) that writes a whole row at once.

    XlsxWriter spends about 7 µs per cell on checks and bookkeeping, so 120,000 rows of 14
    columns took 13 s. ``write_values`` builds the row's XML in one go, with the same
    escaping XlsxWriter uses for in-line strings, and writes it where XlsxWriter writes its
    rows; XlsxWriter still writes everything else (header row, styles, panes, filter). It
    relies on the worksheet's row file, ``previous_row`` and dimensions, so XlsxWriter is
    pinned, and the tests read every kind of cell back with openpyxl.
    """

    _columns = ()

    def write_values(self, row, values, styles, date_xf, datetime_xf):
        """Write ``values`` (str, int, float, date, datetime, bool, None or Styled) to ``row``.

        ``styles`` maps a style key to its ``s="<xf index>"`` attribute; dates use the xf
        indexes ``date_xf`` and ``datetime_xf``.
        """
        if self.table:
            self._write_single_row(row)  # flush a row written the usual way (the header)
        self.previous_row = row
        if len(self._columns) < len(values):
            self._columns = [xl_col_to_name(c) for c in range(len(values) + 8)]
        r = row + 1
        cols = self._columns
        parts = [f'<row r="{r}">']
        append = parts.append
        last = -1
        for c, value in enumerate(values):
            if value is None:
                continue
            style = ""
            kind = type(value)
            if kind is Styled:
                style = styles[value.style]
                value = value.value
                kind = type(value)
            if kind is str:
                if not value:
                    if style:
                        append(f'<c r="{cols[c]}{r}"{style}/>')
                        last = c
                    continue
                if len(value) > 16000:
                    value = value[:16000]
                if _NEEDS_ESCAPE.search(value):
                    value = _xml_text(value)
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                append(f'<c r="{cols[c]}{r}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is int or kind is float:
                append(f'<c r="{cols[c]}{r}"{style}><v>{value:.16G}</v></c>')
            elif kind is bool:
                append(f'<c r="{cols[c]}{r}"{style} t="b"><v>{int(value)}</v></c>')
            elif kind is datetime.date or kind is datetime.datetime:
                xf = datetime_xf if kind is datetime.datetime else date_xf
                number = self._convert_date_time(value)
                append(f'<c r="{cols[c]}{r}" s="{xf}"><v>{number:.16G}</v></c>')
            else:
                text = _xml_text(str(value))
                append(f'<c r="{cols[c]}{r}"{style} t="inlineStr"><is><t>{text}</t></is></c>')
            last = c
        if last < 0:
            return
        append("</row>")
        self.fh.write("".join(parts))
        self._check_dimensions(row, 0)
        self._check_dimensions(row, last)


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]|_x[0-9a-fA-F]{4}_")
_EXCEL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def _xml_text(value):
    """Escape text for an in-line string the way XlsxWriter does: XML entities, and control
    characters as Excel's ``_xHHHH_`` (a literal ``_xHHHH_`` gets its underscore escaped)."""
    value = _EXCEL_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _print_setup(ws, title, *, repeat_cols=0, landscape=True, one_page=False):
    """How a sheet prints: landscape on A4, as wide as one page (as many pages down as needed)
    or, for the legend, all on one page; the header row and the unit columns (``repeat_cols``)
    on every page; the sheet's name above and the page number below."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.repeat_rows(0)
    if repeat_cols:
        ws.repeat_columns(0, repeat_cols - 1)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    # in Excel's header codes a literal "&" is "&&"; &P and &N are the page and the page count
    ws.set_header("&L" + str(title).replace("&", "&&"))
    ws.set_footer("&R" + _("Page %(page)s of %(pages)s").replace("&", "&&") % {"page": "&P", "pages": "&N"})


def render_xlsx(exporter, target, *, progress=None):
    """Write the exporter's sheets (and a legend sheet) to ``target`` (a path or binary file).

    Constant-memory mode: each row goes to disk as it is written, so memory does not grow
    with the number of rows. Strings are always strings, never formulas or links. Level and
    plan state cells get the grid's colours; the header row is frozen and has a filter.
    ``progress(rows_done)`` is called every ``PROGRESS_EVERY`` rows. Returns the rows written.
    """
    if isinstance(target, os.PathLike):
        target = os.fspath(target)
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    formats = {key: workbook.add_format(props) for key, props in STYLES.items()}
    # headers wrap rather than being cut off by a narrow column, on screen and on paper
    header_format = workbook.add_format(
        {"bold": True, "bg_color": "#f3f5f7", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    styles = {key: f' s="{fmt._get_xf_index()}"' for key, fmt in formats.items()}
    date_xf = workbook.add_format({"num_format": "yyyy-mm-dd"})._get_xf_index()
    datetime_xf = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})._get_xf_index()
    used, done = set(), 0
    for sheet in exporter.sheets():
        ws = workbook.add_worksheet(_sheet_name(sheet.name, used), worksheet_class=RowWorksheet)
        for col, width in enumerate(sheet.widths):
            ws.set_column(col, col, width)
        ws.freeze_panes(1, sheet.freeze_cols)
        _print_setup(ws, sheet.name, repeat_cols=sheet.freeze_cols)
        for col, title in enumerate(sheet.headers):
            ws.write_string(0, col, str(title), header_format)
        r = 0
        for r, row in enumerate(sheet.rows, start=1):
            ws.write_values(r, row, styles, date_xf, datetime_xf)
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
        if sheet.headers:
            ws.autofilter(0, 0, max(r, 1), len(sheet.headers) - 1)
    legend = exporter.legend()
    if legend:
        ws = workbook.add_worksheet(_sheet_name(_("Legend"), used))
        _print_setup(ws, _("Legend"), landscape=False, one_page=True)
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 70)
        ws.write_string(0, 0, _("Cell"), header_format)
        ws.write_string(0, 1, _("Meaning"), header_format)
        for r, (cell, meaning) in enumerate(legend, start=1):
            fmt = None
            if isinstance(cell, Styled):
                fmt, cell = formats[cell.style], cell.value
            if isinstance(cell, int | float):
                ws.write_number(r, 0, cell, fmt)
            elif cell != "":
                ws.write_string(r, 0, str(cell), fmt)
            elif fmt is not None:
                ws.write_blank(r, 0, None, fmt)
            if isinstance(meaning, Styled):
                ws.write_string(r, 1, str(meaning.value), formats[meaning.style])
            elif meaning:
                ws.write_string(r, 1, str(meaning))
    workbook.close()
    if progress is not None:
        progress(done)
    return done


def render_csv(exporter, target, *, progress=None):
    """Write the exporter's first sheet as CSV to a text file ``target``.

    UTF-8 with a byte order mark and ``;`` between cells, which Excel with Swedish settings
    opens directly; dates as ISO 8601. Returns the rows written.
    """
    sheet = exporter.sheets()[0]
    target.write("\ufeff")
    writer = csv.writer(target, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in sheet.headers])
    done = 0
    for row in sheet.rows:
        out = []
        for value in row:
            if type(value) is Styled:
                value = value.value
            if value is None:
                out.append("")
            elif type(value) is str:
                out.append(safe_cell(value))
            elif isinstance(value, datetime.datetime):
                out.append(value.strftime("%Y-%m-%d %H:%M"))
            elif isinstance(value, datetime.date):
                out.append(value.isoformat())
            else:
                out.append(value)
        writer.writerow(out)
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    if progress is not None:
        progress(done)
    return done
