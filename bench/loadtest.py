"""``make loadtest``: the production setup under mixed traffic on loopback, then a check of the database.

    python -m bench.loadtest [--minutes 10] [--seconds N] [--principals 8] [--readers 4] [--port 8152]

Runs on the PostgreSQL bench data set of the small scale (12 organisers, 1,500 units, the largest
with 600; generated once by ``bench`` and reused) exactly as production does: gunicorn with
``gunicorn.conf.py`` (2 x cores + 1 sync workers), persistent connections
(``STEGVIS_CONN_MAX_AGE=60``), WhiteNoise serving the collected, hashed static files, gzip, JSON
logs, and ``db_worker`` and ``run_scheduler`` beside it. Clients are threads of this process
speaking HTTP/1.1 to 127.0.0.1 only:

- principals (``--principals``): log in, start the assessment of a unit of the open round that has
  none, go through its areas, answer every indicator (autosave, as htmx does), change every
  answer once more with the revision the page gave them, publish, read the plan; then the next unit;
- organiser readers (``--readers``, the largest organiser's admin): the overview grid in both
  modes, publication status, to-do, maturity, district comparison, a unit page, at random;
- one exporter: an Excel export of the overview every 20 s, polled until done and downloaded.

API reads are left out: the API is being built in parallel (issue 13, another part).
Each client fetches the page's CSS and JavaScript once (then cached: immutable).

Afterwards the database is checked against what the clients saw succeed: every answer holds the
last level saved with revision 2 (created, changed once: no lost and no doubled write), every
published assessment exactly once with one action plan and one audit event, every export done.
Results: printed, and ``bench/out/loadtest-<seconds>s.json``. Exit 1 on any error, a page p95
above 300 ms or a failed database check.
"""

import argparse
import gzip
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SCALE = "small"
P95_TARGET = 0.300  # seconds, pages
PASSWORD = "bench-bench-bench"  # bench.generate.PASSWORD


# -- the HTTP client ---------------------------------------------------------------------------


