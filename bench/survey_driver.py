"""The load driver of the survey benchmark: a separate process, loopback only, bounded in count
and time. Plain asyncio on keep-alive HTTP/1.1 connections (the standard library only: a
driver sharing the two cores with the server should cost as little as it can).

    python -m bench.survey_driver --port 8180 --setup setup.json --count 30000 --seconds 60 --concurrency 48 --warmup 10

Each request is one complete submission: the answer form's last screen sent with every one of
the 20 scale answers (as the pages carry the earlier screens' answers in hidden fields) and a
fresh submit key. A 302 to the thank-you page is an acknowledged submission; anything else is
an error. The first ``--warmup`` seconds are sent the same way but not measured (a server that
has run for a while keeps its links and tokens per process; each worker meets each of the 600
links once first). Prints one JSON line: acknowledged (measured), warmup_acknowledged, errors,
seconds, rate, p50/p95/p99 latency; before it the lines ``measure: start`` and ``measure: end``
as the measured part starts and ends.
"""

import argparse
import asyncio
import json
import random
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"  # loopback only


def body_for(fields, last_step, rng):
    data = [("key", secrets.token_urlsafe(24)), ("step", str(last_step)), ("go", "send")]
    data += [(name, str(rng.randint(1, steps))) for name, steps in fields]
    return urlencode(data).encode()


async def worker(port, paths, fields, last_step, state, rng):
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while state["sent"] < state["count"] and time.perf_counter() < state["deadline"]:
            state["sent"] += 1
            warm = time.perf_counter() < state["measure_from"]
            # warming up, the links in turn (each server process soon meets each), then at random
            path = paths[state["sent"] % len(paths)] if warm else paths[rng.randrange(len(paths))]
            body = body_for(fields, last_step, rng)
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(head + body)
            status_line = await reader.readline()
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip())
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            if length:
                await reader.readexactly(length)
            parts = status_line.split()
            if warm and len(parts) > 1 and parts[1] == b"302":
                state["warmup_acknowledged"] += 1
            elif warm:
                state["errors"] += 1
            elif len(parts) > 1 and parts[1] == b"302":
                state["latencies"].append(time.perf_counter() - started)
                state["acknowledged"] += 1
            else:
                state["latencies"].append(time.perf_counter() - started)
                state["errors"] += 1
                state["statuses"][parts[1].decode() if len(parts) > 1 else "?"] = (
                    state["statuses"].get(parts[1].decode() if len(parts) > 1 else "?", 0) + 1
                )
            if close or not status_line:
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
    finally:
        writer.close()


async def run(args):
    setup = json.loads(Path(args.setup).read_text())
    rng = random.Random(12)
    state = {
        "count": args.count,
        "sent": 0,
        "acknowledged": 0,
        "errors": 0,
        "statuses": {},
        "latencies": [],
        "warmup_acknowledged": 0,
        "measure_from": time.perf_counter() + args.warmup,
        "deadline": time.perf_counter() + args.warmup + args.seconds,
    }

    async def mark():  # for bench.surveys, which reads the processes' CPU time at these lines
        await asyncio.sleep(max(0.0, state["measure_from"] - time.perf_counter()))
        print("measure: start", flush=True)

    marker = asyncio.ensure_future(mark())
    await asyncio.gather(
        *(
            worker(args.port, setup["paths"], setup["fields"], setup["last_step"], state, random.Random(rng.random()))
            for _ in range(args.concurrency)
        )
    )
    seconds = time.perf_counter() - state["measure_from"]
    await marker
    print("measure: end", flush=True)
    lat = sorted(state["latencies"])

    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else None

    return {
        "acknowledged": state["acknowledged"],
        "warmup_acknowledged": state["warmup_acknowledged"],
        "errors": state["errors"],
        "statuses": state["statuses"],
        "seconds": seconds,
        "rate": state["acknowledged"] / seconds if seconds else 0,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "concurrency": args.concurrency,
        "questions": len(setup["fields"]),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--setup", required=True)
    parser.add_argument("--count", type=int, default=30000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument("--warmup", type=float, default=0, help="seconds sent first and not measured")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
