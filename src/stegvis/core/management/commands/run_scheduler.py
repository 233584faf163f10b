import logging
import os
import threading

from django.core.management.base import BaseCommand, CommandError

from stegvis.core.scheduler import Scheduler, install_stop_handlers


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of STEGVIS_SCHEDULE (docs/scheduler.md) until stopped: Ctrl-C or SIGTERM "
        "waits for running jobs, a second one stops at once. With --once: run the jobs due now, wait for "
        "them, exit (non-zero when one failed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one tick: run what is due now, wait for it, exit")

    def handle(self, *args, once=False, verbosity=1, **options):
        if verbosity >= 2:
            logging.getLogger("stegvis.scheduler").setLevel(logging.INFO)
        scheduler = Scheduler()
        if verbosity >= 1:
            jobs = ", ".join(f"{job.name} ({job.describe()})" for job in scheduler.jobs.values()) or "none"
            self.stdout.write(f"Scheduler {scheduler.owner}: {jobs}." + ("" if once else " Ctrl-C stops."))
        stop, halt = threading.Event(), threading.Event()
        restore = install_stop_handlers(
            stop,
            halt,
            on_stop=lambda signum: self.stdout.write("Stopping: waiting for the running jobs (again: at once)."),
        )
        try:
            started = scheduler.run(stop=stop, once=once, halt=halt)
        finally:
            restore()
            if halt.is_set():
                # the abandoned runs' threads cannot be stopped: leave without waiting for them
                self.stdout.write("Scheduler stopped at once.")
                self.stdout.flush()
                os._exit(1)
            scheduler.close()  # waits for (and renews the leases of) jobs still running
        if once:
            self._report(scheduler, started)
        elif verbosity >= 1:
            self.stdout.write("Scheduler stopped.")

    def _report(self, scheduler, started):
        if not started:
            self.stdout.write("No job was due.")
            return
        failed = [name for name in started if scheduler.outcomes.get(name) is not None]
        for name in started:
            if name in failed:
                last = scheduler.outcomes[name].strip().splitlines()[-1]
                self.stdout.write(self.style.ERROR(f"{name}: failed: {last}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"{name}: done"))
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}")