class Client:
    """One browser: cookies, CSRF token, gzip; each request timed and recorded under a name."""

    def __init__(self, port, stats):
        self.port, self.stats, self.cookies = port, stats, {}
        self.static_seen = set()

    def request(self, name, method, path, data=None, *, headers=None, expect=(200,)):
        body = urlencode(data).encode() if data is not None else None
        hdrs = {"Host": "127.0.0.1", "Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            hdrs["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            hdrs["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request(method, path, body=body, headers=hdrs)
            response = conn.getresponse()
            raw = response.read()
            conn.close()
        except OSError as exc:
            self.stats.record(name, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
            raise
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        text = gzip.decompress(raw) if response.getheader("Content-Encoding") == "gzip" else raw
        ok = response.status in expect
        self.stats.record(name, elapsed, error=None if ok else f"{method} {path}: {response.status}")
        if not ok:
            raise RuntimeError(f"{name}: {method} {path} answered {response.status}")
        if response.getheader("Content-Type", "").startswith("text/html"):
            self._static(text)
        return response, text.decode("utf-8", "replace")

    def get(self, name, path, **kw):
        return self.request(name, "GET", path, **kw)

    def post(self, name, path, data, **kw):
        return self.request(name, "POST", path, data, **kw)

    def _static(self, html):
        """Fetch a page's CSS and JS once, as a browser with a cache does (the names are versioned)."""
        for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
            url = url.decode()
            if url not in self.static_seen:
                self.static_seen.add(url)
                response, _ = self.get("static", url)
                if "immutable" not in (response.getheader("Cache-Control") or ""):
                    self.stats.record("static", 0, error=f"{url}: no immutable caching")

    def login(self, email):
        _r, page = self.get("login page", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, _ = self.post(
            "login", "/login/", {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}, expect=(302,)
        )
        return response


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = []

    def record(self, name, seconds, *, error=None):
        with self.lock:
            self.times[name].append(seconds)
            if error:
                self.errors.append(f"{name}: {error}")


# -- the clients -------------------------------------------------------------------------------


def principal(client, slug, email, units, stop, done):
    """Assess and publish one unit after another; ``done`` gets what succeeded, for the check."""
    client.login(email)
    for unit_id, round_id in units:
        if stop.is_set():
            return
        response, _ = client.post(
            "start assessment", f"/{slug}/units/{unit_id}/rounds/{round_id}/start/", {}, expect=(302,)
        )
        area_path = urlsplit(response.getheader("Location")).path
        assessment_id = int(re.search(r"/assessments/(\d+)/", area_path).group(1))
        _r, page = client.get("assessment area page", area_path)
        areas = list(dict.fromkeys(re.findall(rf"/{slug}/assessments/{assessment_id}/areas/[\w-]+/", page)))
        saved = {}
        for n, area in enumerate(areas):
            if n:
                _r, page = client.get("assessment area page", area)
            for ind in dict.fromkeys(re.findall(rf"/{slug}/assessments/{assessment_id}/indicators/(\d+)/", page)):
                url = f"/{slug}/assessments/{assessment_id}/indicators/{ind}/"
                revision = 0
                for level in (random.choice((1, 2)), 3):  # the first answer, then a change
                    if stop.is_set():
                        return
                    _r, fragment = client.post(
                        "autosave", url, {"choice": str(level), "comment": "", "revision": str(revision)},
                        headers={"HX-Request": "true"},
                    )  # fmt: skip
                    if 'class="conflict"' in fragment:
                        client.stats.record("autosave", 0, error=f"conflict on {url}")
                    revision = int(re.search(r'name="revision" value="(\d+)"', fragment).group(1))
                    saved[int(ind)] = (level, revision)
                    time.sleep(random.uniform(0.2, 0.8))  # reading the next indicator
        response, _ = client.post(
            "publish", f"/{slug}/assessments/{assessment_id}/publish/", {"confirmed": "yes"}, expect=(302,)
        )
        client.get("plan page", urlsplit(response.getheader("Location")).path)
        done.append({"unit": unit_id, "round": round_id, "assessment": assessment_id, "answers": saved})


def reader(client, slug, pages, stop):
    client.login(f"admin@{slug}.se")
    while not stop.is_set():
        name, path = random.choice(pages)
        client.get(name, path)
        time.sleep(random.uniform(0.5, 2.0))


def exporter(client, slug, round_id, stop, jobs):
    client.login(f"admin@{slug}.se")
    while not stop.is_set():
        response, _ = client.post(
            "export start", f"/{slug}/exports/", {"export": "overview.xlsx", "round": str(round_id)}, expect=(302,)
        )
        job = urlsplit(response.getheader("Location")).path
        for _ in range(120):
            _r, fragment = client.get("export poll", f"{job}status/", headers={"HX-Request": "true"})
            if f"{job}download/" in fragment:
                client.get("export download", f"{job}download/")
                jobs.append(job.rstrip("/").rsplit("/", 1)[1])
                break
            time.sleep(1)
        else:
            client.stats.record("export", 0, error=f"{job} not done in 120 s")
        stop.wait(20)


# -- set-up, processes, check (Django runs in child processes) ----------------------------------


def django_env(data_dir, db_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEGVIS_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DATABASE_URL": db_url,
            "STEGVIS_SECRET_KEY": "loadtest-only-" + "s" * 40,
            "STEGVIS_DATA_DIR": str(data_dir),
            "STEGVIS_ALLOWED_HOSTS": "127.0.0.1",
            "STEGVIS_CONN_MAX_AGE": "60",
            # the readers and the exporter sign in as the organiser's admin with a password: with
            # the second factor on, every page would send them to the two-step set-up (302)
            "STEGVIS_ADMIN_SECOND_FACTOR": "0",
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "stegvis.settings",
        }
    )
    return env


def child(env, *args):
    done = subprocess.run(
        [sys.executable, "-m", "bench.loadtest", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"bench.loadtest {args[0]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def setup_in_django(principals, per_principal):
    """Principals with their units (of the open round, none assessed yet) and the pages to read."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from stegvis.assessments.models import Assessment
    from stegvis.cycles.models import Round
    from stegvis.organisations.models import Membership, Organizer, Role, Unit

    call_command("collectstatic", interactive=False, verbosity=0)
    with scopes_disabled():
        org = Organizer.objects.get(slug="bench-000")
        open_round = Round.objects.get(organizer=org, status=Round.Status.OPEN)
        closed = Round.objects.filter(organizer=org, status=Round.Status.CLOSED).order_by("-opens_on").first()
        taken = set(Assessment.objects.filter(round=open_round).values_list("unit_id", flat=True))
        free = list(Unit.objects.filter(organizer=org).order_by("pk").values_list("pk", flat=True))
        free = [pk for pk in free if pk not in taken]
        User = get_user_model()
        hashed = User.objects.get(email="admin@bench-000.se").password
        people = []
        for n in range(principals):
            units = free[n * per_principal : (n + 1) * per_principal]
            email = f"load-principal-{n}-{time.time_ns()}@bench-000.se"
            user = User.objects.create(email=email, full_name=f"Rektor {n}", password=hashed)
            Membership.objects.bulk_create(
                Membership(organizer=org, user=user, role=Role.PRINCIPAL, unit_id=u) for u in units
            )
            people.append({"email": email, "units": [(u, open_round.pk) for u in units]})
        some_unit = Unit.objects.filter(organizer=org).order_by("pk").first().pk
    slug = org.slug
    pages = [
        ("grid page", f"/{slug}/overview/?round={closed.pk}&mode=level"),
        ("grid page", f"/{slug}/overview/?round={closed.pk}&mode=plan"),
        ("grid page", f"/{slug}/overview/?round={open_round.pk}"),
        ("status page", f"/{slug}/overview/status/?round={open_round.pk}"),
        ("status page", f"/{slug}/overview/status/?round={closed.pk}"),
        ("to-do page", f"/{slug}/overview/todo/?round={closed.pk}"),
        ("maturity page", f"/{slug}/overview/maturity/"),
        ("districts page", f"/{slug}/overview/districts/?round={closed.pk}"),
        ("unit page", f"/{slug}/units/{some_unit}/"),
    ]
    return {"slug": slug, "round": closed.pk, "principals": people, "pages": pages}


def check_in_django(path):
    """Compare the database with what the clients saw succeed: [problems]."""
    import django

    django.setup()
    from django_scopes import scopes_disabled

    from stegvis.assessments.models import Answer, Assessment
    from stegvis.core.models import AuditEvent
    from stegvis.exports.models import ExportJob
    from stegvis.planning.models import ActionPlan

    seen = json.loads(Path(path).read_text())
    problems = []
    answers_checked = 0
    with scopes_disabled():
        for item in seen["published"]:
            versions = Assessment.objects.filter(unit_id=item["unit"], round_id=item["round"])
            if versions.count() != 1 or versions.get().status != Assessment.Status.PUBLISHED:
                problems.append(f"unit {item['unit']}: {versions.count()} assessments, expected one published")
                continue
            assessment = versions.get()
            stored = {i: (lv, rev) for i, lv, rev in Answer.objects.filter(assessment=assessment).values_list(
                "indicator_id", "level", "revision")}  # fmt: skip
            expected = {int(i): tuple(v) for i, v in item["answers"].items()}
            if stored != expected:
                lost = {i: (expected.get(i), stored.get(i)) for i in set(stored) | set(expected)
                        if stored.get(i) != expected.get(i)}  # fmt: skip
                problems.append(f"assessment {assessment.pk}: answers differ (expected, stored): {lost}")
            answers_checked += len(stored)
            plans = ActionPlan.objects.filter(unit_id=item["unit"], round_id=item["round"]).count()
            if plans != 1:
                problems.append(f"unit {item['unit']}: {plans} action plans")
            events = AuditEvent.objects.filter(
                verb="assessment.published", object_type="assessment", object_id=assessment.pk
            ).count()
            if events != 1:
                problems.append(f"assessment {assessment.pk}: {events} publish events")
        for job_id in seen["exports"]:
            job = ExportJob.objects.get(pk=job_id)
            if job.status != ExportJob.Status.DONE:
                problems.append(f"export {job_id}: {job.status}")
    return {"problems": problems, "answers_checked": answers_checked, "published": len(seen["published"])}


def start_processes(env, port, log_dir):
    env = {**env, "STEGVIS_BIND": f"127.0.0.1:{port}"}
    commands = [
        [str(Path(sys.executable).parent / "gunicorn"), "stegvis.wsgi"],
        [sys.executable, "manage.py", "db_worker"],
        [sys.executable, "manage.py", "run_scheduler"],
    ]
    processes = []
    for name, command in zip(("gunicorn", "worker", "scheduler"), commands, strict=True):
        log = open(log_dir / f"{name}.log", "w")  # noqa: SIM115 (closed in stop_processes)
        processes.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log), log))
    return processes


def stop_processes(processes):
    for process, _log in processes:
        process.send_signal(signal.SIGTERM)
    for process, log in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_healthy(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the site on port {port} was not healthy within {timeout} s")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--seconds", type=float, help="instead of --minutes (a short smoke run)")
    parser.add_argument("--principals", type=int, default=8)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8152)
    args = parser.parse_args()
    duration = args.seconds if args.seconds is not None else args.minutes * 60

    from bench.__main__ import PG_URL, postgres_available, run_backend

    if not postgres_available():
        raise SystemExit("the load test needs PostgreSQL at 127.0.0.1:5432")
    print(f"== data set: PostgreSQL, scale {SCALE} (generated once by `make bench`)", flush=True)
    run_backend("postgres", SCALE, 1, only="none")  # generates the data set unless it is there
    # the database run_backend used (STEGVIS_BENCH_DB, else the prefix and the scale)
    name = (
        os.environ.get("STEGVIS_BENCH_DB") or os.environ.get("STEGVIS_BENCH_PG_PREFIX", "stegvis_bench") + f"_{SCALE}"
    )
    db_url = PG_URL.format(name=name)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stegvis-load-") as tmp:
        tmp = Path(tmp)
        env = django_env(tmp, db_url)
        per_principal = max(3, int(duration / 40) + 2)  # about 40 s per unit: more than enough
        plan = child(env, "--setup", str(args.principals), str(per_principal))
        processes = start_processes(env, args.port, tmp)
        try:
            wait_healthy(args.port)
            print(
                f"== {duration:.0f} s: {args.principals} principals, {args.readers} organiser readers, one exporter "
                f"on gunicorn at 127.0.0.1:{args.port}",
                flush=True,
            )
            stats, stop, published, exports = Stats(), threading.Event(), [], []
            slug = plan["slug"]
            threads = [
                threading.Thread(
                    target=principal, args=(Client(args.port, stats), slug, p["email"], p["units"], stop, published)
                )
                for p in plan["principals"]
            ]
            threads += [
                threading.Thread(target=reader, args=(Client(args.port, stats), slug, plan["pages"], stop))
                for _ in range(args.readers)
            ]
            threads.append(
                threading.Thread(target=exporter, args=(Client(args.port, stats), slug, plan["round"], stop, exports))
            )
            started = time.monotonic()
            for thread in threads:
                thread.daemon = True
                thread.start()
            stop.wait(duration)
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
            elapsed = time.monotonic() - started
        finally:
            stop_processes(processes)
        seen = OUT / f"loadtest-{round(duration)}s-seen.json"  # kept: the check can be run again
        seen.write_text(json.dumps({"published": published, "exports": exports}))
        check = child(env, "--check", str(seen))
        gunicorn_log = (tmp / "gunicorn.log").read_text().splitlines()
    pages = {k: v for k, v in stats.times.items() if k.endswith("page")}
    page_times = [t for v in pages.values() for t in v]
    report = {
        "seconds": round(elapsed),
        "requests": sum(len(v) for v in stats.times.values()),
        "errors": stats.errors[:50],
        "error_count": len(stats.errors),
        "by_kind": {
            name: {
                "count": len(v),
                "p50_ms": round(statistics.median(v) * 1000, 1),
                "p95_ms": round(percentile(v, 0.95) * 1000, 1),
                "max_ms": round(max(v) * 1000, 1),
            }
            for name, v in sorted(stats.times.items())
        },
        "pages_p95_ms": round(percentile(page_times, 0.95) * 1000, 1),
        "check": check,
        "server_errors_logged": sum('"level": "ERROR"' in line for line in gunicorn_log),
    }
    (OUT / f"loadtest-{round(duration)}s.json").write_text(json.dumps(report, indent=2))
    print(f"{'kind':<24}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, row in report["by_kind"].items():
        print(f"{name:<24}{row['count']:>8}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    rate = report["requests"] / max(elapsed, 1)
    print(f"{report['requests']} requests in {elapsed:.0f} s ({rate:.1f}/s); errors: {report['error_count']}")
    print(f"pages p95: {report['pages_p95_ms']} ms (target <= {P95_TARGET * 1000:.0f} ms)")
    print(
        f"database check: {check['published']} assessments published, {check['answers_checked']} answers, "
        f"{len(exports)} exports; problems: {len(check['problems'])}"
    )
    for line in stats.errors[:10] + check["problems"][:10]:
        print("  " + line)
    failed = report["error_count"] or check["problems"] or report["pages_p95_ms"] > P95_TARGET * 1000
    if not published:
        print("  no assessment was published: the run was too short to check writes")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--setup":
        print(json.dumps(setup_in_django(int(sys.argv[2]), int(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "--check":
        print(json.dumps(check_in_django(sys.argv[2])))
    else:
        main()
