"""The README's production recipe, run as written on a fresh data directory: the steps, then the
three processes (gunicorn, db_worker, run_scheduler) with the documented production settings.
Checked from outside over HTTP on loopback: /health/ turns healthy once the worker and the
scheduler beat, plain HTTP is redirected to HTTPS (but not /health/), pages are compressed and
carry HSTS, static files have versioned names with a year's immutable caching, the logs are JSON."""

import gzip
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_envsettings import ROOT, production_block

HOST = "stegvis.mittkoping.se"


def readme_commands(marker):
    """The commands of the README's block after ``<!-- marker -->``, comments stripped."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- {marker} -->\s*```sh\n(.*?)```", readme, re.S).group(1)
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    return [shlex.split(line) for line in lines if line]


def local(command):
    """A README command with this environment's .venv/bin (the suite already ran `make install`)."""
    program = command[0]
    if program.startswith(".venv/bin/"):
        program = str(Path(sys.executable).parent / program.removeprefix(".venv/bin/"))
    return [program, *command[1:]]


def free_port():
    if os.environ.get("STEGVIS_TEST_HTTP_PORT"):
        return int(os.environ["STEGVIS_TEST_HTTP_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": HOST, **headers})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


@pytest.fixture
def production(tmp_path):
    """The recipe's processes running on a fresh SQLite database; yields (port, log directory)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEGVIS_", "DJANGO_", "DATABASE_URL"))}
    env.update(production_block())
    env.update(
        {
            "STEGVIS_SECRET_KEY": "production-recipe-test-" + "k" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'stegvis.sqlite3'}",  # the recipe is the same on PostgreSQL
            "STEGVIS_DATA_DIR": str(tmp_path),
            "STEGVIS_BIND": f"127.0.0.1:{port}",
            "STEGVIS_WORKERS": "2",
            "STEGVIS_EMAIL_HOST": "",  # no mail leaves the test
        }
    )
    steps = readme_commands("production steps")
    assert steps[0] == ["make", "install"]
    for command in steps[1:]:
        done = subprocess.run(local(command), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    processes = []
    for i, command in enumerate(readme_commands("production processes")):
        out = open(tmp_path / f"process-{i}.log", "w")  # noqa: SIM115 (closed below)
        processes.append((subprocess.Popen(local(command), cwd=ROOT, env=env, stdout=out, stderr=out), out))
    try:
        yield port, tmp_path
    finally:
        for process, _ in processes:
            process.send_signal(signal.SIGTERM)
        for process, out in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            out.close()


def test_the_readme_production_recipe_serves_the_site(production):
    port, logs = production
    deadline = time.monotonic() + 90
    while True:  # the scheduler beats at once, the worker runs the beat within seconds
        try:
            response, body = get(port, "/health/")
            if response.status == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "not healthy in 90 s: " + "".join(
            p.read_text() for p in logs.glob("process-*.log")
        )
        time.sleep(0.5)
    assert json.loads(body) == {"status": "ok", "database": "ok", "scheduler": "ok", "worker": "ok"}

    response, _ = get(port, "/login/")  # plain HTTP (no X-Forwarded-Proto from the proxy)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/login/"

    response, body = get(port, "/login/", **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    page = gzip.decompress(body).decode()
    assert "Stegvis" in page
    css = re.search(r'href="(/static/stegvis/stegvis\.[0-9a-f]{12}\.css)"', page).group(1)

    response, body = get(port, css, **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"  # compressed ahead by collectstatic
    assert "immutable" in response.getheader("Cache-Control")
    max_age = int(re.search(r"max-age=(\d+)", response.getheader("Cache-Control")).group(1))
    assert max_age >= 365 * 24 * 3600

    response, _ = get(port, "/t/s3cr3t-token/survey/", **{"X-Forwarded-Proto": "https"})
    assert response.status == 404  # no such link

    time.sleep(0.5)  # let gunicorn flush its access log
    log = (logs / "process-0.log").read_text()
    lines = [json.loads(line) for line in log.splitlines()]  # gunicorn's: all JSON
    assert any(line.get("path") == css and line.get("status") == 200 for line in lines)
    assert any(line.get("path") == "/t/…/survey/" and line.get("status") == 404 for line in lines)
    assert "s3cr3t" not in log and "127.0.0.1" not in log.replace(f"127.0.0.1:{port}", "")
