"""Settings for the test suite: the real settings plus a fast password hasher."""

import os

os.environ.setdefault("STEGVIS_TESTING", "1")

from stegvis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test database of SQLite is a file (not shared-cache memory), so that threads and other
# processes (the scheduler's tests) use it as production does: one writer at a time, the others
# waiting up to the busy timeout.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
    # a test database need not survive a power cut: no fsync
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous = OFF"  # noqa: F405
# Background tasks run at once (a mail is delivered, or failed, when send() returns); tests that
# need a queue set the dummy backend themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The second factor for organiser admins is tested in tests/sso/test_second_factor.py, which turns
# it on; elsewhere admins log in with their password alone, as before.
STEGVIS_ADMIN_SECOND_FACTOR = False
# Static files under their plain names: the suite runs no collectstatic (the hashed, compressed
# names of production are tested by tests/test_production.py, which does).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Uploaded files of a test run go to a folder of their own, emptied by the tests that write.
MEDIA_ROOT = DATA_DIR / "test-uploads"  # noqa: F405
