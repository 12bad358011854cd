"""Fixtures of the sync tests: staff with accounts, kits out with A and B, API clients."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import ResponsibleStaffFactory
from tests.sync.factories import kit_hand_over


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_a(officer_a):
    """The holder of A's tablets; their account is officer A's."""
    return ResponsibleStaffFactory(
        institution=officer_a.institution, full_name="Әлия Қасымова", user=officer_a
    )


@pytest.fixture
def staff_b(officer_b):
    return ResponsibleStaffFactory(
        institution=officer_b.institution, full_name="Борис Петров", user=officer_b
    )


@pytest.fixture
def kit_a(department_user, staff_a):
    """(kit, device key) out with institution A."""
    return kit_hand_over(department_user=department_user, staff=staff_a)


@pytest.fixture
def kit_b(department_user, staff_b):
    return kit_hand_over(department_user=department_user, staff=staff_b)


@pytest.fixture
def device_client():
    def make(key: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Device {key}")
        return client

    return make


@pytest.fixture
def api_client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
