"""The tablet sync names people by IIN or external reference (issue 19 item 1)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from enumeration.models import Enumeration
from sync.models import SyncRecord
from tests.enumeration.stage2 import TABLET_DAY, accepted_list, people

pytestmark = pytest.mark.django_db
SYNC_URL = "/api/v1/sync-records/"


def test_sync_names_people_by_natural_keys(device_client, kit_a, staff_a):
    _kit, key = kit_a
    first, second = people(accepted_list(staff_a.institution), 2)
    second.external_ref = "T-7"
    second.save(update_fields=["external_ref"])
    body = {
        "sent_at": (timezone.now()).isoformat(),
        "form_count": 2,
        "payload_checksum": "sha256-0123456789abcdef",
        "enumerations": [
            {"iin": first.iin, "enumerated_on": TABLET_DAY.isoformat()},
            {"external_ref": "T-7", "enumerated_on": TABLET_DAY.isoformat()},
        ],
    }
    response = device_client(key).post(SYNC_URL, body, format="json", HTTP_IDEMPOTENCY_KEY="nk-1")
    assert response.status_code == 201, response.json()
    assert Enumeration.objects.filter(method="tablet", source="sync").count() == 2


def test_sync_with_an_unknown_key_saves_nothing(device_client, kit_a, staff_a):
    _kit, key = kit_a
    body = {
        "sent_at": (timezone.now()).isoformat(),
        "form_count": 1,
        "payload_checksum": "sha256-0123456789abcdef",
        "enumerations": [{"external_ref": "GONE-1", "enumerated_on": TABLET_DAY.isoformat()}],
    }
    response = device_client(key).post(SYNC_URL, body, format="json", HTTP_IDEMPOTENCY_KEY="nk-2")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("external_ref", "unknown_key")
    assert not SyncRecord.objects.exists()
    assert not Enumeration.objects.exists()
