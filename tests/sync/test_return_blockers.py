"""No kit closes with undelivered data (issue 19, item 8): a kit whose USB offload is not
uploaded to the census database and verified is not returned, unless the Department
overrides with a reason — stored on the return, audited and shown. Equipment learns of the
blocker through its ``return_blocking`` hook; sync provides it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from audit.models import AuditEvent
from equipment.choices import ActStatus, Condition, ReturnOutcome
from equipment.hooks import ReturnBlocker, return_blocking
from equipment.models import HandoverAct, HandoverItem, KitReturn
from equipment.services import KitReturnLine, kit_return_record
from sync.services import usb_offload_mark_uploaded, usb_offload_mark_verified
from tests.sync.factories import usb_offload

pytestmark = pytest.mark.django_db


def _english(*users) -> None:
    """The pages below are read in English (the msgids); kk and ru are tested on the service."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


REFUSAL = "it must be uploaded to the census database and verified"


def _item(kit) -> HandoverItem:
    return HandoverItem.objects.select_related("act").get(kit=kit, is_open=True)


def _form(item, **extra) -> dict[str, object]:
    data: dict[str, object] = {
        "returned_on": "2021-11-02",
        "returned_by": item.act.received_by_id,
        "instruction_booklets": 0,
        "certificate_blanks": 0,
        f"kit{item.pk}_tablet": "returned",
        **extra,
    }
    for code, condition in item.components_at_handover.items():
        if condition != Condition.ABSENT:
            data[f"kit{item.pk}_{code}"] = "returned"
    return data


def _return(actor, item, **extra):
    return kit_return_record(
        actor=actor,
        act=item.act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=item.act.received_by,
        lines=[
            KitReturnLine(
                item_id=item.pk,
                tablet_outcome=ReturnOutcome.RETURNED,
                components={
                    code: ReturnOutcome.RETURNED
                    for code, condition in item.components_at_handover.items()
                    if condition != Condition.ABSENT
                },
            )
        ],
        **extra,
    )


def test_return_page_refuses_a_kit_whose_usb_offload_is_not_delivered(
    client_for, department_user, kit_a
):
    _english(department_user)
    kit, _key = kit_a
    usb_offload(kit, actor=department_user, media_id="FLASH-07", form_count=5)
    item = _item(kit)
    client = client_for(department_user)
    url = reverse("equipment:act_return", args=[item.act.pk])
    warned = client.get(url).content.decode()
    assert f"Tablet {kit.inventory_number}: the USB offload of" in warned
    response = client.post(url, _form(item))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Tablet {kit.inventory_number}: the USB offload of" in text
    assert (
        "on media FLASH-07 (census forms: 5) has reached only the stage “offloaded to the "
        "Department&#x27;s media”"
    ) in text
    assert REFUSAL in text
    assert "The Department may return it anyway, giving the reason for the override." in text
    assert not KitReturn.objects.exists()
    item.refresh_from_db()
    assert item.is_open


def test_an_uploaded_but_unverified_offload_still_blocks(department_user, kit_a):
    kit, _key = kit_a
    usb_offload_mark_uploaded(actor=department_user, record=usb_offload(kit, actor=department_user))
    with pytest.raises(ValidationError) as refused:
        _return(department_user, _item(kit))
    assert refused.value.code == "kit_data_undelivered"
    assert "the stage “uploaded to the census database”" in refused.value.messages[0]


def test_a_verified_offload_lets_the_kit_come_back(department_user, kit_a):
    kit, _key = kit_a
    record = usb_offload_mark_uploaded(
        actor=department_user, record=usb_offload(kit, actor=department_user)
    )
    usb_offload_mark_verified(actor=department_user, record=record)
    kit_return = _return(department_user, _item(kit), override_reason="not needed")
    assert kit_return.override_reason == ""  # nothing was overridden
    assert kit_return.override_blockers == []
    assert kit_return.act.status == ActStatus.CLOSED


def test_department_override_is_stored_audited_and_shown(
    client_for, department_user, officer_a, kit_a
):
    _english(department_user, officer_a)
    kit, _key = kit_a
    usb_offload(kit, actor=department_user, media_id="FLASH-09")
    item = _item(kit)
    reason = "Планшет сынған / the tablet is broken; FLASH-09 is checked tomorrow"
    response = client_for(department_user).post(
        reverse("equipment:act_return", args=[item.act.pk]), _form(item, override_reason=reason)
    )
    assert response.status_code == 302
    kit_return = KitReturn.objects.get()
    assert kit_return.override_reason == reason
    assert [b["kit"] for b in kit_return.override_blockers] == [kit.inventory_number]
    assert "FLASH-09" in kit_return.override_blockers[0]["message"]
    event = AuditEvent.objects.filter(object_type="equipment.kitreturn").get()
    assert event.extra["override"] is True
    assert event.extra["blockers"] == ["usb_offload_not_verified"]
    # The act page (also the officer's) shows the reason and what was not delivered.
    page = client_for(officer_a).get(reverse("equipment:act_detail", args=[item.act.pk]))
    text = page.content.decode()
    assert "Returned by the Department's override, with data not yet delivered" in text
    assert "Планшет сынған / the tablet is broken; FLASH-09 is checked tomorrow" in text
    assert "on media FLASH-09" in text
    # And the return act PDF, in Russian.
    pdf = client_for(officer_a).get(
        reverse("equipment:return_pdf", args=[kit_return.pk]), {"lang": "ru"}
    )
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    printed = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Возвращено по решению Департамента, данные ещё не доставлены" in printed
    assert "FLASH-09 is checked tomorrow" in printed


def test_the_override_field_is_the_departments_only(client_for, department_user, kit_a):
    kit, _key = kit_a
    usb_offload(kit, actor=department_user)
    page = client_for(department_user).get(
        reverse("equipment:act_return", args=[_item(kit).act.pk])
    )
    assert 'name="override_reason"' in page.content.decode()


def test_an_offload_of_another_institutions_tablet_does_not_block(department_user, kit_a, kit_b):
    kit, _key = kit_a
    other, _other_key = kit_b
    usb_offload(other, actor=department_user)  # B's tablet: not A's kit
    kit_return = _return(department_user, _item(kit))
    assert kit_return.act.status == ActStatus.CLOSED


def test_refusal_is_translated(department_user, kit_a):
    kit, _key = kit_a
    usb_offload(kit, actor=department_user)
    for language, word in (("ru", "Планшет"), ("kk", "Планшет")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            _return(department_user, _item(kit))
        message = refused.value.messages[0]
        assert word in message
        assert kit.inventory_number in message
        assert REFUSAL not in message


def test_the_blocker_registry_takes_more_providers(department_user, kit_a):
    """The census-DB import will add "forms sent, not received": one more receiver."""
    kit, _key = kit_a

    def forms_missing(sender, *, act, kits, **kwargs):
        return [
            ReturnBlocker(kit=k, code="forms_not_received", message=f"{k.inventory_number}: 2")
            for k in kits
        ]

    return_blocking.connect(forms_missing, sender=HandoverAct, dispatch_uid="test.forms")
    try:
        with pytest.raises(ValidationError) as refused:
            _return(department_user, _item(kit))
        assert f"{kit.inventory_number}: 2" in refused.value.messages[0]
        kit_return = _return(department_user, _item(kit), override_reason="census DB late")
        assert kit_return.override_blockers[0]["code"] == "forms_not_received"
    finally:
        return_blocking.disconnect(sender=HandoverAct, dispatch_uid="test.forms")
