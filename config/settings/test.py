"""Settings for pytest. DATABASE_URL and REDIS_URL, when set (as .ci/run does), are real."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

DJANGO_ENV = "test"
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# live_server serves /static through the finders, which a manifest storage would break.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Services queue their tasks as in production, but the tests run them at once;
# the Celery worker test switches this off to go through Redis and a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file rather than memory, so a worker process started by a test can open it;
    # one per pytest process, so two runs on one machine do not delete each other's.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"portal-test-{os.getpid()}.sqlite3")
    }
# Static files come from the finders in tests; there is no collected STATIC_ROOT to scan.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Most tests sign people in with force_login; accounts/tests/test_two_factor.py and the
# browser journeys that check the rule switch it on.
TWO_FACTOR_REQUIRED = False
