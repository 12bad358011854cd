"""Twenty identical posts at once: exactly one sync record, every caller gets it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from enumeration.models import EnumerationChange
from sync.models import SyncRecord
from tests.enumeration.stage2 import TABLET_DAY, accepted_list, people

pytestmark = pytest.mark.django_db(transaction=True)
CALLERS = 20


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the outcome is what the test inspects
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_concurrent_identical_posts_make_one_record(kit_a, staff_a):
    _kit, key = kit_a
    persons = people(accepted_list(staff_a.institution), 3)
    data = {
        "sent_at": (timezone.now() - dt.timedelta(minutes=1)).isoformat(),
        "form_count": 7,
        "payload_checksum": "sha256-feedfacecafe",
        "enumerations": [
            {"respondent_id": p.pk, "enumerated_on": TABLET_DAY.isoformat()} for p in persons
        ],
    }

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Device {key}")
        response = client.post(
            "/api/v1/sync-records/", data, format="json", HTTP_IDEMPOTENCY_KEY="race-1"
        )
        return response.status_code, response.json().get("id")

    results = _race([post] * CALLERS)
    assert all(isinstance(r, tuple) for r in results), results
    statuses = sorted(status for status, _id in results)
    assert statuses == [200] * (CALLERS - 1) + [201], statuses
    assert len({record_id for _status, record_id in results}) == 1
    assert SyncRecord.objects.count() == 1
    # The people were recorded once, by the one sync that was created.
    assert EnumerationChange.objects.count() == 3
