"""Settings for schedulers started by the tests in processes of their own: the test settings, with
the schedule, the scheduler's options and the database's name from the environment."""

import json
import os

from tests.settings import *  # noqa: F403

if "STEGVIS_TEST_SCHEDULE" in os.environ:
    STEGVIS_SCHEDULE = json.loads(os.environ["STEGVIS_TEST_SCHEDULE"])
if "STEGVIS_TEST_SCHEDULER" in os.environ:
    STEGVIS_SCHEDULER = json.loads(os.environ["STEGVIS_TEST_SCHEDULER"])
DATABASES["default"]["NAME"] = os.environ["STEGVIS_TEST_DB_NAME"]  # noqa: F405
