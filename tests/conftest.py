"""Shared fixtures: one actor of every role, and two institutions to prove scoping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.roles import sync_role_groups
from institutions.models import Campaign, District, InstitutionType, Region
from institutions.reference_data import load_campaign_2021, load_reference
from tests.demo_db import (
    DEMO_PASSWORD,
    SeededDemo,
    demo_database_clone,
    demo_database_drop,
    seed_once,
    using_demo_database,
)
from tests.factories import (
    ApiClientFactory,
    CommissionUserFactory,
    DepartmentUserFactory,
    InstitutionFactory,
    OfficerFactory,
)

TESTS = Path(__file__).resolve().parent

# The part of the suite `make test` runs a second time on SQLite (census_coord.settings.
# test_sqlite), the embedded default of `make run`: imports (the pipeline's SQLite branch),
# the main journeys through the services, and seed_demo run twice. Whole modules, none of
# them about PostgreSQL-only behaviour (concurrent writers, the audit trigger, real workers).
SQLITE_MODULES = {
    "core/test_seed_demo.py",
    "censusdb/test_import_and_matching.py",
    "institutions/test_import.py",
    "institutions/test_staff_reports.py",
    "respondents/test_import_files.py",
    "respondents/test_import_direct.py",
    "respondents/test_list_size_triggers.py",
    "respondents/test_import_command_admin.py",
    "respondents/test_import_pages.py",
    "respondents/test_list_paper_jobs.py",
    "respondents/test_lifecycle.py",
    "respondents/test_possible_duplicates.py",
    "respondents/test_bulk_review.py",
    "respondents/test_validation.py",
    "respondents/test_api_respondents.py",
    "respondents/test_row_schema.py",
    "enumeration/test_enumeration.py",
    "enumeration/test_progress.py",
    "enumeration/test_split_migration.py",
    "equipment/test_act_lifecycle.py",
    "sync/test_services.py",
    "reminders/test_seminar_timeline.py",
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """``-m sqlite`` (the SQLite part of `make test`) imports only the modules it runs."""
    if config.getoption("markexpr", "") != "sqlite" or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_") or not collection_path.is_relative_to(TESTS):
        return None
    return collection_path.relative_to(TESTS).as_posix() not in SQLITE_MODULES or None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the SQLite part, so that ``-m sqlite`` selects it."""
    for item in items:
        module = item.path.relative_to(TESTS).as_posix() if item.path.is_relative_to(TESTS) else ""
        if module in SQLITE_MODULES:
            item.add_marker(pytest.mark.sqlite)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    """pytest-django's test database, and its copy for the shared demo (tests/demo_db.py)."""
    with django_db_blocker.unblock():
        demo_database_clone()
    yield
    with django_db_blocker.unblock():
        demo_database_drop()


@pytest.fixture(scope="session")
def _seeded_demo_database(django_db_setup, django_db_blocker, tmp_path_factory) -> SeededDemo:
    media_root = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), using_demo_database():
        return seed_once(media_root)


@pytest.fixture(scope="module")
def seeded_demo(
    request, django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[SeededDemo]:
    """The demo as ``seed_demo`` leaves it, seeded once per xdist worker (tests/demo_db.py).
    A module asks for it for all its tests: ``pytestmark = [pytest.mark.django_db,
    pytest.mark.usefixtures("seeded_demo")]``; each test's writes are rolled back."""
    from django.db import connection, transaction
    from django.test import override_settings

    if connection.vendor == "postgresql":
        demo = request.getfixturevalue("_seeded_demo_database")
        with (
            using_demo_database(),
            override_settings(MEDIA_ROOT=demo.media_root, DEMO_PASSWORD=DEMO_PASSWORD),
        ):
            yield demo
        return
    # SQLite cannot copy a database: seed inside a transaction held open for the module.
    media_root = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_once(media_root)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server (the browser tests', the generated API client's),
    serving the app as production does: static files through WhiteNoise (finders in test
    settings) and no media at all. Django's own live server would wrap a media handler
    around the app, which breaks on ``MEDIA_URL = None`` (uploads are private and never
    served by URL)."""
    from django.core.handlers.wsgi import WSGIHandler
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda _media_handler: WSGIHandler()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Upload throttles count in the cache: every test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from data migrations; a transactional test's flush removes it,
    so put it back for whichever test comes next."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    if not (marker or transactional or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    reference_data_ensure()


def reference_data_ensure() -> None:
    if not InstitutionType.objects.exists():
        load_reference(Region, District, InstitutionType)
        load_campaign_2021(Campaign, Region)
        sync_role_groups()


@pytest.fixture
def institution_a(db):
    return InstitutionFactory(name_kk="А мекемесі", name_ru="Учреждение А")


@pytest.fixture
def institution_b(db):
    return InstitutionFactory(name_kk="Б мекемесі", name_ru="Учреждение Б")


@pytest.fixture
def officer_a(institution_a):
    return OfficerFactory(username="officer_a", institution=institution_a)


@pytest.fixture
def officer_b(institution_b):
    return OfficerFactory(username="officer_b", institution=institution_b)


@pytest.fixture
def api_client_a(institution_a):
    """Institution A's own system: a token-holding account acting for A only."""
    return ApiClientFactory(username="api_client_a", institution=institution_a)


@pytest.fixture
def department_user(db):
    return DepartmentUserFactory(username="dept_user")


@pytest.fixture
def commission_user(db):
    return CommissionUserFactory(username="commission_user")


@pytest.fixture
def client_for(client):
    """Log a user in on the test client and return the client."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def client_en(client_for):
    """``client_for`` with the user's pages in English, so that a test reads the words as
    written in the code (the msgids); kk and ru are the catalogues' to test."""

    def login(user):
        user.language = "en"
        user.save(update_fields=["language"])
        return client_for(user)

    return login
