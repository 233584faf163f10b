"""Reading a PDF's text back with where it lies on the page (pdfminer.six), for tests."""

import io
import os
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextContainer

MM = 72 / 25.4  # points per millimetre


def pages(data):
    """[(page width, page height, [(text, x0, y0, x1, y1) per line])] of a PDF."""
    result = []
    for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
        lines = []
        for element in layout:
            if isinstance(element, LTTextContainer):
                for line in element:
                    text = line.get_text().strip() if hasattr(line, "get_text") else ""
                    if text:
                        lines.append((text, line.x0, line.y0, line.x1, line.y1))
        result.append((layout.width, layout.height, lines))
    return result


def chars_outside(data, *, margin_mm=0):
    """Characters that lie (partly) outside the page, or outside ``margin_mm`` from its left and
    right edges: [(page number, char, x0, x1)]."""
    bad = []
    for number, layout in enumerate(extract_pages(io.BytesIO(data)), start=1):
        left, right = margin_mm * MM - 0.5, layout.width - margin_mm * MM + 0.5

        def walk(element, number=number, left=left, right=right):
            if isinstance(element, LTChar):
                if element.get_text().strip() and (element.x0 < left or element.x1 > right):
                    bad.append((number, element.get_text(), round(element.x0), round(element.x1)))
            elif hasattr(element, "__iter__"):
                for child in element:
                    walk(child)

        walk(layout)
    return bad


def text(data):
    return "\n".join(t for _w, _h, lines in pages(data) for t, *_box in lines)


def keep(data, name):
    """Write the PDF to $STEGVIS_TEST_ARTIFACTS/<name> when that is set (to look at it)."""
    folder = os.environ.get("STEGVIS_TEST_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)
