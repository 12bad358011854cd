"""Forms held vs delivered per tablet (issue 19, items 7 and 8): the sync board shows per
kit the forms it sent, those the census database received (forms naming the tablet), the
missing ones and the last delivery, with a filter for tablets still holding forms; and a kit
whose forms are not all received does not come back without the Department's override."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from equipment.choices import ActStatus, Condition, ReturnOutcome
from equipment.models import HandoverItem
from equipment.services import KitReturnLine, kit_return_record
from institutions.models import Region
from tests.censusdb.helpers import form, run_export
from tests.enumeration.stage2 import accepted_list, people
from tests.factories import DepartmentUserFactory, ResponsibleStaffFactory
from tests.sync.factories import kit_hand_over, usb_offload, vpn_sync

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kits(department_user, officer_a, officer_b, institution_a, institution_b):
    """A's kit ``complete`` (5 sent, 5 received), A's kit ``missing`` (6 sent, 4 received,
    named by serial number and IMEI), B's kit ``other`` (3 sent, 0 received)."""
    for user in (department_user, officer_a, officer_b):
        user.language = "en"
        user.save(update_fields=["language"])
    staff_a = ResponsibleStaffFactory(institution=institution_a, user=officer_a)
    staff_b = ResponsibleStaffFactory(institution=institution_b, user=officer_b)
    complete, _key = kit_hand_over(department_user=department_user, staff=staff_a)
    missing, _key = kit_hand_over(department_user=department_user, staff=staff_a)
    other, _key = kit_hand_over(department_user=department_user, staff=staff_b)
    vpn_sync(complete, form_count=2)
    vpn_sync(complete, form_count=3)
    vpn_sync(missing, form_count=4)
    usb_offload(missing, actor=department_user, form_count=2)
    vpn_sync(other, form_count=3)
    listed = people(accepted_list(institution_a), 9)
    refs = [complete.inventory_number] * 5 + [missing.serial] * 2 + [missing.imei] * 2
    rows = [
        form(f"T-{n}", person, Method="tablet", Tablet=ref,
             **{"Completed at": f"{n + 1:02d}.10.2021 10:00"})
        for n, (person, ref) in enumerate(zip(listed, refs, strict=True))
    ]  # fmt: skip
    rows.append(form("O-1", listed[0], Tablet=""))  # an online form: nobody's tablet
    run_export(department_user, rows)
    return {"complete": complete, "missing": missing, "other": other}


def _cells(html: str, kit) -> list[str]:
    """The text of the board row's cells of ``kit``."""
    row = re.search(
        rf"<tr>\s*<th scope=\"row\">(?:<a [^>]*>)?{kit.inventory_number}.*?</tr>", html, re.S
    )
    assert row, kit.inventory_number
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def _board(client, **params) -> str:
    return client.get(reverse("sync:board"), params).content.decode()


def test_board_shows_sent_received_missing_and_last_delivery(client_for, department_user, kits):
    html = _board(client_for(department_user))
    assert "Forms received by the census database" in html
    # Institution, last sync, in last sync, in all syncs (sent), received, missing, last delivery.
    complete = _cells(html, kits["complete"])
    assert complete[4:8] == ["5", "5", "0", "05.10.2021 10:00"]
    missing = _cells(html, kits["missing"])
    assert missing[4:8] == ["6", "4", "2", "09.10.2021 10:00"]
    other = _cells(html, kits["other"])
    assert other[4:8] == ["3", "0", "3", "—"]


def test_filter_narrows_the_board_to_tablets_holding_forms(client_for, department_user, kits):
    client = client_for(department_user)
    shown = {
        name for name, kit in kits.items() if kit.inventory_number in _board(client, holding="1")
    }
    assert shown == {"missing", "other"}
    everyone = _board(client, holding="maybe")  # unknown: ignored
    assert all(kit.inventory_number in everyone for kit in kits.values())


