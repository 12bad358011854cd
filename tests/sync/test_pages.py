"""Sync board, USB offloads, institution history and device keys: roles and scoping."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from equipment.services import handover_act_create
from institutions.selectors import campaign_get_active
from sync.models import DeviceToken, SyncRecord, UsbStage
from sync.selectors import tablet_board
from tests.equipment.factories import TabletKitFactory
from tests.sync.factories import PDF_BYTES, kit_hand_over, usb_offload, vpn_sync

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.datetime(2021, 10, 10, 12, 0, tzinfo=dt.UTC)


def test_department_board_shows_every_tablet_with_its_last_sync(
    client_for, department_user, kit_a, kit_b
):
    vpn_sync(kit_a[0], form_count=11)
    page = client_for(department_user).get(reverse("sync:board"))
    assert page.status_code == 200
    html = page.content.decode()
    assert kit_a[0].inventory_number in html
    assert kit_b[0].inventory_number in html
    assert "11" in html
    assert AuditEvent.objects.filter(route="sync:board", object_type="sync.syncrecord").exists()


def test_officer_board_shows_only_own_tablets(client_for, officer_a, kit_a, kit_b):
    html = client_for(officer_a).get(reverse("sync:board")).content.decode()
    assert kit_a[0].inventory_number in html
    assert kit_b[0].inventory_number not in html


def test_tablet_without_sync_in_the_window_is_stale(client_for, department_user, staff_a, settings):
    settings.SYNC_STALE_HOURS = 24
    with time_machine.travel(IN_WINDOW - dt.timedelta(days=3), tick=False):
        silent, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        old, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        vpn_sync(old)
    with time_machine.travel(IN_WINDOW - dt.timedelta(hours=2), tick=False):
        fresh, _key = kit_hand_over(department_user=department_user, staff=staff_a)
        vpn_sync(fresh)
    with time_machine.travel(IN_WINDOW, tick=False):
        from institutions.selectors import campaign_get_active
        from sync.selectors import tablet_board

        rows = {
            r.kit.pk: r for r in tablet_board(user=department_user, campaign=campaign_get_active())
        }
        assert rows[silent.pk].stale
        assert rows[old.pk].stale
        assert not rows[fresh.pk].stale
        html = (
            client_for(department_user).get(reverse("sync:board"), {"stale": "1"}).content.decode()
        )
    assert silent.inventory_number in html
    assert fresh.inventory_number not in html


def test_no_tablet_is_stale_outside_the_window(department_user, kit_a):
    rows = tablet_board(user=department_user, campaign=campaign_get_active())
    assert rows
    assert not any(row.stale for row in rows)


def test_usb_only_tablet_is_flagged(department_user, kit_a):
    usb_offload(kit_a[0], actor=department_user)
    (row,) = tablet_board(user=department_user, campaign=campaign_get_active())
    assert row.usb_only
    assert row.usb_not_uploaded == 1


def test_department_moves_usb_offload_through_the_page(client_for, department_user, kit_a):
    record = usb_offload(kit_a[0], actor=department_user, media_id="FLASH-09")
    client = client_for(department_user)
    assert "FLASH-09" in client.get(reverse("sync:usb_offloads")).content.decode()
    response = client.post(reverse("sync:usb_mark_uploaded", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.usb_stage == UsbStage.UPLOADED
    client.post(reverse("sync:usb_mark_verified", args=[record.pk]))
    record.refresh_from_db()
    assert record.usb_stage == UsbStage.VERIFIED
    assert "FLASH-09" not in client.get(reverse("sync:usb_offloads")).content.decode()


def test_officer_cannot_move_usb_offloads(client_for, department_user, officer_a, kit_a):
    record = usb_offload(kit_a[0], actor=department_user)
    response = client_for(officer_a).post(reverse("sync:usb_mark_uploaded", args=[record.pk]))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.usb_stage == UsbStage.OFFLOADED


def test_officer_sees_own_history_and_gets_404_for_another(client_for, officer_a, kit_a, kit_b):
    vpn_sync(kit_a[0])
    client = client_for(officer_a)
    own = client.get(reverse("sync:institution_history", args=[officer_a.institution_id]))
    assert own.status_code == 200
    assert kit_a[0].inventory_number in own.content.decode()
    other = client.get(reverse("sync:institution_history", args=[kit_b[0].holder_institution_id]))
    assert other.status_code == 404


def test_officer_usb_list_shows_only_own_offloads(
    client_for, department_user, officer_a, kit_a, kit_b
):
    usb_offload(kit_a[0], actor=department_user, media_id="MEDIA-A")
    usb_offload(kit_b[0], actor=department_user, media_id="MEDIA-B")
    html = client_for(officer_a).get(reverse("sync:usb_offloads")).content.decode()
    assert "MEDIA-A" in html
    assert "MEDIA-B" not in html
    assert "Mark uploaded" not in html


def test_department_issues_a_new_device_key_shown_once(client_for, department_user, kit_a):
    kit, old_key = kit_a
    client = client_for(department_user)
    url = reverse("sync:kit_device_key", args=[kit.pk])
    assert old_key not in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    active = DeviceToken.objects.get(kit=kit, revoked_at__isnull=True)
    html = response.content.decode()
    assert active.prefix in html
    assert DeviceToken.objects.filter(kit=kit, revoked_at__isnull=False).count() == 1
    assert response.context["issued"].key not in client.get(url).content.decode()


def test_officer_cannot_issue_device_keys(client_for, officer_a, kit_a):
    url = reverse("sync:kit_device_key", args=[kit_a[0].pk])
    assert client_for(officer_a).post(url).status_code == 403
    assert DeviceToken.objects.filter(kit=kit_a[0]).count() == 1


def test_act_signature_shows_the_device_keys_once(client_for, department_user, staff_a):

    kit = TabletKitFactory()
    act = handover_act_create(
        actor=department_user,
        institution=staff_a.institution,
        received_by=staff_a,
        kits=[kit],
        act_date=dt.date(2021, 9, 20),
    )
    client = client_for(department_user)
    response = client.post(
        reverse("equipment:act_sign", args=[act.pk]),
        {
            "department_signed_on": "2021-09-21",
            "recipient_signed_on": "2021-09-21",
            "signed_scan": SimpleUploadedFile("act.pdf", PDF_BYTES),
        },
        follow=True,
    )
    token = DeviceToken.objects.get(kit=kit)
    assert token.prefix in response.content.decode()
    again = client.get(reverse("equipment:act_detail", args=[act.pk])).content.decode()
    assert token.prefix not in again


def test_department_records_a_usb_offload_on_the_page_once(client_for, department_user, kit_a):
    client = client_for(department_user)
    url = reverse("sync:usb_offload_create")
    assert client.get(url).status_code == 200
    data = {
        "kit": kit_a[0].pk,
        "media_id": "FLASH-11",
        "sent_at": "2021-10-06T09:30",
        "form_count": 6,
        "payload_checksum": "sha256-0011223344",
        "idempotency_key": "form-key-1",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit records one offload
    record = SyncRecord.objects.get()
    assert (record.usb_stage, record.offloaded_by, record.media_id) == (
        UsbStage.OFFLOADED,
        department_user,
        "FLASH-11",
    )


def test_usb_offload_form_refuses_a_future_mark(client_for, department_user, kit_a):
    response = client_for(department_user).post(
        reverse("sync:usb_offload_create"),
        {
            "kit": kit_a[0].pk,
            "media_id": "FLASH-11",
            "sent_at": "2099-01-01T00:00",
            "form_count": 6,
            "payload_checksum": "sha256-0011223344",
            "idempotency_key": "form-key-2",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SyncRecord.objects.exists()


def test_officer_cannot_record_usb_offloads(client_for, officer_a):
    assert client_for(officer_a).get(reverse("sync:usb_offload_create")).status_code == 403
