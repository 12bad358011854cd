import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from equipment.choices import ActStatus, Component, Condition, KitState, ReturnOutcome
from equipment.models import HandoverItem, TabletKit
from equipment.services import KitReturnLine, handover_act_cancel, kit_return_record
from tests.equipment.factories import TabletKitFactory

pytestmark = pytest.mark.django_db

ALL_RETURNED = dict.fromkeys(Component.values, ReturnOutcome.RETURNED)


def _line(item, *, tablet=ReturnOutcome.RETURNED, **overrides):
    components = {
        code: ReturnOutcome.RETURNED
        for code, condition in item.components_at_handover.items()
        if condition != Condition.ABSENT
    }
    components.update(overrides)
    return KitReturnLine(item_id=item.pk, tablet_outcome=tablet, components=components)


def test_act_lifecycle_draft_signed_partly_returned_closed(
    make_act, staff_a, kits, department_user
):
    act = make_act(staff=staff_a, kits=kits)
    assert act.status == ActStatus.DRAFT
    assert act.number == 1
    assert {k.state for k in TabletKit.objects.all()} == {KitState.HANDED_OVER}
    assert set(TabletKit.objects.values_list("holder_institution", flat=True)) == {
        staff_a.institution_id
    }

    act = make_act(staff=staff_a, kits=[], sign=False, instruction_booklets=1)
    assert act.number == 2

    signed = make_act(staff=staff_a, kits=[TabletKitFactory()], sign=True)
    assert signed.status == ActStatus.SIGNED
    assert signed.signed_scan_type == "application/pdf"
    assert signed.signed_scan.name.startswith("equipment/scans/")

    items = list(signed.items.all())
    first = kit_return_record(
        actor=department_user,
        act=signed,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[_line(items[0])],
    )
    signed.refresh_from_db()
    assert signed.status == ActStatus.CLOSED
    assert first.sequence == 1


def test_partial_return_keeps_the_act_open_until_the_last_kit(
    make_act, staff_a, kits, department_user
):
    act = make_act(staff=staff_a, kits=kits, sign=True)
    items = list(act.items.order_by("pk"))
    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[_line(items[0])],
    )
    act.refresh_from_db()
    assert act.status == ActStatus.PARTLY_RETURNED
    assert TabletKit.objects.get(pk=items[0].kit_id).state == KitState.RETURNED
    assert TabletKit.objects.get(pk=items[1].kit_id).state == KitState.HANDED_OVER

    second = kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 5),
        returned_by=staff_a,
        lines=[_line(items[1]), _line(items[2], tablet=ReturnOutcome.DAMAGED)],
    )
    act.refresh_from_db()
    assert act.status == ActStatus.CLOSED
    assert second.sequence == 2
    assert TabletKit.objects.get(pk=items[2].kit_id).state == KitState.LOST_DAMAGED
    assert TabletKit.objects.get(pk=items[2].kit_id).holder_institution is None


def test_component_condition_is_carried_from_handover_to_return(make_act, staff_a, department_user):
    components = dict.fromkeys(Component.values, Condition.GOOD)
    components[Component.STYLUS] = Condition.ABSENT
    components[Component.CASE] = Condition.WORN
    kit = TabletKitFactory(components=components)
    act = make_act(staff=staff_a, kits=[kit], sign=True)
    item = act.items.get()
    assert item.components_at_handover == components

    line = _line(item, power_bank=ReturnOutcome.MISSING, charger=ReturnOutcome.DAMAGED)
    assert Component.STYLUS not in line.components  # never handed over, nothing to return
    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[line],
    )
    item.refresh_from_db()
    rows = {row["code"]: row for row in item.component_rows()}
    assert rows["case"]["handed_over"] == Condition.WORN
    assert rows["case"]["outcome_code"] == ReturnOutcome.RETURNED
    assert rows["power_bank"]["outcome_code"] == ReturnOutcome.MISSING
    assert rows["stylus"]["outcome_code"] == ""
    kit.refresh_from_db()
    assert kit.components[Component.CASE] == Condition.WORN
    assert kit.components[Component.POWER_BANK] == Condition.ABSENT
    assert kit.components[Component.CHARGER] == Condition.DAMAGED
    assert kit.components[Component.STYLUS] == Condition.ABSENT


def test_return_must_say_what_happened_to_every_component_handed_over(
    make_act, staff_a, kits, department_user
):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    item = act.items.get()
    incomplete = KitReturnLine(
        item_id=item.pk, tablet_outcome=ReturnOutcome.RETURNED, components={"case": "returned"}
    )
    with pytest.raises(ValidationError) as error:
        kit_return_record(
            actor=department_user,
            act=act,
            returned_on=dt.date(2021, 11, 2),
            returned_by=staff_a,
            lines=[incomplete],
        )
    assert error.value.error_list[0].code == "component_outcome_required"
    item.refresh_from_db()
    assert item.is_open


