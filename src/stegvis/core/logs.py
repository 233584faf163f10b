"""JSON log lines (python-json-logger), for the application and gunicorn's access log.

``settings.LOGGING`` and ``gunicorn.conf.py`` use ``JsonFormatter``: one object a line with
time, level, logger, process and message (plus any ``extra=``). An access-log record of gunicorn
becomes the fields method, path, status, bytes and ms; the secret part of a path (a token-door
token, an invitation, e-mail change or password-reset link) is replaced by "…", and no client
address, query string, referrer or user agent is logged (store the least).
"""

import re

from pythonjsonlogger.json import JsonFormatter as _Base

SECRET_PATH = re.compile(
    r"/(t|invitation|email-change)/[^/\s'\"]+|/(password-reset)/(?!sent/|done/)[^/\s'\"]+/[^/\s'\"]+"
)


def redact(text):
    """``text`` with the token of every secret path in it replaced by "…"."""
    return SECRET_PATH.sub(lambda m: f"/{m.group(1) or m.group(2)}/…", text or "")


class JsonFormatter(_Base):
    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for key in ("message", "request"):  # Django's "Not Found: /t/<token>/" and its request
            if key in log_record:
                log_record[key] = redact(str(log_record[key]))
        atoms = record.args
        if record.name == "gunicorn.access" and hasattr(atoms, "get"):
            status = str(atoms.get("s") or "")
            log_record.update(
                message="request",
                method=atoms.get("m"),
                path=redact(atoms.get("U")),
                status=int(status) if status.isdigit() else status,
                bytes=atoms.get("B"),
                ms=atoms.get("M"),
            )
