"""``POST /api/v1/sync-records/``: both channels, idempotency, refusals, scoping."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from equipment.models import HandoverItem
from equipment.services import KitReturnLine, kit_return_record
from sync.models import DeviceToken, SyncRecord, UsbStage
from tests.sync.factories import vpn_sync

pytestmark = pytest.mark.django_db
URL = "/api/v1/sync-records/"


def body(**values):
    data = {
        "sent_at": (timezone.now() - dt.timedelta(minutes=2)).isoformat(),
        "form_count": 4,
        "payload_checksum": "sha256-0123456789abcdef",
    }
    data.update(values)
    return data


def post(client, data, key="key-1"):
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_tablet_syncs_over_vpn_with_its_device_key(device_client, kit_a):
    kit, key = kit_a
    response = post(device_client(key), body())
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kit"] == kit.inventory_number
    assert data["channel"] == "vpn"
    assert data["form_count"] == 4
    assert -200 < data["clock_skew_seconds"] < 0
    record = SyncRecord.objects.get()
    assert record.institution == kit.holder_institution
    assert record.device_token.kit == kit
    assert DeviceToken.objects.get(kit=kit).last_used_at is not None


def test_same_key_and_body_returns_the_same_record(device_client, kit_a):
    client = device_client(kit_a[1])
    data = body()
    first = post(client, data)
    second = post(client, data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert SyncRecord.objects.count() == 1


def test_same_key_with_different_body_is_a_conflict(device_client, kit_a):
    client = device_client(kit_a[1])
    data = body()
    assert post(client, data).status_code == 201
    response = post(client, {**data, "form_count": 9})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert set(response.json()) == {"code", "message", "errors"}
    assert SyncRecord.objects.get().form_count == 4


def test_a_sync_without_idempotency_key_is_refused(device_client, kit_a):
    response = device_client(kit_a[1]).post(URL, body(), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_required"
    assert not SyncRecord.objects.exists()


def test_returned_kit_key_is_revoked_and_refused_with_a_log(
    device_client, kit_a, department_user, staff_a, caplog
):
    kit, key = kit_a
    item = HandoverItem.objects.get(kit=kit)
    kit_return_record(
        actor=department_user,
        act=item.act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[
            KitReturnLine(
                item_id=item.pk,
                tablet_outcome="returned",
                components=dict.fromkeys(item.components_at_handover, "returned"),
            )
        ],
    )
    assert DeviceToken.objects.get(kit=kit).is_revoked
    with caplog.at_level(logging.WARNING, logger="sync.services"):
        response = post(device_client(key), body())
    assert response.status_code == 403
    assert response.json()["code"] == "device_token_revoked"
    assert response.json()["message"]
    assert not SyncRecord.objects.exists()
    assert "device_token_revoked" in caplog.text
    assert staff_a.full_name not in caplog.text
    refusal = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert refusal.extra["reason"] == "device_token_revoked"
    assert refusal.institution_id == staff_a.institution_id


def test_unknown_device_key_is_unauthorised(device_client, kit_a):
    response = post(device_client("not-a-key"), body())
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Device"


def test_mark_in_the_future_beyond_tolerance_is_refused(device_client, kit_a, settings, caplog):
    settings.SYNC_FUTURE_TOLERANCE_MINUTES = 10
    future = (timezone.now() + dt.timedelta(minutes=30)).isoformat()
    with caplog.at_level(logging.WARNING, logger="sync.services"):
        response = post(device_client(kit_a[1]), body(sent_at=future))
    assert response.status_code == 400
    assert response.json()["code"] == "mark_in_future"
    assert "10" in response.json()["message"]
    assert not SyncRecord.objects.exists()
    assert "mark_in_future" in caplog.text
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).exists()


def test_mark_slightly_ahead_within_tolerance_is_accepted(device_client, kit_a):
    ahead = (timezone.now() + dt.timedelta(minutes=3)).isoformat()
    response = post(device_client(kit_a[1]), body(sent_at=ahead))
    assert response.status_code == 201
    assert response.json()["clock_skew_seconds"] > 0


def test_device_key_cannot_post_for_another_kit(device_client, kit_a, kit_b):
    response = post(device_client(kit_a[1]), body(kit=kit_b[0].inventory_number))
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_kit"


def test_tablet_cannot_record_a_usb_offload(device_client, kit_a):
    response = post(device_client(kit_a[1]), body(channel="usb", media_id="FLASH-1"))
    assert response.status_code == 400
    assert response.json()["code"] == "usb_by_department"


def test_department_records_usb_offload_onto_its_media(api_client_for, department_user, kit_a):
    kit, _key = kit_a
    response = post(
        api_client_for(department_user),
        body(kit=kit.inventory_number, channel="usb", media_id="FLASH-07"),
    )
    assert response.status_code == 201, response.json()
    record = SyncRecord.objects.get()
    assert record.usb_stage == UsbStage.OFFLOADED
    assert record.offloaded_by == department_user
    assert record.offloaded_at is not None
    assert record.media_id == "FLASH-07"
    assert not record.reached_census_database


def test_usb_offload_needs_a_media_identifier(api_client_for, department_user, kit_a):
    response = post(
        api_client_for(department_user), body(kit=kit_a[0].inventory_number, channel="usb")
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "media_id"


def test_officer_cannot_post_sync_records(api_client_for, officer_a, kit_a):
    response = post(api_client_for(officer_a), body(kit=kit_a[0].inventory_number))
    assert response.status_code == 403


def test_device_key_cannot_read_sync_records(device_client, kit_a):
    assert device_client(kit_a[1]).get(URL).status_code == 403


def test_officer_lists_only_own_institution_records(api_client_for, officer_a, kit_a, kit_b):
    own = vpn_sync(kit_a[0])
    other = vpn_sync(kit_b[0])
    client = api_client_for(officer_a)
    ids = [row["id"] for row in client.get(URL).json()["results"]]
    assert ids == [own.pk]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{own.pk}/").status_code == 200


def test_api_reads_are_audited(api_client_for, department_user, kit_a):
    vpn_sync(kit_a[0])
    api_client_for(department_user).get(reverse("sync-record-list"))
    assert AuditEvent.objects.filter(object_type="sync.syncrecord", action="view").exists()


def test_region_department_user_cannot_post_for_another_regions_kit(api_client_for, kit_a):
    from institutions.models import Region
    from tests.factories import DepartmentUserFactory

    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    outsider = DepartmentUserFactory(region=elsewhere)
    response = post(
        api_client_for(outsider),
        body(kit=kit_a[0].inventory_number, channel="usb", media_id="FLASH-07"),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_kit"
    assert not SyncRecord.objects.exists()