def test_handing_over_a_kit_that_is_out_is_refused(make_act, staff_a, staff_b, kits):
    make_act(staff=staff_a, kits=kits[:1])
    with pytest.raises(ValidationError) as error:
        make_act(staff=staff_b, kits=kits)
    assert error.value.error_list[0].code == "kit_not_available"
    assert kits[0].inventory_number in error.value.messages[0]
    assert HandoverItem.objects.filter(kit=kits[1]).count() == 0  # nothing half-done


def test_database_refuses_a_second_open_handover_of_a_kit(make_act, staff_a, staff_b, kits):
    from django.db import IntegrityError, transaction

    act = make_act(staff=staff_a, kits=kits[:1])
    other = make_act(staff=staff_b, kits=kits[1:2])
    with pytest.raises(IntegrityError), transaction.atomic():
        HandoverItem.objects.create(
            act=other, kit=kits[0], components_at_handover=act.items.get().components_at_handover
        )


def test_recipient_must_belong_to_the_institution(
    make_act, staff_a, staff_b, kits, department_user
):
    from equipment.services import handover_act_create

    with pytest.raises(ValidationError) as error:
        handover_act_create(
            actor=department_user,
            institution=staff_a.institution,
            received_by=staff_b,
            kits=kits,
            act_date=dt.date(2021, 9, 20),
        )
    assert "received_by" in error.value.message_dict
    assert TabletKit.objects.filter(state=KitState.IN_STOCK).count() == 3


def test_officer_cannot_create_acts(officer_a, staff_a, kits):
    from equipment.services import handover_act_create

    with pytest.raises(PermissionDenied):
        handover_act_create(
            actor=officer_a,
            institution=staff_a.institution,
            received_by=staff_a,
            kits=kits,
            act_date=dt.date(2021, 9, 20),
        )


def test_cancelled_draft_returns_kits_and_keeps_its_number(
    make_act, staff_a, kits, department_user
):
    act = make_act(staff=staff_a, kits=kits)
    handover_act_cancel(actor=department_user, act=act)
    assert set(TabletKit.objects.values_list("state", flat=True)) == {KitState.IN_STOCK}
    again = make_act(staff=staff_a, kits=kits)
    assert again.number == act.number + 1


def test_only_a_draft_can_be_signed(make_act, staff_a, kits, department_user):
    from equipment.services import handover_act_sign
    from tests.equipment.conftest import scan

    act = make_act(staff=staff_a, kits=kits, sign=True)
    with pytest.raises(ValidationError):
        handover_act_sign(
            actor=department_user,
            act=act,
            department_signed_on=act.act_date,
            recipient_signed_on=act.act_date,
            signed_scan=scan(),
        )


def test_signature_cannot_precede_the_act(make_act, staff_a, kits, department_user):
    from equipment.services import handover_act_sign
    from tests.equipment.conftest import scan

    act = make_act(staff=staff_a, kits=kits)
    with pytest.raises(ValidationError) as error:
        handover_act_sign(
            actor=department_user,
            act=act,
            department_signed_on=act.act_date - dt.timedelta(days=1),
            recipient_signed_on=act.act_date,
            signed_scan=scan(),
        )
    assert "department_signed_on" in error.value.message_dict
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT
    assert not act.signed_scan


def test_readiness_counts_kits_received_and_returned_in_one_query(
    make_act, staff_a, staff_b, kits, department_user, django_assert_num_queries
):
    from equipment.readiness_items import ITEMS
    from institutions.models import Institution
    from institutions.selectors import campaign_get_active

    act = make_act(staff=staff_a, kits=kits[:2], sign=True)
    make_act(staff=staff_b, kits=kits[2:])  # a draft: not received yet
    campaign = campaign_get_active()
    institutions = Institution.objects.all()
    received, returned = ITEMS
    with django_assert_num_queries(2):  # the done flags, then the details
        result = received.compute(institutions, campaign)
    assert result[staff_a.institution_id].done
    assert not result[staff_b.institution_id].done
    assert not returned.compute(institutions, campaign)[staff_a.institution_id].done

    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[_line(item) for item in act.items.all()],
    )
    assert returned.compute(institutions, campaign)[staff_a.institution_id].done


def test_kits_returned_needs_every_kit_of_every_signed_act_back(
    make_act, staff_a, staff_b, kits, department_user
):
    from django.utils import translation

    from equipment.readiness_items import ITEMS
    from institutions.models import Institution
    from institutions.selectors import campaign_get_active

    act = make_act(staff=staff_a, kits=kits[:2], sign=True)
    make_act(staff=staff_b, kits=kits[2:])  # a draft: nothing received, so nothing returned
    campaign = campaign_get_active()
    _received, returned = ITEMS

    def states():
        with translation.override("en"):
            results = returned.compute(Institution.objects.all(), campaign)
        return {pk: (result.done, result.detail) for pk, result in results.items()}

    assert states()[staff_b.institution_id] == (False, "")
    first, second = act.items.order_by("pk")
    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[_line(first)],
    )
    assert states()[staff_a.institution_id] == (False, "1 of 2 kits still out")
    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 3),
        returned_by=staff_a,
        lines=[_line(second)],
    )
    assert states()[staff_a.institution_id] == (True, "0 of 2 kits still out")
    assert states()[staff_b.institution_id] == (False, "")
