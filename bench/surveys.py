"""The survey benchmark (issue 12): the answer page under load, on PostgreSQL, served by the
production server (gunicorn with gunicorn.conf.py, ``--workers`` sync workers, default 4 on the
2-core machine), driven from a separate process with a bounded load; every acknowledged
submission must be in the database (count checked).

    python -m bench.surveys [--workers 4] [--count 120000] [--seconds 60] [--concurrency 48] [--port 8180]
                            [--warmup 10] [--driver auto|wrk|python]

The driver is wrk (Debian's ``wrk``, with bench/survey_wrk.lua) when it is installed, else the
standard-library asyncio driver ``bench.survey_driver``, which takes about three times the CPU
per submission from the same two cores. The first ``--warmup`` seconds of load (the links in
turn) are not measured (their submissions are counted in the stored check): a server that has
run a while keeps links and tokens per process.

Besides rate and latency it reports the CPU time per acknowledged submission of each process
of the measured part (bench.cpu: gunicorn's master and workers, the database's PostgreSQL
backends, the driver; and the whole machine's, others included): the figure that can be
compared on a shared machine, where the rate cannot.

Targets: >= 500 complete submissions per second of the 20-question staff survey, p95 <= 200 ms,
no errors, acknowledged == stored. Figures in docs/benchmarks.md.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import cpu

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WRK_THREADS = 1  # one thread of wrk keeps 48 connections busy at a fraction of a core
DB = os.environ.get("STEGVIS_BENCH_SURVEYS_DB", "stegvis_bench_surveys")  # a database of one's own


def env_for(url):
    env = os.environ.copy()
    env.update(
        STEGVIS_DEBUG="0",
        STEGVIS_SECRET_KEY="bench-only-secret-key",
        STEGVIS_ALLOWED_HOSTS="127.0.0.1",
        STEGVIS_CONN_MAX_AGE="600",
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def stored(url, survey):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM surveys_response WHERE survey_id = %s", [survey]).fetchone()[0]


def wait_for(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?db", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def main(argv=None):
    from bench.__main__ import PG_URL, ensure_pg_database, postgres_available

    parser = argparse.ArgumentParser(prog="python -m bench.surveys")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (more than 1: gthread)")
    parser.add_argument(
        "--count",
        type=int,
        default=120000,
        help="most submissions measured (a bound; at 30,000 in 60 s it capped the rate at 500/s)",
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load first, not measured")
    parser.add_argument(
        "--driver",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="the load generator: wrk (with bench/survey_wrk.lua) when installed, else bench.survey_driver",
    )
    parser.add_argument("--only", choices=["all", "load", "results"], default="all")
    parser.add_argument("--repeat", type=int, default=15, help="runs of each results page (median)")
    args = parser.parse_args(argv)
    if not postgres_available():
        print("PostgreSQL does not answer at 127.0.0.1:5432: survey benchmark skipped")
        return None
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_pg_database(DB)
    url = PG_URL.format(name=DB)
    env = env_for(url)
    setup = subprocess.run(
        [sys.executable, "-m", "bench.survey_setup"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    setup_file = OUT / "survey-setup.json"
    setup_file.write_text(setup.stdout.strip().splitlines()[-1])
    survey = json.loads(setup_file.read_text())["survey"]
    rows = []
    if args.only in ("all", "results"):
        rows += results_rows(env, args.repeat)
    if args.only == "results":
        _print(rows)
        return rows
    before = stored(url, survey)
    log = (OUT / "survey-server.log").open("w")  # the server's access log of the run
    server = subprocess.Popen(server_command(args), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    driver = args.driver
    if driver == "auto":
        driver = "wrk" if shutil.which("wrk") else "python"
        if driver == "python":
            print("  note: wrk not found (apt-get install wrk): the Python driver, which takes more of the cores")
    try:
        wait_for(args.port)
        if driver == "wrk":
            result, costs = drive_wrk(args, setup_file, server=server.pid, url=url)
        else:
            result, costs = drive_python(args, setup_file, server=server.pid, url=url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    result["stored"] = stored(url, survey) - before
    result["all_acknowledged"] = result["acknowledged"] + result["warmup_acknowledged"]
    result["workers"] = args.workers
    result["threads"] = args.threads
    result["driver"] = driver
    result["cpu_ms_per_submission"] = costs.per(result["acknowledged"])
    result["cpu_note"] = costs.note
    (OUT / "results-surveys-postgres.json").write_text(json.dumps(result, indent=2))
    ms = lambda s: f"{s * 1000:.0f} ms" if s is not None else "-"  # noqa: E731
    rows += [
        (
            f"submissions per second ({result['questions']} questions, {args.workers} workers)",
            f"{result['rate']:.0f}/s",
            ">= 500/s",
            result["rate"] >= 500,
        ),
        (
            "  p95 latency (p50, p99)",
            f"{ms(result['p95'])} ({ms(result['p50'])}, {ms(result['p99'])})",
            "<= 200 ms",
            (result["p95"] or 1) <= 0.2,
        ),
        ("  errors", str(result["errors"]), "0", result["errors"] == 0),
        stored_row(result),
    ]
    per = result["cpu_ms_per_submission"]
    if per:
        rows.append(
            (
                "  CPU per acknowledged submission: total (workers, PostgreSQL, driver)",
                f"{per['total']:.2f} ms ({per['server']:.2f}, {per['postgres']:.2f}, {per['driver']:.2f})",
                "<= 4 ms",
                per["total"] <= 4,
            )
        )
        rows.append(
            (
                "  the same: PostgreSQL's shared processes; the whole machine (every process)",
                f"{per['postgres_shared']:.2f}; {per['machine']:.2f} ms",
                "(reported)",
                True,
            )
        )
    if result["cpu_note"]:
        print(f"  note: {result['cpu_note']}")
    _print(rows)
    return rows


def stored_row(result):
    """Every acknowledged submission is in the database; nothing more, but for the requests a
    driver left in flight at its deadline (``unanswered_bound``: wrk's, one per connection)."""
    acked, found, bound = result["all_acknowledged"], result["stored"], result["unanswered_bound"]
    if not bound:
        return ("  acknowledged = stored", f"{acked} = {found}", "equal", acked == found)
    return (
        f"  acknowledged <= stored <= acknowledged + {bound} in flight",
        f"{acked} <= {found}",
        "every acknowledged one stored",
        acked <= found <= acked + bound,
    )


def server_command(args):
    """gunicorn as the README starts it (gunicorn.conf.py from the checkout), on the bench's port."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "stegvis.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
    ]


def drive_python(args, setup_file, *, server, url):
    """bench.survey_driver, warm-up included; it prints when its measured part starts and ends."""
    driver = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.survey_driver",
            "--port",
            str(args.port),
            "--setup",
            str(setup_file),
            "--count",
            str(args.count),
            "--seconds",
            str(args.seconds),
            "--concurrency",
            str(args.concurrency),
            "--warmup",
            str(args.warmup),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    costs = cpu.Meter(server=server, driver=driver.pid, database_url=url, database=DB)
    lines = []
    for line in driver.stdout:  # the driver says when the measured part starts and ends
        if line.strip() == "measure: start":
            costs.start()
        elif line.strip() == "measure: end":
            costs.stop()
        else:
            lines.append(line)
    if driver.wait() != 0:
        raise SystemExit("the survey driver failed")
    result = json.loads(lines[-1])
    result["unanswered_bound"] = 0  # it waits for every request it sent
    return result, costs


def drive_wrk(args, setup_file, *, server, url):
    """wrk with bench/survey_wrk.lua: a warm-up run, then the measured run (its CPU time read).

    wrk stops at its deadline without waiting for the requests in flight, so up to one per
    connection and run may be stored without being acknowledged: the count check is then
    acknowledged <= stored <= acknowledged + that bound."""
    setup = json.loads(setup_file.read_text())
    text = OUT / "survey-setup.txt"
    text.write_text(
        f"{setup['last_step']}\n"
        + " ".join(f"{name}:{steps}" for name, steps in setup["fields"])
        + "\n"
        + "\n".join(setup["paths"])
        + "\n"
    )

    def run(seconds, count, *extra):
        command = [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{args.concurrency}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "survey_wrk.lua"),
            f"http://127.0.0.1:{args.port}",
            "--",
            str(text),
            secrets.token_hex(8),  # a fresh prefix of the submit keys
            str(max(1, count // WRK_THREADS)),
            *extra,
        ]
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)

    def result_of(process, costs=None):
        out = process.stdout.read()  # to its end: wrk has exited
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if costs is not None:
            costs.stop(driver_seconds=usage.ru_utime + usage.ru_stime)  # all of it is the measured run
        if process.returncode != 0:
            raise SystemExit("wrk failed")
        return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])

    warm = {"acknowledged": 0, "errors": 0}
    if args.warmup > 0:
        warm = result_of(run(args.warmup, 10**9, "warmup"))
    costs = cpu.Meter(server=server, driver=None, database_url=url, database=DB)
    costs.start()
    result = result_of(run(args.seconds, args.count), costs)
    result.update(
        warmup_acknowledged=warm["acknowledged"],
        warmup_errors=warm["errors"],
        rate=result["acknowledged"] / result["seconds"] if result["seconds"] else 0,
        concurrency=args.concurrency,
        questions=len(setup["fields"]),
        unanswered_bound=args.concurrency * (2 if args.warmup > 0 else 1),
    )
    result["errors"] += warm["errors"]
    return result, costs


def _print(rows):
    for what, figure, target, ok in rows:
        print(f"  {'ok  ' if ok else 'MISS'} {what:<70} {figure:>16}  (target {target})")


def results_rows(env, repeat):
    """The results pages of the 600-unit organiser with 100,000 responses (bench.survey_results)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.survey_results", "--repeat", str(repeat)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    (OUT / "results-survey-results-postgres.json").write_text(json.dumps(found, indent=2))
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    n = f"{found['responses']:,} responses, {found['units']} units"
    return [
        (
            f"organiser's results page ({n}, {found['organiser_page_queries']} queries)",
            f"{ms(found['organiser_page'])} (CPU {ms(found['organiser_page_cpu'])})",
            "<= 300 ms",
            found["organiser_page"] <= 0.3,
        ),
        (
            f"  per indicator: the organiser and 12 districts ({found['indicator_page_queries']} queries)",
            f"{ms(found['indicator_page'])} (CPU {ms(found['indicator_page_cpu'])})",
            "<= 300 ms",
            found["indicator_page"] <= 0.3,
        ),
        (
            f"  per indicator: one district's 50 units ({found['indicator_district_page_queries']} queries)",
            f"{ms(found['indicator_district_page'])} (CPU {ms(found['indicator_district_page_cpu'])})",
            "<= 300 ms",
            found["indicator_district_page"] <= 0.3,
        ),
        (
            "  its export, every level (CSV / xlsx)",
            f"{ms(found['indicator_export_csv'])} / {ms(found['indicator_export_xlsx'])}",
            "(reported)",
            True,
        ),
        (
            f"a unit's results page ({found['unit_page_queries']} queries)",
            f"{ms(found['unit_page'])} (CPU {ms(found['unit_page_cpu'])})",
            "<= 300 ms",
            found["unit_page"] <= 0.3,
        ),
        (
            f"  the same page to an admin, decided over every unit ({found['unit_page_admin_queries']} queries)",
            f"{ms(found['unit_page_admin'])} (CPU {ms(found['unit_page_admin_cpu'])})",
            "<= 300 ms",
            found["unit_page_admin"] <= 0.3,
        ),
        ("  one refresh of the survey's figures (aggregate.refresh)", ms(found["refresh"]), "(reported)", True),
        ("  its CPU time in the application (the rest is PostgreSQL's)", ms(found["refresh_cpu"]), "(reported)", True),
        (
            "  new responses on the page: the job every 30 s + its pass",
            f"{found['freshness_bound']:.1f} s",
            "<= 60 s",
            found["freshness_bound"] <= 60 and found["page_shows_new_total"],
        ),
    ]


if __name__ == "__main__":
    main()
