"""JSON log lines (python-json-logger), for the application and gunicorn's access log.

``settings.LOGGING`` and ``gunicorn.conf.py`` use ``JsonFormatter``: one object a line with
time, level, logger, process and message (plus any ``extra=``). An access-log record of gunicorn
becomes the fields method, path, status, bytes and ms; the secret part of a path (a token-door
token, an invitation, e-mail change or password-reset link) is replaced by "…", and no client
address, query string, referrer or user agent is logged (store the least).
"""

import json
import re
import traceback
from datetime import UTC, datetime

from gunicorn.glogging import Logger as _GunicornLogger
from pythonjsonlogger.json import JsonFormatter as _Base

SECRET_PATH = re.compile(
    r"/(t|invitation|email-change)/[^/\s'\"]+|/(password-reset)/(?!sent/|done/)[^/\s'\"]+/[^/\s'\"]+"
)


def redact(text):
    """``text`` with the token of every secret path in it replaced by "…"."""
    return SECRET_PATH.sub(lambda m: f"/{m.group(1) or m.group(2)}/…", text or "")


def _access_fields(atoms):
    """The fields of gunicorn's access line from its atoms (no address, query or user agent)."""
    status = str(atoms.get("s") or "")
    return {
        "message": "request",
        "method": atoms.get("m"),
        "path": redact(atoms.get("U")),
        "status": int(status) if status.isdigit() else status,
        "bytes": atoms.get("B"),
        "ms": atoms.get("M"),
    }


class JsonFormatter(_Base):
    def format(self, record):
        """gunicorn's access line (one per request, hundreds a second) the short way: the same
        fields in the same order as ``add_fields`` gives them, without python-json-logger's
        walk over every attribute of the record (about 0.2 ms of a worker's CPU per request)."""
        atoms = record.args
        if record.name != "gunicorn.access" or not hasattr(atoms, "get") or record.exc_info or record.stack_info:
            return super().format(record)
        line = {}
        for field in self._required_fields:
            line[self._get_rename(field)] = getattr(record, field, None)
        if self.timestamp:
            key = self.timestamp if isinstance(self.timestamp, str) else "timestamp"
            line[self._get_rename(key)] = datetime.fromtimestamp(record.created, tz=UTC).isoformat()
        line.update(_access_fields(atoms))
        return json.dumps(line, default=str)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for key in ("message", "request"):  # Django's "Not Found: /t/<token>/" and its request
            if key in log_record:
                log_record[key] = redact(str(log_record[key]))
        atoms = record.args
        if record.name == "gunicorn.access" and hasattr(atoms, "get"):
            log_record.update(_access_fields(atoms))


class AccessLogger(_GunicornLogger):
    """gunicorn's logger (``logger_class`` in gunicorn.conf.py) whose access line is built from
    the five fields Stegvis logs only. gunicorn's own builds some twenty (the client address,
    user agent, referrer, every request and response header) for each request, most of them
    things Stegvis must not log anyway; at hundreds of survey submissions a second that was
    a tenth of a millisecond of a worker's CPU per request. The path is redacted here already,
    so the text format carries no token either."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        atoms = {
            "m": environ.get("REQUEST_METHOD"),
            "U": redact(environ.get("PATH_INFO")),
            "s": status,
            "B": getattr(resp, "sent", None),
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }
        try:
            self.access_log.info(self.cfg.access_log_format, atoms)
        except Exception:
            self.error(traceback.format_exc())
