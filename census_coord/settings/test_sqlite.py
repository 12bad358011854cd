"""Test settings on the embedded default: SQLite, as `make run` uses it.

`make test` runs the tests marked ``sqlite`` (imports, the main journeys through the
services, ``seed_demo``) with these settings as well, so the SQLite-only branches (e.g. the
import pipeline's ``executemany`` path) are tested too. Django puts the test database in
memory, one per xdist worker.
"""

from .test import *  # noqa: F403

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "db.sqlite3")}
}
