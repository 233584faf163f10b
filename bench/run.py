"""One backend's benchmark run (started by ``python -m bench`` with DATABASE_URL set)."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisers", type=int, required=True)
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--largest", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated measurements (default: all)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from bench import generate, goals, measure, whatworks
    from bench import library as bench_library
    from bench import plans as digital_plans
    from stegvis.organisations.models import Organizer

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages link the hashed names
    if not generate.is_generated(organisers=args.organisers, units=args.units):
        print(f"generating {args.organisers} organisers, {args.units} units (once per data set)...", file=sys.stderr)
        started = time.perf_counter()
        generate.generate(
            organisers=args.organisers,
            units=args.units,
            largest=args.largest,
            out=lambda text: print(text, file=sys.stderr),
        )
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Table statistics as a production server keeps them (autovacuum's ANALYZE): without them,
        # right after the bulk generation or on a server with autovacuum off, the planner guesses,
        # e.g. an autosave's UPDATE intersected the organiser's 100,000 answers with the one it saves.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with scopes_disabled():
        biggest = Organizer.objects.get(slug="bench-000")
    results = {"organisers": args.organisers, "units": args.units, "largest": args.largest}
    for name, fn in [
        ("overview", lambda: measure.overview(biggest, repeat=args.repeat)),
        ("pages", lambda: measure.pages(biggest, repeat=args.repeat)),
        ("maturity", lambda: measure.maturity_reads(biggest, repeat=args.repeat)),
        ("excel", lambda: measure.excel_export(biggest)),
        ("pdf", lambda: measure.unit_pdf(biggest)),
        ("goals", lambda: goals.goals_page(biggest, repeat=args.repeat)),
        ("plans", lambda: digital_plans.organiser_plan(biggest, repeat=args.repeat)),
        ("calendar", lambda: measure.calendar_feeds(biggest, repeat=args.repeat)),
        ("reminders", measure.reminders),
        ("whatworks", lambda: whatworks.what_works(biggest, repeat=args.repeat)),
        ("library", lambda: bench_library.searches(biggest, repeat=args.repeat)),
    ]:
        if args.only and name not in args.only.split(","):
            continue
        print(f"measuring {name}...", file=sys.stderr)
        results[name] = fn()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
