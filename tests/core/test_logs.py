"""JSON log lines (core.logs): one object a line, and no token of a secret path in them."""

import io
import json
import logging

from stegvis.core.logs import JsonFormatter, redact


def _line(logger_name, msg, *args, **extra):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s", timestamp="time"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(msg, *args, extra=extra)
    finally:
        logger.removeHandler(handler)
    return json.loads(stream.getvalue())


def test_a_log_line_is_json_with_time_level_and_logger():
    line = _line("stegvis.test", "Exporten är klar: %s rader", 12)
    assert line["message"] == "Exporten är klar: 12 rader"
    assert line["levelname"] == "WARNING" and line["name"] == "stegvis.test"
    assert line["time"].endswith("+00:00")


def test_djangos_not_found_line_carries_no_token():
    line = _line(
        "django.request",
        "Not Found: %s",
        "/t/s3cr3t-token/survey/",
        request="<WSGIRequest: GET '/t/s3cr3t-token/survey/'>",
    )
    assert "s3cr3t" not in json.dumps(line)
    assert line["message"] == "Not Found: /t/…/survey/"


def test_secret_paths_are_blanked_and_others_kept():
    assert redact("/invitation/abc123/") == "/invitation/…/"
    assert redact("/email-change/abc123/") == "/email-change/…/"
    assert redact("/password-reset/MQ/set-password/") == "/password-reset/…/"
    assert redact("/password-reset/sent/") == "/password-reset/sent/"
    assert redact("/mittkoping/overview/?round=3") == "/mittkoping/overview/?round=3"


class _Atoms(dict):
    """gunicorn hands its access line's atoms as a mapping in ``record.args``."""


def test_gunicorns_access_line_has_its_fields_and_no_token():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(
            "%(levelname)s %(name)s %(process)d %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )
    )
    logger = logging.getLogger("gunicorn.access")
    logger.addHandler(handler)
    logger.propagate, level = False, logger.level
    logger.setLevel(logging.INFO)
    atoms = _Atoms(m="POST", U="/t/s3cr3t-token/survey/", s="302", B="0", M=12, h="10.1.2.3", a="Firefox")
    try:
        logger.info("%(m)s %(U)s %(s)s", atoms)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    line = json.loads(stream.getvalue())
    assert list(line) == ["level", "logger", "process", "message", "time", "method", "path", "status", "bytes", "ms"]
    assert line["message"] == "request" and line["method"] == "POST" and line["status"] == 302
    assert line["path"] == "/t/…/survey/" and line["time"].endswith("+00:00")
    assert "s3cr3t" not in stream.getvalue() and "10.1.2.3" not in stream.getvalue()
