"""PDF from an HTML template with WeasyPrint; nothing is fetched from the network while rendering."""

import logging

from django.template.loader import render_to_string

try:  # imported when the URLs load, not on the first report: loading Pango takes most of a second
    from weasyprint import HTML
except (ImportError, OSError) as error:  # pragma: no cover - a machine without Pango
    HTML = None
    logging.getLogger(__name__).error("WeasyPrint cannot be loaded, PDF reports will fail: %s", error)


def _no_fetch(url, *args, **kwargs):
    """WeasyPrint's URL fetcher: the reports are self-contained, nothing is loaded from outside."""
    raise ValueError(f"Reports load no external resources: {url[:80]}")


def render_pdf(*, template, context, request=None):
    """The template rendered to PDF bytes."""
    if HTML is None:
        raise RuntimeError("WeasyPrint (and the system's Pango) is needed for PDF reports.")
    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch, base_url="/").write_pdf()


def pdf_download(pdf, *, filename):
    """PDF bytes as a download (``Content-Disposition: attachment``) named ``filename``."""
    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
