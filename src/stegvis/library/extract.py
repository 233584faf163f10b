"""The text of a shared document, for search: bounded in time and size (docs/library.md).

- PDF: pdfminer.six, page by page, until ``MAX_SECONDS`` or ``MAX_PAGES``;
- Word, PowerPoint, Excel (.docx, .pptx, .xlsx) and OpenDocument: the zip's XML parts read with
  the standard library, the text of each paragraph (``p``, ``h``) or shared string (``si``);
  members larger than ``MAX_MEMBER_BYTES`` and XML with a DOCTYPE (entity tricks) are skipped;
- legacy Excel (.xls, the OLE2 container): xlrd 2.x, the text cells and sheet names, sheet by
  sheet, until ``MAX_SECONDS`` or ``MAX_PAGES`` sheets;
- images and legacy Word and PowerPoint (.doc, .ppt): no text (the title, tags and description
  are still indexed). No well-kept pure-Python library reads their text (docs/library.md).

At most ``MAX_CHARS`` characters are kept. A file that cannot be read gives "" (it is still
stored and found by its other fields): extraction never refuses an upload.
"""

import io
import logging
import re
import time
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

MAX_CHARS = 100_000
MAX_SECONDS = 5.0
MAX_PAGES = 200
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 300

ZIP_PARTS = {
    "word": ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml"),
    "powerpoint": ("ppt/slides/slide", "ppt/notesSlides/"),
    "excel": ("xl/sharedStrings.xml", "xl/worksheets/sheet"),
    "opendocument": ("content.xml",),
}
BLOCKS = {"p", "h", "si"}
# The first bytes of the OLE2 compound file that holds the legacy Office formats (.doc, .xls, .ppt)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def text_of(file, *, kind_key):
    """The text of an uploaded or stored file whose checked kind is ``kind_key`` (core.uploads)."""
    try:
        file.seek(0)
        legacy = file.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE
        file.seek(0)
        if kind_key == "pdf":
            text = _pdf(file)
        elif legacy:
            text = _xls(file) if kind_key == "excel" else ""
        elif kind_key in ZIP_PARTS:
            text = _zip(file, ZIP_PARTS[kind_key])
        else:
            text = ""
    except Exception:  # a damaged or hostile file: stored, not indexed by its text
        logger.warning("library: no text read from an upload of kind %s", kind_key, exc_info=True)
        text = ""
    finally:
        file.seek(0)
    return " ".join(text.split())[:MAX_CHARS]


def _pdf(file):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    deadline = time.monotonic() + MAX_SECONDS
    parts, size = [], 0
    for page in extract_pages(io.BytesIO(file.read()), maxpages=MAX_PAGES):
        for element in page:
            if isinstance(element, LTTextContainer):
                chunk = element.get_text()
                parts.append(chunk)
                size += len(chunk)
        if size >= MAX_CHARS or time.monotonic() > deadline:
            break
    return " ".join(parts)


class _Discard:
    """xlrd writes its warnings about odd files to a log file; they go nowhere (the upload is
    stored whatever they say)."""

    def write(self, _text):
        pass


def _xls(file):
    import xlrd

    deadline = time.monotonic() + MAX_SECONDS
    parts, size = [], 0
    book = xlrd.open_workbook(file_contents=file.read(), on_demand=True, ragged_rows=True, logfile=_Discard())
    try:
        for index in range(min(book.nsheets, MAX_PAGES)):
            sheet = book.sheet_by_index(index)
            parts.append(sheet.name)
            for row in range(sheet.nrows):
                for cell in sheet.row_slice(row):
                    if cell.ctype == xlrd.XL_CELL_TEXT and cell.value.strip():
                        parts.append(cell.value)
                        size += len(cell.value)
                if size >= MAX_CHARS or time.monotonic() > deadline:
                    return "\n".join(parts)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return "\n".join(parts)


def _zip(file, prefixes):
    deadline = time.monotonic() + MAX_SECONDS
    parts, size = [], 0
    with zipfile.ZipFile(file) as archive:
        members = [
            info
            for info in archive.infolist()[:MAX_MEMBERS]
            if info.filename.endswith(".xml") and info.filename.startswith(prefixes)
        ]
        for info in sorted(members, key=lambda i: _natural(i.filename)):
            if info.file_size > MAX_MEMBER_BYTES:
                continue
            with archive.open(info) as member:
                data = member.read(MAX_MEMBER_BYTES + 1)
            if len(data) > MAX_MEMBER_BYTES or b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
                continue
            for chunk in _blocks(data):
                parts.append(chunk)
                size += len(chunk)
                if size >= MAX_CHARS:
                    return "\n".join(parts)
            if time.monotonic() > deadline:
                break
    return "\n".join(parts)


def _blocks(data):
    """The text of each paragraph or shared string of one XML part."""
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("end",)):
        if element.tag.rsplit("}", 1)[-1] in BLOCKS:
            text = "".join(element.itertext()).strip()
            element.clear()
            if text:
                yield text


def _natural(name):
    """slide2.xml before slide10.xml."""
    number = re.search(r"(\d+)\.xml$", name)
    return (name[: number.start()], int(number.group(1))) if number else (name, 0)
