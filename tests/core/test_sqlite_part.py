"""The SQLite part of `make test` (tests/conftest.py SQLITE_MODULES) runs what it names."""

from __future__ import annotations

from tests.conftest import SQLITE_MODULES, TESTS


def test_every_module_of_the_sqlite_part_exists():
    # A renamed or removed module would silently drop out of the SQLite run.
    assert [module for module in sorted(SQLITE_MODULES) if not (TESTS / module).is_file()] == []
