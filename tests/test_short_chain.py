"""The survey answer pages go through a shorter middleware chain (core/wsgi.py): no session,
account or lockout middleware, but every header and check the full chain gives them."""

import io
import re
import sys
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from stegvis.core import wsgi
from stegvis.surveys.models import Response

from .surveys.conftest import all_answers, link_path, open_survey
from .surveys.conftest import framework as framework


def _call(app, method, path, data=None, cookie=""):
    body = urlencode(data or {}).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = {k.lower(): v for k, v in headers}

    # as Django's test client does: the test's database connection must outlive the request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        content = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], content.decode()


def test_the_short_chain_leaves_out_only_what_the_door_does_not_need():
    short = wsgi.short_chain()
    assert set(settings.MIDDLEWARE) - set(short) == set(settings.STEGVIS_SHORT_CHAIN_SKIPS)
    for kept in ("SecurityMiddleware", "SecurityHeadersMiddleware", "LanguageMiddleware", "CsrfViewMiddleware"):
        assert any(path.endswith(kept) for path in short)
    assert short[-1] == "stegvis.organisations.middleware.TenantMiddleware"


def test_the_answer_pages_through_the_short_chain_keep_their_headers_and_work(client, world):
    app = wsgi.application()
    assert isinstance(app, wsgi.Router)
    survey = open_survey(world)
    path = link_path(survey, world.unit)
    full = client.get(path)
    status, headers, html = _call(app, "GET", path)
    assert status == 200 and "Dina svar är anonyma" in html
    for name in ("content-security-policy", "x-frame-options", "referrer-policy", "content-language", "vary"):
        assert headers[name] == full[name], name
    assert headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in headers or "sessionid" not in headers["set-cookie"]  # no session behind the door
    # the language cookie still counts
    _status, _headers, html = _call(app, "GET", path, cookie=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    assert "Your answers are anonymous" in html
    key = re.search(r'name="key" value="([^"]+)"', full.content.decode()).group(1)
    from stegvis.surveys import domain

    screens = domain.questions(survey.round.framework, survey.respondent_group)
    by_key = {q.key: q for q in domain.all_questions(screens)}
    data = {"key": key, "step": str(len(screens) - 1), "go": "send"}
    data.update({f"q{by_key[k].pk}": str(v) for k, v in all_answers(survey).items()})
    status, headers, _html = _call(app, "POST", path, data)
    assert status == 302 and headers["location"].endswith("/thanks/")
    assert Response.objects.count() == 1
    # a page elsewhere still goes through the full chain (the session middleware runs)
    client.force_login(world.alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, _headers, _html = _call(app, "GET", "/mittkoping/surveys/", cookie=cookie)
    assert status == 200
