from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import reference_data_ensure
from tests.factories import (
    CommissionUserFactory,
    DepartmentUserFactory,
    InstitutionFactory,
    OfficerFactory,
)
from tests.security.world import World


@pytest.fixture
def world(
    institution_a,
    institution_b,
    officer_a,
    officer_b,
    commission_user,
    department_user,
    settings,
    tmp_path,
):
    # The act's signed scan is written to a private media root of this test only.
    settings.MEDIA_ROOT = tmp_path / "media"
    users = {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "commission": commission_user,
        "department": department_user,
        "anonymous": None,
    }
    return World.build(institution_a=institution_a, institution_b=institution_b, users=users)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The same world, built once per module (and xdist worker) for tests that only read it,
    e.g. one route-matrix test per route. It lives in a transaction rolled back at the end;
    each test's own ``db`` transaction is a savepoint inside it, so a test's writes (sessions,
    audit events) are gone before the next test."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            reference_data_ensure()
            institution_a = InstitutionFactory(name_kk="А мекемесі", name_ru="Учреждение А")
            institution_b = InstitutionFactory(name_kk="Б мекемесі", name_ru="Учреждение Б")
            users = {
                "officer_a": OfficerFactory(username="officer_a", institution=institution_a),
                "officer_b": OfficerFactory(username="officer_b", institution=institution_b),
                "commission": CommissionUserFactory(username="commission_user"),
                "department": DepartmentUserFactory(username="dept_user"),
                "anonymous": None,
            }
            yield World.build(institution_a=institution_a, institution_b=institution_b, users=users)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
