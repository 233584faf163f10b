"""Jobs for the scheduler tests, named by dotted path in a schedule like the rooms' tasks are."""

import os
import threading
import time

from django_tasks import task

CALLS = []  # the name of every call, in this process
GATES = {}  # name -> threading.Event a gated job waits for
_lock = threading.Lock()


def record(*, name):
    with _lock:
        CALLS.append(name)
    return name


def fail(*, name, message="the printer is on fire"):
    record(name=name)
    raise RuntimeError(message)


def gated(*, name):
    """Runs until the test opens its gate (at most 30 s)."""
    record(name=name)
    if not GATES[name].wait(timeout=30):
        raise TimeoutError(f"gate {name} never opened")


@task()
def recorded_task(*, name):
    """The same as ``record``, as a django-tasks Task (how the rooms declare theirs)."""
    return record(name=name)


def append_line(*, path, seconds=0.0):
    """For schedulers in other processes: a 'start' and an 'end' line with the process id."""
    with open(path, "a") as out:
        out.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with open(path, "a") as out:
        out.write(f"end {os.getpid()}\n")
