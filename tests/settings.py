"""Settings for the test suite: the real settings plus a fast password hasher."""

import os

os.environ.setdefault("STEGVIS_TESTING", "1")

from stegvis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks run at once (a mail is delivered, or failed, when send() returns); tests that
# need a queue set the dummy backend themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
