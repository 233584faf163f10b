"""gunicorn's settings for Stegvis (docs/production.md); gunicorn reads this file from the
directory it is started in:

    .venv/bin/gunicorn stegvis.wsgi

STEGVIS_BIND      address to listen on (default 127.0.0.1:8000: behind a reverse proxy on the same machine)
STEGVIS_WORKERS   worker processes (default 2 x CPU cores + 1); each keeps one database
                  connection open (STEGVIS_CONN_MAX_AGE), so PostgreSQL's max_connections must
                  exceed workers x app servers + the worker and scheduler
STEGVIS_TIMEOUT   seconds before a stuck request's worker is restarted (default 30; long work
                  such as large exports runs in db_worker, not in a request)
STEGVIS_ACCESS_LOG  on/off: one line per request on standard output (default on)
STEGVIS_LOG_FORMAT  json (default) or text, as for the application
"""

import os
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parent / "src")
sys.path.insert(0, SRC)  # this checkout's code, whatever else the environment's path holds
pythonpath = SRC  # and in the workers

from stegvis.envsettings import env_bool, env_int, env_str  # noqa: E402

bind = env_str("STEGVIS_BIND", "127.0.0.1:8000")
workers = env_int("STEGVIS_WORKERS", 2 * (os.cpu_count() or 1) + 1, min=1)
worker_class = "sync"  # one request per process; the reverse proxy buffers slow clients
timeout = env_int("STEGVIS_TIMEOUT", 30, min=1)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after so many requests (bounds slow memory growth). Not fewer: at a
# survey's hundreds of submissions a second a smaller number replaces each worker every few
# seconds, and a new one first reads again the links and tokens the old one kept (docs/surveys.md).
max_requests = 20000
max_requests_jitter = 2000
preload_app = True  # settings errors stop the start once, before any worker forks
control_socket_disable = True  # one per user by default ($HOME/.gunicorn): two sites on a machine would share it
accesslog = "-"
logger_class = "stegvis.core.logs.AccessLogger"  # the access line from its five fields only
access_log_format = "%(m)s %(U)s %(s)s"  # the JSON formatter turns the record into fields

_format = env_str("STEGVIS_LOG_FORMAT", "json", choices=("json", "text"))
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "stegvis.core.logs.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": _format, "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": _format, "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["error"], "level": "WARNING"},  # the application's own (settings.LOGGING) take over
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["access"],
            "level": "INFO" if env_bool("STEGVIS_ACCESS_LOG", True) else "WARNING",
            "propagate": False,
        },
    },
}
