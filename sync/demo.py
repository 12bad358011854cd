"""Demo sync records: fresh, stale and USB-only tablets, and USB offloads in every state.

Times are relative to ``clock.now()``: a fresh tablet synced an hour ago, a stale one three
days ago, USB-only tablets never over VPN. With the census date of ``make run`` (inside the
2021 tablet window) the board flags the stale ones; on the real date, after the window, it
flags none (stale applies only during the window) and shows each tablet's age in hours. Records are made through the sync
service; only the server receive time of the older ones is set back afterwards, since the
service stamps "now".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from census_coord import clock
from census_coord.demo import DemoContext
from equipment.choices import Condition, ReturnOutcome
from equipment.models import HandoverItem, TabletKit
from equipment.selectors import return_blockers
from equipment.services import KitReturnLine, kit_return_record
from sync.models import DeviceToken, SyncRecord
from sync.services import (
    sync_record_receive,
    usb_offload_mark_uploaded,
    usb_offload_mark_verified,
)

KEY_PREFIX = "demo-"


# A sync fewer hours ago than this is one of today's: it stays on today's date.
TODAY_HOURS = 12


def _received_at(hours: float) -> dt.datetime:
    """``hours`` before now; a sync of today (under ``TODAY_HOURS``) seeded just after local
    midnight is moved into the minutes since midnight, in the same order, so that the demo's
    fresh tablets synced today at any hour (an hour before 00:30 is yesterday)."""
    now = clock.now()
    received = now - dt.timedelta(hours=hours)
    if hours >= TODAY_HOURS:
        return received
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    if received >= midnight:
        return received
    return midnight + (now - midnight) * (1 - hours / TODAY_HOURS)


def _backdate(record: SyncRecord, hours: float) -> None:
    received = _received_at(hours)
    SyncRecord.objects.filter(pk=record.pk).update(
        received_at=received, sent_at=received - dt.timedelta(minutes=2)
    )


# The kit whose return is refused (its USB offload is only offloaded, not uploaded and
# verified) and then recorded with the Department's override.
OVERRIDDEN_KIT = "AKM-TAB-0013"
OVERRIDE_REASON = (
    "Планшет сынған, деректер тасымалдағышта / планшет неисправен, данные на носителе "
    "DEPT-FLASH-05 будут загружены и сверены позже"
)


def _return_with_override(context: DemoContext, dept: Any) -> None:
    """Return the kit holding an unverified offload: refused first, then overridden. Skipped
    once the kit is back (by this or by a user) or when nothing blocks it any more."""
    item = (
        HandoverItem.objects.filter(kit__inventory_number=OVERRIDDEN_KIT, is_open=True)
        .select_related("act", "kit")
        .first()
    )
    if item is None or not return_blockers(act=item.act, kits=[item.kit]):
        return
    line = KitReturnLine(
        item_id=item.pk,
        tablet_outcome=ReturnOutcome.RETURNED,
        components={
            code: ReturnOutcome.RETURNED
            for code, condition in item.components_at_handover.items()
            if condition != Condition.ABSENT
        },
    )
    values = {
        "actor": dept,
        "act": item.act,
        "returned_on": max(item.act.act_date, min(dt.date(2021, 11, 4), clock.today())),
        "returned_by": item.act.received_by,
        "lines": [line],
        "note": "Демо / демо",
    }
    try:
        kit_return_record(**values)
    except ValidationError as refusal:
        context.say(f"Return of {OVERRIDDEN_KIT} refused: {refusal.messages[0][:80]}…")
        kit_return_record(**values, override_reason=OVERRIDE_REASON)
        context.say(f"Return of {OVERRIDDEN_KIT} recorded with the Department's override.")


def seed(context: DemoContext) -> None:
    dept = context.users.get("dept")
    if dept is None or SyncRecord.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        if dept is not None:
            _return_with_override(context, dept)
        context.say(f"Sync records: {SyncRecord.objects.count()}; already seeded.")
        return
    kits = {
        kit.inventory_number: kit
        for kit in TabletKit.objects.filter(device_tokens__revoked_at__isnull=True).distinct()
    }
    now = clock.now()

    def vpn(number: str, n: int, *, hours_ago: float, forms: int) -> None:
        kit = kits.get(number)
        if kit is None:
            return
        token = DeviceToken.objects.get(kit=kit, revoked_at__isnull=True)
        record, _created = sync_record_receive(
            kit=kit,
            channel="vpn",
            sent_at=now - dt.timedelta(minutes=1),
            form_count=forms,
            payload_checksum=f"sha256-demo{number}{n}",
            idempotency_key=f"{KEY_PREFIX}{number}-{n}",
            device_token=token,
        )
        _backdate(record, hours_ago)

    def usb(number: str, n: int, *, hours_ago: float, forms: int, steps: int) -> None:
        kit = kits.get(number)
        if kit is None:
            return
        record, _created = sync_record_receive(
            kit=kit,
            channel="usb",
            sent_at=now - dt.timedelta(minutes=5),
            form_count=forms,
            payload_checksum=f"sha256-demo{number}{n}",
            idempotency_key=f"{KEY_PREFIX}{number}-{n}",
            actor=dept,
            media_id=f"DEPT-FLASH-{n:02d}",
        )
        if steps >= 1:
            record = usb_offload_mark_uploaded(actor=dept, record=record)
        if steps >= 2:
            usb_offload_mark_verified(actor=dept, record=record)
        _backdate(record, hours_ago)

    # The demo officer's institution: one fresh tablet, one stale.
    vpn("AKM-TAB-0001", 1, hours_ago=50, forms=6)
    vpn("AKM-TAB-0001", 2, hours_ago=1, forms=4)
    vpn("AKM-TAB-0002", 1, hours_ago=72, forms=9)
    # USB-only tablets (no cellular coverage): offloads offloaded, uploaded and verified.
    usb("AKM-TAB-0006", 1, hours_ago=30, forms=12, steps=2)
    usb("AKM-TAB-0006", 2, hours_ago=5, forms=7, steps=0)
    usb("AKM-TAB-0007", 3, hours_ago=20, forms=10, steps=1)
    # Both channels.
    vpn("AKM-TAB-0011", 1, hours_ago=3, forms=5)
    usb("AKM-TAB-0011", 4, hours_ago=26, forms=8, steps=2)
    # Offloaded only: its return below is refused, then overridden.
    usb(OVERRIDDEN_KIT, 5, hours_ago=10, forms=4, steps=0)
    context.say(f"Sync records: {SyncRecord.objects.count()} (VPN and USB, every USB stage).")
    _return_with_override(context, dept)
