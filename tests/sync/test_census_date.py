"""Date-dependent behaviour follows the clock: with a census date inside the tablet window
(CENSUS_TODAY, as `make run` sets it) a silent tablet is flagged stale, on the real date
(after the 2021 window) it is not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sync.models import SyncRecord
from tests.sync.factories import kit_hand_over, vpn_sync

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2021, 10, 12)


def test_a_tablet_is_stale_on_a_census_date_inside_the_window(
    client_for, department_user, staff_a, settings
):
    settings.SYNC_STALE_HOURS = 24
    client = client_for(department_user)
    with override_settings(CENSUS_TODAY=IN_WINDOW):
        silent, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        fresh, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        record = vpn_sync(fresh)
        old = vpn_sync(silent)
        # Synced three days before the census date: received then, by the clock.
        SyncRecord.objects.filter(pk=old.pk).update(
            received_at=old.received_at - dt.timedelta(days=3)
        )
        assert timezone.localdate(record.received_at) == IN_WINDOW
        stale_only = client.get(reverse("sync:board"), {"stale": "1"}).content.decode()
    assert silent.inventory_number in stale_only
    assert fresh.inventory_number not in stale_only
    # The real date is past the 2021 tablet window: no tablet is stale.
    stale_only = client.get(reverse("sync:board"), {"stale": "1"}).content.decode()
    assert silent.inventory_number not in stale_only
