"""What one survey submission costs inside the application: the WSGI application
(``stegvis.wsgi``, the short chain included) called directly in this process, no server, no
network, on the survey benchmark's database (run ``bench.surveys`` once first for its data).

    python -m bench.survey_profile [--count 3000] [--profile 2000] [--sort tottime] [--top 40]

Every one of the 600 links is sent once first (the per-process caches warm, as in a server
that has run a while), then ``--count`` submissions are timed (CPU time of this process and
wall time, per submission), then ``--profile`` more run under cProfile. The PostgreSQL
backend's CPU time for the timed ones is read from /proc too (bench.cpu). Run by hand, not by
``make bench``: the figure is a guide for changes to the answer path (docs/benchmarks.md).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
OUT = ROOT / "bench" / "out"


def environ_for(path, body):
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.survey_profile")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--profile", type=int, default=2000)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    from bench.__main__ import PG_URL
    from bench.surveys import DB, env_for

    url = PG_URL.format(name=DB)
    os.environ.update(env_for(url))
    from bench import cpu
    from stegvis.wsgi import application

    setup = json.loads((OUT / "survey-setup.json").read_text())
    rng = random.Random(7)

    def one(path):
        data = [("key", secrets.token_urlsafe(24)), ("step", str(setup["last_step"])), ("go", "send")]
        data += [(name, str(rng.randint(1, steps))) for name, steps in setup["fields"]]
        status = []
        body = application(environ_for(path, urlencode(data).encode()), lambda s, h, *a: status.append(s))
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        if not status[0].startswith("302"):
            raise SystemExit(f"not acknowledged: {status[0]}")

    for path in setup["paths"]:
        one(path)
    meter = cpu.Meter(server=os.getpid(), driver=os.getpid(), database_url=url, database=DB)
    meter.start()
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    for _ in range(args.count):
        one(rng.choice(setup["paths"]))
    cpu_after, wall_after = time.process_time(), time.perf_counter()
    meter.stop()
    backend = meter.per(args.count)
    print(
        json.dumps(
            {
                "submissions": args.count,
                "application_cpu_ms": (cpu_after - cpu_before) * 1000 / args.count,
                "wall_ms": (wall_after - wall_before) * 1000 / args.count,
                "postgres_cpu_ms": backend["postgres"] if backend else None,
            }
        )
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.profile):
            one(rng.choice(setup["paths"]))
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
