"""``make bench``: national-scale benchmark of the organiser's overview, maturity figures,
Excel export and PDF report, on SQLite and (when one answers at 127.0.0.1:5432) PostgreSQL.

    python -m bench [--scale full|small] [--db sqlite|postgres|both] [--strict]

The data set is generated once per database and scale (bench/out/; PostgreSQL database
stegvis_bench_<scale>, or $STEGVIS_BENCH_PG_PREFIX_<scale>) and reused.
Targets (issue 3): overview page <= 100 ms median and <= 3x the plain SQL reading its cells;
maturity figures read <= 300 ms and current within 60 s of a publish; answers to Excel
<= 10 s and <= 256 MB peak memory; a unit's PDF report <= 2 s. Calendar feeds (issue 9) <= 100 ms;
the reminder pass over every organiser <= 60 s, its queries not growing with the number of units.
"What works" (issue 10): computed for every organiser and the nation <= 5 minutes, read <= 100 ms.
The library of good examples (issue 11): a search of 10,000 documents <= 100 ms (bench/library.py).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SCALES = {"full": (290, 16000, 600), "small": (12, 1500, 600), "tiny": (3, 40, 20)}
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def postgres_available():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def ensure_pg_database(name):
    import psycopg

    with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run_backend(backend, scale, repeat, only=""):
    organisers, units, largest = SCALES[scale]
    env = os.environ.copy()
    env.setdefault("STEGVIS_DEBUG", "0")
    env.setdefault("STEGVIS_SECRET_KEY", "bench-only-secret-key")
    env["STEGVIS_DEBUG"] = "0"  # measure without debug overhead (no query log)
    env["STEGVIS_ALLOWED_HOSTS"] = "testserver"
    env["STEGVIS_CONN_MAX_AGE"] = "600"  # as a production server keeps its connection
    # the pages are measured for an admin signed in by the test client (force_login), not through
    # the login form, so the second factor's set-up page would stand in front of every page
    env["STEGVIS_ADMIN_SECOND_FACTOR"] = "0"
    if backend == "sqlite":
        env.pop("DATABASE_URL", None)
        env["STEGVIS_DATA_DIR"] = str(OUT / f"sqlite-{scale}")
    else:
        prefix = os.environ.get("STEGVIS_BENCH_PG_PREFIX", "stegvis_bench")
        name = os.environ.get("STEGVIS_BENCH_DB") or f"{prefix}_{scale}"  # a database of one's own
        ensure_pg_database(name)
        env["DATABASE_URL"] = PG_URL.format(name=name)
    cmd = [
        sys.executable,
        "-m",
        "bench.run",
        "--organisers",
        str(organisers),
        "--units",
        str(units),
        "--largest",
        str(largest),
        "--repeat",
        str(repeat),
        "--only",
        only,
    ]
    result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if result.returncode:
        raise SystemExit(f"{backend}: benchmark run failed (exit {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def checks(r):
    """[(what, figure, target, ok)]"""
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    out = []
    for name, page in r.get("pages", {}).items():
        if name == "autosave":
            ok = page["seconds"] <= 0.01 and page["queries"] <= 6
            out.append(
                (
                    f"autosave of one answer ({page['queries']} queries, target <= 6)",
                    ms(page["seconds"]),
                    "<= 10 ms",
                    ok,
                )
            )
        else:
            out.append(
                (f"{name} page ({page['queries']} queries)", ms(page["seconds"]), "<= 100 ms", page["seconds"] <= 0.1)
            )
    if "overview" in r:
        ov = r["overview"]
        for mode in ("level", "plan"):
            s = ov[mode]["seconds"]
            out.append(
                (
                    f"overview page ({mode} mode, {ov['cells']} cells, {ov[mode]['queries']} queries)",
                    ms(s),
                    "<= 100 ms",
                    s <= 0.1,
                )
            )
            ratio = s / ov["plain_sql_seconds"] if ov["plain_sql_seconds"] else float("inf")
            out.append(
                (
                    f"  vs plain SQL of the same cells ({ms(ov['plain_sql_seconds'])})",
                    f"{ratio:.1f}x",
                    "<= 3x",
                    ratio <= 3,
                )
            )
    if "maturity" in r:
        mat = r["maturity"]
        out.append(
            (
                "(all figures of all organisers and the nation computed from scratch)",
                f"{mat['first_refresh_seconds']:.1f} s",
                "(once)",
                True,
            )
        )
        out.append(
            (
                "maturity figures, organiser read",
                ms(mat["organizer_read_seconds"]),
                "<= 300 ms",
                mat["organizer_read_seconds"] <= 0.3,
            )
        )
        out.append(
            (
                "maturity figures, national read",
                ms(mat["national_read_seconds"]),
                "<= 300 ms",
                mat["national_read_seconds"] <= 0.3,
            )
        )
        fresh = mat["read_after_publish_seconds"]
        if fresh is not None:
            out.append(("organiser figures after a publish (first read recomputes)", ms(fresh), "<= 60 s", fresh <= 60))
        cycle = mat.get("refresh_cycle_seconds")
        if cycle is not None:
            worst = mat["refresh_interval_seconds"] + cycle
            out.append(
                (
                    f"national figures after a publish (refresher every {mat['refresh_interval_seconds']} s + one "
                    f"pass of {cycle:.1f} s)",
                    f"{worst:.0f} s",
                    "<= 60 s",
                    worst <= 60,
                )
            )
    if "excel" in r:
        xl = r["excel"]
        out.append(
            (f"Excel export of answers ({xl['rows']} rows)", f"{xl['seconds']:.1f} s", "<= 10 s", xl["seconds"] <= 10)
        )
        peak = xl["peak_rss_bytes"] / 2**20
        out.append(("  peak memory of the exporting process", f"{peak:.0f} MB", "<= 256 MB", peak <= 256))
    if "pdf" in r:
        pdf = r["pdf"]
        out.append(("unit PDF report", ms(pdf["seconds"]), "<= 2 s", pdf["seconds"] <= 2))
    goals = r.get("goals")
    if goals:
        out.append(
            (
                f"goals page ({goals['goals']} goals, 5 rounds of follow-up, {goals['queries']} queries)",
                ms(goals["seconds"]),
                "<= 300 ms",
                goals["seconds"] <= 0.3,
            )
        )
        out.append(
            (
                "  first read after a publish (recomputes that round)",
                ms(goals["after_change_seconds"]),
                "(reported)",
                True,
            )
        )
    plans = r.get("plans")  # local digital plans and the organiser's plan (docs/digital-plans.md)
    if plans:
        page = plans["organiser_plan"]
        out.append(
            (
                f"organiser's plan ({plans['units']} units with plans, {plans['central_actions']} central actions, "
                f"{page['queries']} queries)",
                ms(page["seconds"]),
                "<= 300 ms",
                page["seconds"] <= 0.3,
            )
        )
        out.append(
            (
                f"  list of units' plans ({plans['list']['queries']} queries)",
                ms(plans["list"]["seconds"]),
                "(reported)",
                True,
            )
        )
        out.append(("  drafting one unit's plan", ms(plans["draft_seconds"]), "(reported)", True))
    for key, feed in r.get("calendar", {}).items():
        out.append(
            (
                f"calendar feed, {key} ({feed['events']} events)",
                ms(feed["seconds"]),
                "<= 100 ms",
                feed["seconds"] <= 0.1,
            )
        )
    rem = r.get("reminders")
    if rem:
        first, again = rem["first"], rem["again"]
        out.append(
            (
                f"reminder pass, {rem['organisers']} organisers ({first['mails']} mails, {first['queries']} queries, "
                f"{first.get('cpu_seconds', 0):.1f} s CPU)",
                f"{first['seconds']:.1f} s",
                "<= 60 s",
                first["seconds"] <= 60,
            )
        )
        out.append(
            (
                f"  the same pass again (sends {again['mails']}, {again['queries']} queries, "
                f"{again.get('cpu_seconds', 0):.1f} s CPU)",
                f"{again['seconds']:.1f} s",
                "<= 60 s",
                again["seconds"] <= 60 and again["mails"] == 0,
            )
        )
    ww = r.get("whatworks")
    if ww:
        out.append(
            (
                f"what works, computed from scratch ({ww['organisers_computed']} organisers, {ww['full_queries']} "
                f"queries, {ww['full_cpu_seconds']:.0f} s CPU)",
                f"{ww['full_seconds']:.0f} s",
                "<= 300 s",
                ww["full_seconds"] <= 300,
            )
        )
        out.append(
            (
                f"  a pass with nothing changed ({ww['idle_pass_cpu_seconds']:.1f} s CPU)",
                f"{ww['idle_pass_seconds']:.1f} s",
                "(reported)",
                True,
            )
        )
        out.append(
            (
                f"  a pass after one organiser's action changed ({ww['after_change_organisers']} recomputed)",
                f"{ww['after_change_seconds']:.1f} s",
                "(reported)",
                True,
            )
        )
        for key, label in [
            ("plan_page", "plan page with the figures on its suggestions"),
            ("report_page", "what-works report"),
            ("report_page_preschools", "what-works report, preschools"),
            ("report_csv", "what-works report as CSV"),
        ]:
            page = ww[key]
            out.append(
                (
                    f"  {label} ({page['queries']} queries, {page['cpu_seconds'] * 1000:.0f} ms CPU)",
                    ms(page["seconds"]),
                    "<= 100 ms",
                    page["seconds"] <= 0.1,
                )
            )
        out.append(
            (
                f"  the plan's figures alone ({ww['plan_activities_with_figures']} of {ww['plan_activities']} "
                "suggestions with figures)",
                ms(ww["plan_figures_read_seconds"]),
                "(reported)",
                True,
            )
        )
    lib = r.get("library")
    if lib:
        for name, row in lib["searches"].items():
            out.append(
                (
                    f"library search, {name} ({row['matches']} of {lib['visible']} visible, {lib['documents']} "
                    f"documents, {row['queries']} queries)",
                    ms(row["seconds"]),
                    "<= 100 ms",
                    row["seconds"] <= 0.1,
                )
            )
            if "query_seconds" in row:
                out.append(
                    (
                        "  its search and filter queries alone (count, first page)",
                        ms(row["query_seconds"]),
                        "(reported)",
                        True,
                    )
                )
    return out


def main():
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", default="", help="e.g. pages,overview (default: every measurement)")
    parser.add_argument(
        "--suite",
        choices=["all", "overview", "surveys"],
        default="all",
        help="overview: the national-scale reads above; surveys: the survey answer page under load (bench/surveys.py)",
    )
    parser.add_argument("--survey-args", default="", help='passed to bench.surveys, e.g. "--workers 4 --count 30000"')
    args = parser.parse_args()
    missed = 0
    if args.suite in ("all", "surveys"):
        from bench import surveys

        print("\n== surveys: the answer page under load (PostgreSQL, gunicorn, a separate driver process)")
        rows = surveys.main(args.survey_args.split()) or []
        missed += sum(not ok for *_rest, ok in rows)
        if args.suite == "surveys":
            if args.strict and missed:
                raise SystemExit(1)
            return
    OUT.mkdir(parents=True, exist_ok=True)
    backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in backends and not postgres_available():
        print("PostgreSQL does not answer at 127.0.0.1:5432: skipped")
        backends.remove("postgres")
    for backend in backends:
        organisers, units, largest = SCALES[args.scale]
        print(f"\n== {backend}: {organisers} organisers, {units} units, largest {largest}, 40 indicators, 5 rounds")
        results = run_backend(backend, args.scale, args.repeat, args.only)
        (OUT / f"results-{backend}-{args.scale}.json").write_text(json.dumps(results, indent=2))
        for what, figure, target, ok in checks(results):
            print(f"  {'ok  ' if ok else 'MISS'} {what:<70} {figure:>10}  (target {target})")
            missed += not ok
    if args.strict and missed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