def test_officer_sees_own_tablets_only(client_for, officer_a, kits):
    html = _board(client_for(officer_a), holding="1")
    assert kits["missing"].inventory_number in html
    assert kits["other"].inventory_number not in html
    assert kits["complete"].inventory_number not in html
    # The officer's board has no institution column.
    assert _cells(html, kits["missing"])[3:7] == ["6", "4", "2", "09.10.2021 10:00"]


def test_another_regions_department_sees_no_tablet(client_for, kits):
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    html = _board(client_for(DepartmentUserFactory(username="other_dept", region=elsewhere)))
    assert not any(kit.inventory_number in html for kit in kits.values())


def _return(actor, kit, **extra):
    item = HandoverItem.objects.select_related("act").get(kit=kit, is_open=True)
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


MISSING_TWO = (
    "sent 6 census forms; the census database has received 4 of them: 2 forms are missing."
)


def test_return_of_a_kit_with_missing_forms_is_refused_then_overridden(department_user, kits):
    from sync.models import SyncRecord
    from sync.services import usb_offload_mark_uploaded, usb_offload_mark_verified

    # The USB offload is delivered and verified: only the missing forms block.
    offload = SyncRecord.objects.get(kit=kits["missing"], channel="usb")
    usb_offload_mark_verified(
        actor=department_user,
        record=usb_offload_mark_uploaded(actor=department_user, record=offload),
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _return(department_user, kits["missing"])
    assert refused.value.code == "kit_data_undelivered"
    assert f"Tablet {kits['missing'].inventory_number} {MISSING_TWO}" in refused.value.messages[0]
    kit_return = _return(department_user, kits["missing"], override_reason="forms resent by VPN")
    assert kit_return.override_reason == "forms resent by VPN"
    assert [b["code"] for b in kit_return.override_blockers] == ["forms_not_received"]
    assert kit_return.act.status == ActStatus.CLOSED


def test_a_kit_with_every_form_received_comes_back(department_user, kits):
    kit_return = _return(department_user, kits["complete"])
    assert kit_return.override_blockers == []


def test_return_page_names_the_tablet_and_the_missing_forms(client_for, department_user, kits):
    item = HandoverItem.objects.get(kit=kits["other"], is_open=True)
    page = client_for(department_user).get(reverse("equipment:act_return", args=[item.act_id]))
    text = page.content.decode()
    assert f"Tablet {kits['other'].inventory_number} sent 3 census forms" in text
    assert "3 forms are missing." in text


def test_nothing_blocks_before_the_first_import(department_user, officer_a, institution_a):
    staff = ResponsibleStaffFactory(institution=institution_a, user=officer_a)
    kit, _key = kit_hand_over(department_user=department_user, staff=staff)
    vpn_sync(kit, form_count=4)
    assert _return(department_user, kit).override_blockers == []


def test_refusal_is_translated(department_user, kits):
    for language, words in (
        ("ru", "переписных листов"),
        ("kk", "санақ парағы"),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            _return(department_user, kits["other"])
        message = refused.value.messages[0]
        assert kits["other"].inventory_number in message
        assert words in message
        assert "census forms" not in message


def test_without_the_census_db_provider_the_board_shows_no_received_columns(
    client_for, department_user, kits
):
    from sync import hooks

    saved = list(hooks._providers)
    hooks._providers.clear()
    try:
        html = _board(client_for(department_user))
        assert "Forms received by the census database" not in html
        assert _cells(html, kits["missing"])[4] == "6"  # sent still shown
    finally:
        hooks._providers[:] = saved


@pytest.mark.parametrize(
    ("language", "header", "choice"),
    [
        ("ru", "Получено базой данных переписи", "Планшеты с листами, которых нет в базе"),
        ("kk", "Санақ дерекқоры алған парақтар", "Санақ дерекқорында жоқ парақтары бар"),
    ],
)
def test_board_columns_and_filter_are_translated(
    client_for, officer_a, kits, language, header, choice
):
    officer_a.language = language
    officer_a.save(update_fields=["language"])
    html = _board(client_for(officer_a))
    assert header in html
    assert choice in html
    assert "Forms missing" not in html
