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
