"""One seeded demo database per xdist worker, shared by the test modules that read the demo.

``seed_demo`` takes seconds (about 2,000 people, outcomes, acts, reminders, a census-DB
export); a dozen modules only read what it made. Seeding again in every test was the
largest single cost of the suite, so the worker seeds once, into a database of its own:

- right after pytest-django has made the worker's test database, ``demo_database_clone``
  copies it (``CREATE DATABASE … TEMPLATE``, a fraction of a second; nothing is connected to
  it then) into ``<test database>_demo``;
- the first module that asks for ``seeded_demo`` seeds that copy once, in one committed
  transaction, as a test would (``on_commit`` callbacks dropped: a test's own transaction
  never commits);
- a module that uses it points the ``default`` connection at that database for all its
  tests (``pytestmark = pytest.mark.usefixtures("seeded_demo")``). Every test still runs in
  its own transaction, rolled back afterwards, so the next test sees the database exactly
  as seeded; a test that seeds a second time (idempotence) does so inside that transaction.

Only PostgreSQL can copy a database; on SQLite ``seeded_demo`` seeds inside a transaction
held open for the module instead (``module_world`` in tests/security/conftest.py does the
same), so a module still seeds once.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

# What every module on the shared demo seeds with (the tests used to set it themselves).
DEMO_PASSWORD = "demo-pass-123"


@dataclass
class SeededDemo:
    output: str  # what the first ``seed_demo`` printed
    media_root: Path  # where it wrote its files (signed scans, the census-DB export)


def _demo_name() -> str:
    return f"{connection.settings_dict['NAME']}_demo"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def demo_database_clone() -> None:
    """Copy the worker's fresh test database (PostgreSQL only; nothing seeded yet)."""
    if connection.vendor != "postgresql":
        return
    source = connection.settings_dict["NAME"]
    connection.close()  # a template must have no open connection
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(_demo_name())}")
        cursor.execute(f"CREATE DATABASE {_quote(_demo_name())} TEMPLATE {_quote(source)}")


def demo_database_drop() -> None:
    if connection.vendor != "postgresql":
        return
    name = _demo_name()
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


@contextlib.contextmanager
def using_demo_database() -> Iterator[None]:
    """The ``default`` connection points at the demo copy (cf. tests/faults.py
    ``database_moved_to``)."""
    params = connection.settings_dict
    saved = params["NAME"]
    connection.close()
    params["NAME"] = f"{saved}_demo"
    try:
        yield
    finally:
        connection.close()
        params["NAME"] = saved


def seed_once(media_root: Path) -> SeededDemo:
    """``seed_demo`` as a test ran it, committed; ``on_commit`` callbacks are dropped as in a
    test's transaction (none of them would have run there)."""
    from tests.conftest import reference_data_ensure

    out = io.StringIO()
    with (
        override_settings(MEDIA_ROOT=media_root, DEMO_PASSWORD=DEMO_PASSWORD),
        transaction.atomic(),
    ):
        reference_data_ensure()
        call_command("seed_demo", stdout=out)
        connection.run_on_commit = []
    return SeededDemo(output=out.getvalue(), media_root=media_root)
