"""Uploaded files: checked by content, kept outside the web root, served only through a view.

``check_upload(upload)`` reads the file's first bytes and decides its kind by content (the
``filetype`` library, pinned), never by the name or the browser's content type. It refuses, with
a message in the user's language:

- an empty file, or one larger than ``settings.STEGVIS_UPLOAD_MAX_BYTES`` (20 MB by default);
- a kind not on the list (``KINDS``: PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF,
  WebP);
- a name whose extension does not belong to the kind the content shows (a ``.pdf`` that is a
  Word file, an ``.exe`` renamed ``.png``).

It returns an ``UploadKind`` with the safe content type to serve the file with. It stores
nothing: the room that owns the file saves it (``upload_to`` under ``MEDIA_ROOT``) only after the
check passed, so a refused upload leaves nothing half-stored.

``attachment_response(stored_file, *, filename, kind)`` serves a stored file as a download with
``Content-Disposition: attachment``, the checked content type and ``X-Content-Type-Options:
nosniff``. Views call it after ``Access`` said yes; a URL without the right is a 404 there.
"""

import os
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class UploadKind:
    key: str  # "pdf", "word", ...
    content_type: str
    extensions: tuple[str, ...]


KINDS = (
    UploadKind("pdf", "application/pdf", (".pdf",)),
    UploadKind(
        "word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    UploadKind("word", "application/msword", (".doc",)),
    UploadKind("excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    UploadKind("excel", "application/vnd.ms-excel", (".xls",)),
    UploadKind(
        "powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    ),
    UploadKind("powerpoint", "application/vnd.ms-powerpoint", (".ppt",)),
    UploadKind("opendocument", "application/vnd.oasis.opendocument.text", (".odt",)),
    UploadKind("opendocument", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    UploadKind("opendocument", "application/vnd.oasis.opendocument.presentation", (".odp",)),
    UploadKind("image", "image/png", (".png",)),
    UploadKind("image", "image/jpeg", (".jpg", ".jpeg")),
    UploadKind("image", "image/gif", (".gif",)),
    UploadKind("image", "image/webp", (".webp",)),
)
_BY_TYPE = {k.content_type: k for k in KINDS}
# The legacy Office formats share one container (OLE2); filetype names it by its first stream,
# so a .xls may be reported as application/msword. The extension decides among them.
_OLE = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
HEAD_BYTES = 8192


def allowed_extensions():
    return sorted({ext for k in KINDS for ext in k.extensions})


def check_upload(upload, *, kinds=None):
    """The kind of an uploaded file, by its content; raises ``ValidationError`` if refused.

    ``kinds`` narrows the allowed kinds by key (``{"pdf", "image"}``). Reads the first 8 KB and
    rewinds; has no side effects.
    """
    limit = settings.STEGVIS_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB is allowed.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:.0f}"},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if mime in _OLE:
        candidates = [k for k in KINDS if k.content_type in _OLE and extension in k.extensions]
        kind = candidates[0] if candidates else _BY_TYPE[mime]
    else:
        kind = _BY_TYPE.get(mime)
    allowed = [k for k in KINDS if kinds is None or k.key in kinds]
    if kind is None or kind not in allowed:
        names = ", ".join(ext for k in allowed for ext in k.extensions)
        raise ValidationError(
            _("This kind of file cannot be shared. Allowed: %(names)s.") % {"names": names},
            code="kind",
        )
    if extension not in kind.extensions:
        raise ValidationError(
            _("The file's name says %(extension)s but its content is %(kind)s. " "Rename it or choose the right file.")
            % {"extension": extension or _("no type"), "kind": kind.extensions[0]},
            code="mismatch",
        )
    return kind


def attachment_response(stored_file, *, filename, content_type):
    """A download of a stored file: attachment, the checked content type, no sniffing."""
    response = FileResponse(stored_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
