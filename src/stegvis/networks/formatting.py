"""Minutes as plain text with simple formatting, rendered safely (docs/networks.md).

Everything is escaped first; then a line starting with "# " is a heading, lines starting with
"- " or "* " form a list, "**text**" is bold, a blank line separates paragraphs. No HTML the
writer typed ever reaches the page."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text):
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def render_minutes(text):
    """The minutes as safe HTML."""
    out, paragraph, items = [], [], []

    def flush():
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in (text or "").splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
        elif line.startswith("# "):
            flush()
            out.append(f"<h3>{_inline(line[2:].strip())}</h3>")
        elif line.lstrip().startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(line.lstrip()[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(out))
