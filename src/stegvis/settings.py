"""Stegvis settings: one module, fed by environment variables (the table in README.md).

Every variable is read by one helper of ``stegvis.envsettings`` that refuses values it cannot
read: yes/no switches take 1/0, true/false, yes/no, on/off; numbers must be whole numbers.

STEGVIS_SECRET_KEY      secret key (a fixed development key is used when STEGVIS_DEBUG is on)
STEGVIS_DEBUG           on for development
STEGVIS_ALLOWED_HOSTS   comma-separated host names
STEGVIS_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://stegvis.example.se) for form posts
DATABASE_URL            e.g. postgres://postgres@127.0.0.1:5432/stegvis; SQLite file by default
STEGVIS_CONN_MAX_AGE    seconds a database connection is kept open (0: one per request)
STEGVIS_DATA_DIR        where the SQLite file and collected static files live (default: ./var)
STEGVIS_SECURE_COOKIES  on behind HTTPS: session and CSRF cookies only over HTTPS
STEGVIS_SSL_REDIRECT    on: redirect http:// to https:// (except /health/)
STEGVIS_HSTS_SECONDS    Strict-Transport-Security max-age (0: no header)
STEGVIS_HSTS_INCLUDE_SUBDOMAINS, STEGVIS_HSTS_PRELOAD  the header's two flags
STEGVIS_PROXY_SSL_HEADER  behind a reverse proxy: the header it sets to "https" (X-Forwarded-Proto)
STEGVIS_LOG_LEVEL       DEBUG, INFO, WARNING (default), ERROR or CRITICAL
STEGVIS_SITE_URL        the address people open, e.g. https://stegvis.mittkoping.se (links in e-mails)
STEGVIS_GZIP            on/off: compress HTML and JSON responses (default on; docs/production.md, BREACH)
STEGVIS_LOG_FORMAT      json (default unless STEGVIS_DEBUG) or text
STEGVIS_HEALTH_STALE_MINUTES  /health/ fails when the worker or scheduler beat longer ago (default 5)
STEGVIS_SURVEY_RATE     survey submissions per link and minute before "wait a moment" (default 120; 0: no limit)

E-mail (docs/accounts.md). Without STEGVIS_EMAIL_HOST nothing is sent: every mail is only
recorded (core.SentMail, readable on the organiser's mail page), which is what `make demo` uses.
STEGVIS_EMAIL_HOST      SMTP server host name
STEGVIS_EMAIL_PORT      SMTP port (default 587)
STEGVIS_EMAIL_USER      SMTP user name (empty: no login)
STEGVIS_EMAIL_PASSWORD  SMTP password
STEGVIS_EMAIL_STARTTLS  on/off: STARTTLS on a plain connection (default on)
STEGVIS_EMAIL_SSL       on/off: implicit TLS, usually port 465 (default off; not together with STARTTLS)
STEGVIS_EMAIL_TIMEOUT   seconds to wait for the SMTP server (default 20)
STEGVIS_EMAIL_FROM      sender, e.g. "Stegvis <stegvis@mittkoping.se>"
STEGVIS_EMAIL_MAX_ATTEMPTS  delivery attempts before a failed mail is given up (default 5)

Login throttling (django-axes, docs/accounts.md):
STEGVIS_LOGIN_FAILURE_LIMIT    failed logins per account and per client address before a lockout (default 10)
STEGVIS_LOGIN_LOCKOUT_MINUTES  how long a lockout lasts (default 15)
STEGVIS_PROXY_COUNT            reverse proxies in front that append to X-Forwarded-For (default 0:
                               the connection's own address is the client's)

Sign-in with school accounts and the second factor (docs/sso.md):
STEGVIS_ADMIN_SECOND_FACTOR    on: organiser admins who log in with a password must give a code
                               from an authenticator app (default on)
STEGVIS_API_RATE_LIMIT  REST API requests per token per minute (default 120; 0: no limit; docs/api.md)
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from stegvis.envsettings import env_bool, env_int, env_list, env_proxy_ssl_header, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env_str("STEGVIS_DATA_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("STEGVIS_DEBUG", False)
SECRET_KEY = env_str("STEGVIS_SECRET_KEY") or (
    "dev-only-insecure-key-set-STEGVIS_SECRET_KEY-in-production"
    if DEBUG or env_bool("STEGVIS_TESTING", False)
    else None
)
if not SECRET_KEY:
    raise RuntimeError("Set STEGVIS_SECRET_KEY (or STEGVIS_DEBUG=1 for development).")
ALLOWED_HOSTS = env_list("STEGVIS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("STEGVIS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # login throttling (docs/accounts.md)
    "django_scopes",
    "django_tasks",
    "django_tasks_db",  # background work: exports (docs/exports.md)
    # sign-in with school accounts: allauth runs OpenID Connect and SAML (docs/sso.md)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "ninja",  # the REST API; in INSTALLED_APPS so its docs page uses the vendored Swagger UI, no CDN
    # the rooms, tier by tier (docs/ARCHITECTURE.md)
    "stegvis.core",
    "stegvis.accounts",
    "stegvis.organisations",
    "stegvis.frameworks",
    "stegvis.sso",
    "stegvis.cycles",
    "stegvis.assessments",
    "stegvis.surveys",
    "stegvis.reflection",  # staff's own self-reflection (docs/reflection.md)
    "stegvis.planning",
    "stegvis.networks",  # networks, meetings, minutes (docs/networks.md)
    "stegvis.development",  # competence-development initiatives (docs/development.md)
    "stegvis.library",  # the library of good examples (docs/library.md)
    "stegvis.overview",
    "stegvis.maturity",
    "stegvis.goals",
    "stegvis.exports",
    "stegvis.privacy",
    "stegvis.calendar",
    "stegvis.notifications",
    "stegvis.api",
    "stegvis.demo",
]
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files straight from the application, versioned and cached for a year (docs/production.md)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # compresses pages on the way out (runs last); Django pads each one at random against BREACH
    *(["django.middleware.gzip.GZipMiddleware"] if env_bool("STEGVIS_GZIP", True) else []),
    "stegvis.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stegvis.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "stegvis.sso.second_factor.SecondFactorMiddleware",  # a password login waits here for its code
    "django.contrib.messages.middleware.MessageMiddleware",
    "stegvis.core.middleware.ControlCharacterMiddleware",  # ?q=%00: a 400 page, not a server error
    "stegvis.core.middleware.SlidingSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stegvis.organisations.middleware.TenantMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into our login page with its message
]

# The answer pages of a survey (hundreds of submissions a second, no account) go through a
# shorter chain: MIDDLEWARE without these (core/wsgi.py, docs/surveys.md).
STEGVIS_SHORT_CHAIN_PATHS = r"^/t/[A-Za-z0-9_-]+/survey/"
STEGVIS_SHORT_CHAIN_SKIPS = [
    "whitenoise.middleware.WhiteNoiseMiddleware",  # no static file lives under /t/
    "django.contrib.sessions.middleware.SessionMiddleware",  # the door has no session
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # the door answers as nobody
    "allauth.account.middleware.AccountMiddleware",
    "stegvis.sso.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",  # no flash messages behind the door
    "stegvis.core.middleware.SlidingSessionMiddleware",
    "axes.middleware.AxesMiddleware",  # login lockouts: no login behind the door
]

# Background work: the database backend; `manage.py db_worker` runs the tasks (docs/exports.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Periodic work: `manage.py run_scheduler` runs these jobs (docs/scheduler.md). A job names its task
# by dotted path and is due either "every" N seconds or at a "cron" time (five fields, TIME_ZONE);
# optional "kwargs" for the task and "max_retries". Adding a job is one line here.
STEGVIS_SCHEDULE = {
    "refresh-maturity": {"task": "stegvis.maturity.tasks.refresh_maturity", "every": 30},
    "prune-exports": {"task": "stegvis.exports.tasks.prune_exports", "cron": "15 3 * * *"},
    "retry-failed-mail": {"task": "stegvis.core.tasks.retry_failed_mail", "every": 300},
    "apply-retention": {"task": "stegvis.privacy.tasks.apply_retention", "cron": "45 2 * * *"},
    "heartbeat": {"task": "stegvis.core.heartbeat.beat", "every": 60},  # read by /health/
    "prune-task-results": {"task": "stegvis.core.tasks.prune_task_results", "cron": "30 3 * * *"},
    "refresh-survey-figures": {"task": "stegvis.surveys.tasks.refresh_survey_figures", "every": 30},
    # reminders (docs/notifications.md): hourly in the working day; a missed run is caught up at the next
    "send-reminders": {"task": "stegvis.notifications.tasks.send_reminders", "cron": "5 7-18 * * *"},
    # what works (docs/what-works.md): recomputes the organisers whose plans or levels changed
    "refresh-what-works": {"task": "stegvis.goals.whatworks.refresh", "every": 900},
}
# Survey submissions one link may make per minute before the page asks to wait (docs/surveys.md).
STEGVIS_SURVEY_RATE = env_int("STEGVIS_SURVEY_RATE", 120, min=0)
# tick: look for due jobs every N s; lease: a crashed run is taken over after N s; retries after a
# failure wait retry_base s, doubling up to retry_max s, at most max_retries before the next regular run.
STEGVIS_SCHEDULER = {"tick": 5, "lease": 60, "retry_base": 60, "retry_max": 3600, "max_retries": 5}

ROOT_URLCONF = "stegvis.urls"
WSGI_APPLICATION = "stegvis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stegvis.organisations.context.tenant",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'stegvis.sqlite3'}",
        conn_max_age=env_int("STEGVIS_CONN_MAX_AGE", 0, min=0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    # Write-ahead log: a commit writes and syncs the log once (the default rollback journal syncs
    # journal and database several times: 10-20 ms per autosave on the bench's disk, 0.2-2.5 ms
    # with the log), and readers no longer wait for a writer. synchronous=FULL keeps every commit
    # durable the moment it returns, as before. The database file then has -wal and -shm files
    # beside it while it is open (the backup command's online copy reads through them).
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "stegvis.accounts.validators.SwedishPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for a day, and once
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A sliding two-week session (core.middleware.SlidingSessionMiddleware extends it at most once an
# hour): a principal who leaves the assessment open over lunch comes back still logged in, and
# every answer is saved the moment it is chosen.
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("STEGVIS_SECURE_COOKIES", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS: off by default so a development or first test install answers on plain HTTP; the
# production block in README.md turns all of it on (and `manage.py check --deploy` is then clean).
SECURE_SSL_REDIRECT = env_bool("STEGVIS_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("STEGVIS_HSTS_SECONDS", 0, min=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("STEGVIS_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("STEGVIS_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("STEGVIS_PROXY_SSL_HEADER")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks there from the start
# Outside development the static files are collected (`manage.py collectstatic`) with a hash of
# their content in the name (stegvis.3f2a9c.css) and compressed ahead (gzip, Brotli); WhiteNoise
# serves them with a one-year immutable Cache-Control. A page rendered before collectstatic ran
# fails loudly (no manifest entry) instead of pointing at a file that is not there.
# Development (STEGVIS_DEBUG) and the test suite (tests/settings.py) use plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded files (shared examples, meeting files) live under MEDIA_ROOT, outside the web root:
# no URL serves the folder; each file goes out through its room's view after Access said yes
# (core/uploads.py). Back it up with the database (docs/production.md).
MEDIA_ROOT = Path(env_str("STEGVIS_MEDIA_DIR", str(DATA_DIR / "uploads")))
STEGVIS_UPLOAD_MAX_BYTES = env_int("STEGVIS_UPLOAD_MAX_MB", 20, min=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files stream to a temporary file

SITE_URL = env_str("STEGVIS_SITE_URL").strip().rstrip("/")

# E-mail: Django's SMTP backend when a host is set, else record-only (docs/accounts.md).
EMAIL_HOST = env_str("STEGVIS_EMAIL_HOST").strip()
EMAIL_PORT = env_int("STEGVIS_EMAIL_PORT", 587, min=1)
EMAIL_HOST_USER = env_str("STEGVIS_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("STEGVIS_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("STEGVIS_EMAIL_STARTTLS", True)
EMAIL_USE_SSL = env_bool("STEGVIS_EMAIL_SSL", False)
if EMAIL_USE_SSL and not env_str("STEGVIS_EMAIL_STARTTLS").strip():
    EMAIL_USE_TLS = False  # implicit TLS chosen: STARTTLS's default gives way
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set STEGVIS_EMAIL_STARTTLS or STEGVIS_EMAIL_SSL to on, not both.")
EMAIL_TIMEOUT = env_int("STEGVIS_EMAIL_TIMEOUT", 20, min=1)
DEFAULT_FROM_EMAIL = env_str("STEGVIS_EMAIL_FROM").strip() or "Stegvis <stegvis@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "stegvis.core.mail.RecordOnlyBackend"
STEGVIS_MAIL_MAX_ATTEMPTS = env_int("STEGVIS_EMAIL_MAX_ATTEMPTS", 5, min=1)

# Login throttling with django-axes: so many failures per account (e-mail, any case) or per
# client address lock the login for a while; our login page says so (accounts.views.locked_out)
# and every lockout is in the audit log (accounts.throttling).
AXES_FAILURE_LIMIT = env_int("STEGVIS_LOGIN_FAILURE_LIMIT", 10, min=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("STEGVIS_LOGIN_LOCKOUT_MINUTES", 15, min=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field, whatever USERNAME_FIELD is
AXES_USERNAME_CALLABLE = "stegvis.accounts.throttling.username"
AXES_CLIENT_IP_CALLABLE = "stegvis.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "stegvis.accounts.views.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock lifts on time, however often it is tried
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # store the least: failed attempts (until they expire), not every login
STEGVIS_PROXY_COUNT = env_int("STEGVIS_PROXY_COUNT", 0)

# Sign-in with school accounts (docs/sso.md). django-allauth runs the protocols; the organiser's
# providers are rows of sso.SignInProvider (its adapter turns them into allauth apps), and every
# social login ends in sso.views.finish_sign_in: allauth never signs anyone up.
ACCOUNT_ADAPTER = "stegvis.sso.adapter.ClosedAccountAdapter"
SOCIALACCOUNT_ADAPTER = "stegvis.sso.adapter.SchoolAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the login starts with a POST from our button (CSRF-protected)
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Tests point a kind's discovery URL at a provider on loopback ({"entra": url}); empty in production.
STEGVIS_SSO_DISCOVERY_OVERRIDES = {}
# Organiser admins who log in with a password must give a code from an authenticator app.
STEGVIS_ADMIN_SECOND_FACTOR = env_bool("STEGVIS_ADMIN_SECOND_FACTOR", True)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Logs go to standard error, one JSON object a line outside development (python-json-logger), so
# journald, Docker or a log shipper can read the fields; STEGVIS_LOG_FORMAT=text for plain lines.
LOG_FORMAT = env_str("STEGVIS_LOG_FORMAT", "text" if DEBUG else "json", choices=("json", "text"))
LOGGING = {
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
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {
        "handlers": ["console"],
        "level": env_str("STEGVIS_LOG_LEVEL", "WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
}
# /health/ answers 503 when the worker's or the scheduler's heartbeat (core.heartbeat) is older.
STEGVIS_HEALTH_STALE_MINUTES = env_int("STEGVIS_HEALTH_STALE_MINUTES", 5, min=1)

# Figures a board reads (docs/maturity.md). The national average is shown to an organiser only
# when the OTHER organisers that share their figures are at least this many, with at least this
# many units between them: below that it is absent, with a sentence why.
STEGVIS_NATIONAL_MIN_ORGANIZERS = 5
STEGVIS_NATIONAL_MIN_UNITS = 50
# A round's figure is marked partial while fewer than this share of the round's units published.
STEGVIS_COMPLETE_SHARE = 0.8

# The REST API and open data (docs/api.md, docs/open-data.md): requests per API token per
# minute (0: no limit), and the fewest units an open-data figure may rest on.
STEGVIS_API_RATE_LIMIT = env_int("STEGVIS_API_RATE_LIMIT", 120, min=0)
STEGVIS_OPEN_DATA_MIN_UNITS = 5
