"""Helpers of the sync tests: kits handed over through the equipment services (which issue
their device keys) and syncs recorded through the sync service."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from equipment.models import TabletKit
from equipment.services import handover_act_create, handover_act_sign
from sync.models import DeviceToken, SyncRecord
from sync.services import sync_record_receive
from tests.equipment.factories import TabletKitFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def kit_hand_over(
    *, department_user: Any, staff: Any, act_date: dt.date = dt.date(2021, 9, 20)
) -> tuple[TabletKit, str]:
    """A new kit handed over to ``staff`` under a signed act; (kit, its device key)."""
    kit = TabletKitFactory()
    act = handover_act_create(
        actor=department_user,
        institution=staff.institution,
        received_by=staff,
        kits=[kit],
        act_date=act_date,
    )
    signed = handover_act_sign(
        actor=department_user,
        act=act,
        department_signed_on=act_date,
        recipient_signed_on=act_date,
        signed_scan=SimpleUploadedFile("act.pdf", PDF_BYTES),
    )
    kit.refresh_from_db()
    return kit, signed.device_keys[0].key


def vpn_sync(kit: TabletKit, **values: Any) -> SyncRecord:
    """A VPN sync of ``kit`` sent with its active device token."""
    token = DeviceToken.objects.get(kit=kit, revoked_at__isnull=True)
    record, _created = sync_record_receive(
        kit=kit,
        channel="vpn",
        sent_at=values.pop("sent_at", timezone.now()),
        form_count=values.pop("form_count", 3),
        payload_checksum=values.pop("payload_checksum", "sha256-abcdef0123"),
        idempotency_key=values.pop("idempotency_key", uuid.uuid4().hex),
        device_token=token,
        **values,
    )
    return record


def usb_offload(kit: TabletKit, *, actor: Any, **values: Any) -> SyncRecord:
    record, _created = sync_record_receive(
        kit=kit,
        channel="usb",
        sent_at=values.pop("sent_at", timezone.now()),
        form_count=values.pop("form_count", 5),
        payload_checksum=values.pop("payload_checksum", "sha256-usb0123456"),
        idempotency_key=values.pop("idempotency_key", uuid.uuid4().hex),
        actor=actor,
        media_id=values.pop("media_id", "FLASH-07"),
        **values,
    )
    return record


def sync_objects(department_user: Any, staff: Any) -> tuple[TabletKit, SyncRecord]:
    """For the route matrix: a kit out with ``staff``'s institution and a USB offload of it."""
    kit, _key = kit_hand_over(department_user=department_user, staff=staff)
    return kit, usb_offload(kit, actor=department_user)
