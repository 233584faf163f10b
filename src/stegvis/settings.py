"""Stegvis settings: one module, fed by environment variables.

STEGVIS_SECRET_KEY  secret key (a fixed development key is used when STEGVIS_DEBUG=1)
STEGVIS_DEBUG       "1" for development
STEGVIS_ALLOWED_HOSTS  comma-separated host names
DATABASE_URL        e.g. postgres://postgres@127.0.0.1:5432/stegvis; SQLite file by default
STEGVIS_DATA_DIR    where the SQLite file lives (default: ./var)
STEGVIS_SITE_URL    the address people open, e.g. https://stegvis.mittkoping.se (links in e-mails)

E-mail (docs/accounts.md). Without STEGVIS_EMAIL_HOST nothing is sent: every mail is only
recorded (core.SentMail, readable on the organiser's mail page), which is what `make demo` uses.
STEGVIS_EMAIL_HOST      SMTP server host name
STEGVIS_EMAIL_PORT      SMTP port (default 587)
STEGVIS_EMAIL_USER      SMTP user name (empty: no login)
STEGVIS_EMAIL_PASSWORD  SMTP password
STEGVIS_EMAIL_STARTTLS  1/0: STARTTLS on a plain connection (default 1)
STEGVIS_EMAIL_SSL       1/0: implicit TLS, usually port 465 (default 0; not together with STARTTLS)
STEGVIS_EMAIL_TIMEOUT   seconds to wait for the SMTP server (default 20)
STEGVIS_EMAIL_FROM      sender, e.g. "Stegvis <stegvis@mittkoping.se>"
STEGVIS_EMAIL_MAX_ATTEMPTS  delivery attempts before a failed mail is given up (default 5)

Login throttling (django-axes, docs/accounts.md):
STEGVIS_LOGIN_FAILURE_LIMIT    failed logins per account and per client address before a lockout (default 10)
STEGVIS_LOGIN_LOCKOUT_MINUTES  how long a lockout lasts (default 15)
STEGVIS_PROXY_COUNT            reverse proxies in front that append to X-Forwarded-For (default 0:
                               the connection's own address is the client's)

Booleans are 1/0 (also true/false, yes/no, on/off); a value that is not a boolean or a whole
number where one is expected stops the start with a message naming the variable.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


# Strict readers for environment variables (kept local and small; a general helper may replace them).
def _env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (got {value!r}).")


def _env_int(name, default, *, minimum=0):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {number}).")
    return number


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("STEGVIS_DATA_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("STEGVIS_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("STEGVIS_SECRET_KEY") or (
    "dev-only-insecure-key-set-STEGVIS_SECRET_KEY-in-production" if DEBUG or os.environ.get("STEGVIS_TESTING") else None
)
if not SECRET_KEY:
    raise RuntimeError("Set STEGVIS_SECRET_KEY (or STEGVIS_DEBUG=1 for development).")
ALLOWED_HOSTS = [h for h in os.environ.get("STEGVIS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

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
    # the rooms, tier by tier (docs/ARCHITECTURE.md)
    "stegvis.core",
    "stegvis.accounts",
    "stegvis.organisations",
    "stegvis.frameworks",
    "stegvis.cycles",
    "stegvis.assessments",
    "stegvis.planning",
    "stegvis.overview",
    "stegvis.maturity",
    "stegvis.exports",
    "stegvis.demo",
]
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "stegvis.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stegvis.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stegvis.core.middleware.SlidingSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stegvis.organisations.middleware.TenantMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into our login page with its message
]

# Background work: the database backend; `manage.py db_worker` runs the tasks (docs/exports.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

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
        conn_max_age=int(os.environ.get("STEGVIS_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
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
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("STEGVIS_SECURE_COOKIES", "") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

SITE_URL = os.environ.get("STEGVIS_SITE_URL", "").strip().rstrip("/")

# E-mail: Django's SMTP backend when a host is set, else record-only (docs/accounts.md).
EMAIL_HOST = os.environ.get("STEGVIS_EMAIL_HOST", "").strip()
EMAIL_PORT = _env_int("STEGVIS_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("STEGVIS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("STEGVIS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("STEGVIS_EMAIL_STARTTLS", True)
EMAIL_USE_SSL = _env_bool("STEGVIS_EMAIL_SSL", False)
if EMAIL_USE_SSL and os.environ.get("STEGVIS_EMAIL_STARTTLS", "").strip() == "":
    EMAIL_USE_TLS = False  # implicit TLS chosen: STARTTLS's default gives way
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set STEGVIS_EMAIL_STARTTLS or STEGVIS_EMAIL_SSL to 1, not both.")
EMAIL_TIMEOUT = _env_int("STEGVIS_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("STEGVIS_EMAIL_FROM", "").strip() or "Stegvis <stegvis@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "stegvis.core.mail.RecordOnlyBackend"
STEGVIS_MAIL_MAX_ATTEMPTS = _env_int("STEGVIS_EMAIL_MAX_ATTEMPTS", 5, minimum=1)

# Login throttling with django-axes: so many failures per account (e-mail, any case) or per
# client address lock the login for a while; our login page says so (accounts.views.locked_out)
# and every lockout is in the audit log (accounts.throttling).
AXES_FAILURE_LIMIT = _env_int("STEGVIS_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_env_int("STEGVIS_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field, whatever USERNAME_FIELD is
AXES_USERNAME_CALLABLE = "stegvis.accounts.throttling.username"
AXES_CLIENT_IP_CALLABLE = "stegvis.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "stegvis.accounts.views.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock lifts on time, however often it is tried
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # store the least: failed attempts (until they expire), not every login
STEGVIS_PROXY_COUNT = _env_int("STEGVIS_PROXY_COUNT", 0)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STEGVIS_LOG_LEVEL", "WARNING")},
}
