"""The sync service: USB chain of custody, device keys, enumeration carried by a sync."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tokens import token_key_hash
from enumeration.models import Enumeration, EnumerationChange
from equipment.models import HandoverItem
from equipment.services import handover_act_cancel, handover_act_create
from sync.models import DeviceToken, SyncRecord, UsbStage
from sync.services import (
    device_token_issue,
    usb_offload_mark_uploaded,
    usb_offload_mark_verified,
)
from tests.enumeration.stage2 import TABLET_DAY, accepted_list, people
from tests.equipment.factories import TabletKitFactory
from tests.sync.factories import usb_offload, vpn_sync

pytestmark = pytest.mark.django_db


# --- USB chain of custody --------------------------------------------------------------


def test_usb_offload_goes_offloaded_uploaded_verified(kit_a, department_user):
    record = usb_offload(kit_a[0], actor=department_user, media_id="FLASH-07")
    assert record.usb_stage == UsbStage.OFFLOADED
    uploaded = usb_offload_mark_uploaded(actor=department_user, record=record)
    assert uploaded.usb_stage == UsbStage.UPLOADED
    assert uploaded.uploaded_by == department_user
    assert uploaded.uploaded_at >= record.offloaded_at
    verified = usb_offload_mark_verified(actor=department_user, record=uploaded)
    assert verified.usb_stage == UsbStage.VERIFIED
    assert verified.verified_by == department_user
    assert verified.verified_at >= verified.uploaded_at
    assert verified.reached_census_database


def test_usb_offload_cannot_be_verified_before_upload(kit_a, department_user):
    record = usb_offload(kit_a[0], actor=department_user)
    with pytest.raises(ValidationError) as error:
        usb_offload_mark_verified(actor=department_user, record=record)
    assert error.value.code == "usb_not_uploaded"
    record.refresh_from_db()
    assert record.usb_stage == UsbStage.OFFLOADED
    assert record.verified_at is None


def test_usb_offload_is_uploaded_only_once(kit_a, department_user):
    record = usb_offload(kit_a[0], actor=department_user)
    usb_offload_mark_uploaded(actor=department_user, record=record)
    with pytest.raises(ValidationError) as error:
        usb_offload_mark_uploaded(actor=department_user, record=record)
    assert error.value.code == "usb_not_offloaded"


def test_vpn_sync_has_no_usb_steps(kit_a, department_user):
    record = vpn_sync(kit_a[0])
    with pytest.raises(ValidationError) as error:
        usb_offload_mark_uploaded(actor=department_user, record=record)
    assert error.value.code == "not_usb"


def test_officer_cannot_move_a_usb_offload(kit_a, department_user, officer_a):
    record = usb_offload(kit_a[0], actor=department_user)
    with pytest.raises(PermissionDenied):
        usb_offload_mark_uploaded(actor=officer_a, record=record)


def test_officer_cannot_record_a_usb_offload(kit_a, officer_a):
    with pytest.raises(PermissionDenied):
        usb_offload(kit_a[0], actor=officer_a)


def test_kit_in_stock_cannot_sync(department_user):
    kit = TabletKitFactory()
    with pytest.raises(ValidationError) as error:
        usb_offload(kit, actor=department_user)
    assert error.value.code == "kit_not_handed_over"
    assert not SyncRecord.objects.exists()


# --- device keys -----------------------------------------------------------------------


def test_signing_the_act_issues_one_key_per_kit_stored_as_hash(kit_a):
    kit, key = kit_a
    token = DeviceToken.objects.get(kit=kit)
    assert token.key_hash == token_key_hash(key)
    assert key not in {token.prefix, token.key_hash}
    assert token.prefix == key[:8]
    assert not token.is_revoked


def test_reissuing_a_key_revokes_the_old_one(kit_a, department_user):
    kit, _key = kit_a
    issued = device_token_issue(actor=department_user, kit=kit)
    assert DeviceToken.objects.filter(kit=kit, revoked_at__isnull=True).get() == issued.token
    assert DeviceToken.objects.filter(kit=kit).count() == 2


def test_no_key_for_a_draft_act(department_user, staff_a):
    kit = TabletKitFactory()
    act = handover_act_create(
        actor=department_user,
        institution=staff_a.institution,
        received_by=staff_a,
        kits=[kit],
        act_date=dt.date(2021, 9, 20),
    )
    with pytest.raises(ValidationError):
        device_token_issue(actor=department_user, kit=kit)
    handover_act_cancel(actor=department_user, act=act)
    assert not DeviceToken.objects.exists()


def test_only_department_issues_keys(kit_a, officer_a):
    with pytest.raises(PermissionDenied):
        device_token_issue(actor=officer_a, kit=kit_a[0])


# --- enumeration carried by a sync -----------------------------------------------------


def _carried(persons, day=TABLET_DAY):
    return [{"respondent_id": p.pk, "enumerated_on": day} for p in persons]


def test_sync_marks_respondents_enumerated_by_tablet_by_the_holder(kit_a, staff_a, officer_a):
    kit, _key = kit_a
    persons = people(accepted_list(staff_a.institution), 3)
    record = vpn_sync(kit, enumerations=_carried(persons))
    assert record.enumerated_count == 3
    rows = Enumeration.objects.filter(respondent__in=persons)
    assert rows.count() == 3
    for row in rows:
        assert (row.status, row.method, row.source) == ("enumerated", "tablet", "sync")
        assert row.staff == staff_a
        assert row.tablet_kit_ref == kit.inventory_number
        assert row.updated_by == officer_a
        assert row.enumerated_on == TABLET_DAY
    assert EnumerationChange.objects.filter(source="sync").count() == 3


def test_sync_outside_the_tablet_window_saves_nothing(kit_a, staff_a):
    persons = people(accepted_list(staff_a.institution), 2)
    with pytest.raises(ValidationError) as error:
        vpn_sync(kit_a[0], enumerations=_carried(persons, day=dt.date(2021, 9, 10)))
    assert "outside_window" in {item.code for item in error.value.error_list}
    assert not SyncRecord.objects.exists()
    assert not Enumeration.objects.exists()


def test_sync_cannot_enumerate_another_institutions_people(kit_a, staff_b):
    others = people(accepted_list(staff_b.institution), 1)
    with pytest.raises(ValidationError) as error:
        vpn_sync(kit_a[0], enumerations=_carried(others))
    assert error.value.error_list[0].code == "unknown_respondent"
    assert not Enumeration.objects.exists()


def test_sync_with_people_needs_a_holder_with_an_account(kit_a, staff_a):
    staff_a.user = None
    staff_a.save(update_fields=["user"])
    persons = people(accepted_list(staff_a.institution), 1)
    with pytest.raises(ValidationError) as error:
        vpn_sync(kit_a[0], enumerations=_carried(persons))
    assert error.value.code == "holder_without_account"
    assert not SyncRecord.objects.exists()


def test_repeat_of_a_sync_with_people_changes_nothing(kit_a, staff_a):
    persons = people(accepted_list(staff_a.institution), 2)
    sent = timezone.now()
    first = vpn_sync(kit_a[0], enumerations=_carried(persons), idempotency_key="k", sent_at=sent)
    again = vpn_sync(kit_a[0], enumerations=_carried(persons), idempotency_key="k", sent_at=sent)
    assert first.pk == again.pk
    assert EnumerationChange.objects.count() == 2


def _queries_for_sync(kit, persons, key):
    with CaptureQueriesContext(connection) as captured:
        vpn_sync(kit, enumerations=_carried(persons), idempotency_key=key)
    return len(captured)


def test_sync_with_people_uses_a_constant_number_of_queries(
    kit_a, staff_a, django_assert_max_num_queries
):
    respondent_list = accepted_list(staff_a.institution)
    few = people(respondent_list, 5)
    many = people(respondent_list, 60)
    baseline = _queries_for_sync(kit_a[0], few, "few")
    with django_assert_max_num_queries(baseline):
        vpn_sync(kit_a[0], enumerations=_carried(many), idempotency_key="many")
    assert Enumeration.objects.count() == 65
    assert HandoverItem.objects.filter(kit=kit_a[0], is_open=True).exists()
