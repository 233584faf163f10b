"""CPU time of the processes of a load run, read from /proc (Linux) before and after the
measured part: what a request costs, whatever else shares the machine.

``Meter(server=pid, driver=pid, database_url=..., database=name)`` reads, at ``start()`` and
``stop()``, the user + system time of

- ``server``: the server's process and its children (gunicorn's master and workers);
- ``postgres``: the PostgreSQL backends connected to ``database`` (their pids from
  ``pg_stat_activity``; readable when PostgreSQL runs on this machine as a user we may read);
- ``postgres_shared``: PostgreSQL's own background processes (WAL writer, background writer,
  checkpointer: shared with every other database of the server, so only a guide);
- ``driver``: the load driver (or, for one started after ``start()``, its time handed to ``stop``);
- ``machine``: every process of the machine (``/proc/stat``), the others' work included.

``per(n)`` divides each by ``n`` (milliseconds per request). A process that ends between the
two reads (a gunicorn worker replaced after ``max_requests``) takes its time with it; ``note``
says so, and the figure is then low.
"""

import contextlib
import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SHARED = ("walwriter", "background writer", "checkpointer")


def process_seconds(pid):
    """User + system CPU seconds of a process, or None when it is gone (or unreadable)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def machine_seconds():
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first[1:9])
    return (user + nice + system + irq + softirq + steal) / TICK


class Meter:
    def __init__(self, *, server, driver, database_url, database):
        self.server, self.driver, self.url, self.database = server, driver, database_url, database
        self.before = self.after = None
        self.note = ""

    def _postgres_pids(self):
        try:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT pid, datname, backend_type FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                ).fetchall()
        except Exception:  # no PostgreSQL figures then
            return [], []
        own = [pid for pid, name, kind in rows if name == self.database and kind == "client backend"]
        shared = [pid for pid, _name, kind in rows if kind in SHARED]
        return own, shared

    def _read(self):
        own, shared = self._postgres_pids()
        server = [self.server, *children(self.server)]
        return {
            "server": {pid: process_seconds(pid) for pid in server},
            "postgres": {pid: process_seconds(pid) for pid in own},
            "postgres_shared": {pid: process_seconds(pid) for pid in shared},
            "driver": {self.driver: process_seconds(self.driver)} if self.driver else {},
            "machine": {0: machine_seconds()},
        }

    def start(self):
        self.before = self._read()

    def stop(self, *, driver_seconds=None):
        """The second read; ``driver_seconds``: the driver's CPU time as its parent had it from
        ``os.wait4`` (a driver started after ``start()`` and ended just now)."""
        self.after = self._read()
        if driver_seconds is not None:
            self.after["driver"] = {0: driver_seconds}

    def seconds(self):
        """CPU seconds per part between start and stop (processes new since start: all of theirs)."""
        if not self.before or not self.after:
            return None
        found, gone = {}, []
        for part, now in self.after.items():
            then = self.before[part]
            total = 0.0
            for pid, value in now.items():
                if value is None:
                    continue
                total += value - (then.get(pid) or 0.0)
            gone += [f"{part} {pid}" for pid in then if now.get(pid) is None and part != "machine"]
            found[part] = total
        if gone:
            self.note = "processes ended while measured (their time is missing): " + ", ".join(gone)
        if not any(self.before["postgres"].values()):
            self.note += " no PostgreSQL backend of the database was readable"
        return found

    def per(self, n):
        seconds = self.seconds()
        if not seconds or not n:
            return None
        per = {part: value * 1000 / n for part, value in seconds.items()}
        per["total"] = per["server"] + per["postgres"] + per["driver"]
        return per
