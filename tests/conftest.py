"""Shared fixtures: one actor of every role, and two institutions to prove scoping."""

from __future__ import annotations

import pytest

from tests.factories import (
    CommissionUserFactory,
    DepartmentUserFactory,
    InstitutionFactory,
    OfficerFactory,
)


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
