"""Equipment announces an act's signature, return and cancellation through ``equipment.hooks``;
sync's receivers issue and revoke the device tokens. Signing still works with no receiver."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tokens import token_key_hash
from equipment.choices import ActStatus, Condition, ReturnOutcome
from equipment.hooks import act_cancelled, act_signed
from equipment.models import HandoverAct
from equipment.services import (
    ActSigned,
    KitReturnLine,
    handover_act_cancel,
    handover_act_create,
    handover_act_sign,
    kit_return_record,
)
from sync.models import DeviceToken
from sync.receivers import issue_device_tokens
from tests.equipment.conftest import scan
from tests.equipment.factories import TabletKitFactory

DAY = dt.date(2021, 9, 20)


def _draft(department_user, staff, kits) -> HandoverAct:
    return handover_act_create(
        actor=department_user,
        institution=staff.institution,
        received_by=staff,
        kits=kits,
        act_date=DAY,
    )


def _sign(department_user, act: HandoverAct) -> ActSigned:
    return handover_act_sign(
        actor=department_user,
        act=act,
        department_signed_on=DAY,
        recipient_signed_on=DAY,
        signed_scan=scan(),
    )


@pytest.fixture
def no_sync_receiver():
    """Equipment on its own: sync's receiver of ``act_signed`` disconnected for one test."""
    assert act_signed.disconnect(sender=HandoverAct, dispatch_uid="sync.act_signed")
    yield
    act_signed.connect(issue_device_tokens, sender=HandoverAct, dispatch_uid="sync.act_signed")


def test_signing_issues_one_key_per_kit_and_returns_them(department_user, staff_a):
    kits = TabletKitFactory.create_batch(2)
    signed = _sign(department_user, _draft(department_user, staff_a, kits))

    assert signed.act.status == ActStatus.SIGNED
    assert sorted(key.kit.inventory_number for key in signed.device_keys) == sorted(
        kit.inventory_number for kit in kits
    )
    stored = DeviceToken.objects.filter(act=signed.act, revoked_at__isnull=True)
    assert sorted(token.key_hash for token in stored) == sorted(
        token_key_hash(key.key) for key in signed.device_keys
    )
    assert not hasattr(signed.act, "issued_device_keys")


def test_signing_without_the_receiver_works_and_returns_no_keys(
    department_user, staff_a, no_sync_receiver
):
    signed = _sign(
        department_user, _draft(department_user, staff_a, TabletKitFactory.create_batch(2))
    )

    assert signed.device_keys == []
    assert HandoverAct.objects.get(pk=signed.act.pk).status == ActStatus.SIGNED
    assert DeviceToken.objects.count() == 0


def test_a_return_revokes_the_returned_kits_key_only(department_user, staff_a):
    kits = TabletKitFactory.create_batch(2)
    act = _sign(department_user, _draft(department_user, staff_a, kits)).act
    first = act.items.order_by("kit__inventory_number").first()
    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=DAY,
        returned_by=staff_a,
        lines=[
            KitReturnLine(
                item_id=first.pk,
                tablet_outcome=ReturnOutcome.RETURNED,
                components={
                    code: ReturnOutcome.RETURNED
                    for code, condition in first.components_at_handover.items()
                    if condition != Condition.ABSENT
                },
            )
        ],
    )

    active = DeviceToken.objects.filter(revoked_at__isnull=True)
    assert [token.kit_id for token in active] == [kit.pk for kit in kits if kit.pk != first.kit_id]


def test_cancelling_announces_the_acts_kits(department_user, staff_a):
    kits = TabletKitFactory.create_batch(2)
    heard: list[tuple[int, list[int]]] = []

    def listener(sender, *, act, actor, kit_ids, **kwargs):
        heard.append((act.pk, sorted(kit_ids)))

    act_cancelled.connect(listener, sender=HandoverAct, dispatch_uid="test.cancel")
    try:
        act = handover_act_cancel(actor=department_user, act=_draft(department_user, staff_a, kits))
    finally:
        act_cancelled.disconnect(sender=HandoverAct, dispatch_uid="test.cancel")

    assert act.status == ActStatus.CANCELLED
    assert heard == [(act.pk, sorted(kit.pk for kit in kits))]
    assert DeviceToken.objects.count() == 0
