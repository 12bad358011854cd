import io

import pytest
from django.core.management import call_command

from accounts.models import User
from institutions.selectors import campaign_get_active
from sync.models import SyncChannel, SyncRecord, UsbStage
from sync.selectors import tablet_board

# The demo is seeded once for the module (tests/demo_db.py); a second seeding runs in the test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_seed_demo_has_fresh_stale_and_usb_only_tablets_and_is_idempotent(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    stages = set(
        SyncRecord.objects.filter(channel=SyncChannel.USB).values_list("usb_stage", flat=True)
    )
    assert stages == set(UsbStage.values)
    dept = User.objects.get(username="dept")
    rows = {
        r.kit.inventory_number: r for r in tablet_board(user=dept, campaign=campaign_get_active())
    }
    ages = {number: row.last_received_at for number, row in rows.items()}
    assert ages["AKM-TAB-0001"] > ages["AKM-TAB-0002"]  # fresh and stale
    assert rows["AKM-TAB-0006"].usb_only
    assert rows["AKM-TAB-0007"].usb_only
    assert not rows["AKM-TAB-0011"].usb_only
    assert rows["AKM-TAB-0012"].last_received_at is None  # never synced
    count = SyncRecord.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert SyncRecord.objects.count() == count
