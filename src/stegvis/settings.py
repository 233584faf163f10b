"""Stegvis settings: one module, fed by environment variables.

STEGVIS_SECRET_KEY  secret key (a fixed development key is used when STEGVIS_DEBUG=1)
STEGVIS_DEBUG       "1" for development
STEGVIS_ALLOWED_HOSTS  comma-separated host names
DATABASE_URL        e.g. postgres://postgres@127.0.0.1:5432/stegvis; SQLite file by default
STEGVIS_DATA_DIR    where the SQLite file lives (default: ./var)
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

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
]
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

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STEGVIS_LOG_LEVEL", "WARNING")},
}

# Figures a board reads (docs/maturity.md). The national average is shown to an organiser only
# when the OTHER organisers that share their figures are at least this many, with at least this
# many units between them: below that it is absent, with a sentence why.
STEGVIS_NATIONAL_MIN_ORGANIZERS = 5
STEGVIS_NATIONAL_MIN_UNITS = 50
# A round's figure is marked partial while fewer than this share of the round's units published.
STEGVIS_COMPLETE_SHARE = 0.8
