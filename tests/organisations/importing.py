"""Helpers for tests that import units: upload, look at the preview, confirm."""

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

DATA = Path(__file__).parent / "data"


def upload_file(content, *, name="units.csv", encoding="utf-8"):
    data = content.encode(encoding) if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def sample(name):
    """A sample file from tests/organisations/data as an upload."""
    return upload_file((DATA / name).read_bytes(), name=name)


def upload(client, url, content, *, name="units.csv", encoding="utf-8", **fields):
    """POST a file to the import page: a redirect to the preview, or the page with the problems."""
    file = content if isinstance(content, SimpleUploadedFile) else upload_file(content, name=name, encoding=encoding)
    return client.post(url("units_import"), {"file": file, **fields})


def confirm(client, preview_url, *, tick=True, digest=None, join_open_rounds=True):
    """POST the preview's form the way a user would: with its digest, when asked for the tick, and
    the "new units join the open rounds" box as the page shows it (ticked) unless told otherwise."""
    page = client.get(preview_url).content.decode()
    if digest is None:
        digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    data = {"digest": digest, "import": ""}
    if tick and 'name="confirm"' in page:
        data["confirm"] = "on"
    if join_open_rounds and re.search(r'name="join_open_rounds"[^>]*checked', page):
        data["join_open_rounds"] = "on"
    return client.post(preview_url, data)


def import_file(client, url, content, **kwargs):
    """Upload and confirm; returns the page the user lands on (the unit list, with the message)."""
    response = upload(client, url, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    done = confirm(client, response["Location"])
    assert done.status_code == 302, done.content.decode()[:3000]
    return client.get(done["Location"]).content.decode()
