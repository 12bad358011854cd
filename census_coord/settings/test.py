"""Test settings: a real PostgreSQL (DATABASE_URL, default the local server) and Redis.

Tasks run eagerly unless a test starts a real worker (tests/test_celery_worker.py).
"""

import os
import secrets

import dj_database_url

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, env, env_bool

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/census_coord")
    )
}
# Only the test database may TRUNCATE the append-only audit table (flush between
# transactional tests); see audit/migrations/0002_append_only_trigger.py.
# synchronous_commit=off (this session only): a commit returns before its WAL reaches the
# disk. A crash could lose the last commits of a test database nobody keeps, and the
# migrations, flushes and transactional tests no longer wait on fsync.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c census.audit_allow_truncate=on -c synchronous_commit=off"
)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
# A real worker started by a test sets this off, so that what it sends (a retry, the
# sweeper's hand-over) goes through the broker like in production.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
# Tests that start real workers share this Redis with everything else on the machine: the
# other pytest-xdist workers of the run (each with its own database), other checkouts. Every
# broker key gets a prefix of this run and xdist worker, so a Celery worker started by one
# test never takes another's task; the worker processes inherit it through the environment.
os.environ.setdefault("CELERY_TEST_RUN", secrets.token_hex(4))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": (
        f"test-{os.environ['CELERY_TEST_RUN']}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:"
    ),
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
DEBUG = False
# Serve static files straight from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
