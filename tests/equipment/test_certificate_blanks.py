"""Certificate blanks (issue 19, item 9): handed over on signed acts − certificates issued in
the app − blanks returned = unaccounted, per institution; on the act's return page and in
the Department's report (with totals and XLSX); a return that closes its act while blanks
are unaccounted needs a note."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from enumeration import services as enumeration
from equipment.choices import ActStatus, Condition, ReturnOutcome
from equipment.services import KitReturnLine, handover_act_create, kit_return_record
from institutions.models import District, Region
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import DepartmentUserFactory

pytestmark = pytest.mark.django_db

BLANKS = reverse("equipment:blanks")


def _line(item) -> KitReturnLine:
    return KitReturnLine(
        item_id=item.pk,
        tablet_outcome=ReturnOutcome.RETURNED,
        components={
            code: ReturnOutcome.RETURNED
            for code, condition in item.components_at_handover.items()
            if condition != Condition.ABSENT
        },
    )


def _return(department_user, act, *, blanks: int, note: str = ""):
    return kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=act.received_by,
        lines=[_line(item) for item in act.items.filter(is_open=True)],
        certificate_blanks=blanks,
        note=note,
    )


def _certificates(officer, institution, count: int) -> None:
    for person in people(accepted_list(institution), count):
        enumerate_online(officer, person)
        enumeration.certificate_issue(actor=officer, respondent=person)


def _return_form(act, *, blanks: int, note: str = "") -> dict[str, object]:
    data: dict[str, object] = {
        "returned_on": "2021-11-02",
        "returned_by": act.received_by_id,
        "instruction_booklets": 0,
        "certificate_blanks": blanks,
        "note": note,
    }
    for item in act.items.all():
        data[f"kit{item.pk}_tablet"] = "returned"
        for code, condition in item.components_at_handover.items():
            if condition != Condition.ABSENT:
                data[f"kit{item.pk}_{code}"] = "returned"
    return data


@pytest.fixture
def two_acts_two_returns(make_act, staff_a, staff_b, kits, department_user, officer_a):
    """A: acts of 100 and 40 blanks, 3 certificates, returns of 30 and 100 blanks (7 left
    unaccounted, noted); B: one act of 20 blanks, nothing back; a draft of 500 for A that
    counts for nothing until signed."""
    first = make_act(staff=staff_a, kits=kits[:1], sign=True, certificate_blanks=100)
    second = make_act(staff=staff_a, kits=kits[1:2], sign=True, certificate_blanks=40)
    make_act(staff=staff_b, kits=kits[2:3], sign=True, certificate_blanks=20)
    handover_act_create(
        actor=department_user,
        institution=staff_a.institution,
        received_by=staff_a,
        kits=[],
        act_date=dt.date(2021, 9, 25),
        certificate_blanks=500,
    )
    _certificates(officer_a, staff_a.institution, 3)
    _return(department_user, first, blanks=30, note="Ward 2 keeps its blanks until October")
    _return(department_user, second, blanks=100, note="7 blanks spoilt by a printer jam")
    return first, second


def _numbers(response, key: str) -> list[str]:
    html = response.content.decode()
    row = html.split(f'data-institution="{key}"', 1)[1].split("</tr>", 1)[0]
    cells = row.split('class="num">')[1:]
    return [
        cell.split("</td>", 1)[0]
        .replace('<span class="badge badge-warn">', "")
        .replace("</span>", "")
        for cell in cells
    ]


def test_report_shows_the_arithmetic_of_two_acts_and_two_returns_with_totals(
    client_for, department_user, two_acts_two_returns, institution_a, institution_b
):
    response = client_for(department_user).get(BLANKS)
    assert response.status_code == 200
    # handed over, issued, returned, unaccounted
    assert _numbers(response, institution_a.bin) == ["140", "3", "130", "7"]
    assert _numbers(response, institution_b.bin) == ["20", "0", "0", "20"]
    assert _numbers(response, "total") == ["160", "3", "130", "27"]
    assert institution_a.name in response.content.decode()


def test_xlsx_export_has_the_same_numbers(client_for, department_user, two_acts_two_returns):
    response = client_for(department_user).get(BLANKS, {"format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    first, _second = two_acts_two_returns
    by_bin = {row[0]: row[2:] for row in rows[1:]}
    assert by_bin[first.institution.bin] == (140, 3, 130, 7)
    assert rows[-1][0] in ("", None)  # the total row: no BIN
    assert rows[-1][2:] == (160, 3, 130, 27)


def test_return_page_and_act_page_show_the_institutions_blanks(
    client_for, department_user, two_acts_two_returns, make_act, staff_a, officer_a
):
    first, _second = two_acts_two_returns
    html = client_for(officer_a).get(reverse("equipment:act_detail", args=[first.pk])).content
    text = html.decode()
    assert '<dd data-blanks="handed_over">140</dd>' in text
    assert '<dd data-blanks="issued">3</dd>' in text
    assert '<dd data-blanks="returned">130</dd>' in text
    assert "7</span></dd>" in text.split('data-blanks="unaccounted"', 1)[1]
    assert "7 blanks spoilt by a printer jam" in text or "Ward 2 keeps" in text
    third = make_act(staff=staff_a, kits=[], sign=True, certificate_blanks=10)
    page = client_for(department_user).get(reverse("equipment:act_return", args=[third.pk]))
    assert '<dd data-blanks="handed_over">150</dd>' in page.content.decode()


def test_a_return_closing_the_act_with_blanks_unaccounted_needs_a_note(
    client_for, department_user, make_act, staff_a, kits, officer_a
):
    department_user.language = "en"  # the msgid; kk and ru are tested on the service
    department_user.save(update_fields=["language"])
    act = make_act(staff=staff_a, kits=kits[:1], sign=True, certificate_blanks=50)
    _certificates(officer_a, staff_a.institution, 2)
    client = client_for(department_user)
    url = reverse("equipment:act_return", args=[act.pk])
    response = client.post(url, _return_form(act, blanks=40))
    assert response.status_code == 200
    assert act.returns.count() == 0
    assert (
        "Certificate blanks unaccounted for after this return: 8 (handed over on acts 50 − "
        "certificates issued in the app 2 − returned 40). Say in the note what became of them."
    ) in response.content.decode()
    assert "note" in response.context["form"].errors
    response = client.post(url, _return_form(act, blanks=40, note="8 blanks spoilt"))
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.CLOSED
    assert act.returns.get().note == "8 blanks spoilt"


def test_blanks_that_add_up_need_no_note_and_a_partial_return_needs_none(
    make_act, staff_a, kits, department_user, officer_a
):
    act = make_act(staff=staff_a, kits=kits[:2], sign=True, certificate_blanks=12)
    _certificates(officer_a, staff_a.institution, 2)
    items = list(act.items.order_by("pk"))
    # Kits still out: the blanks are still in use.
    kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 2),
        returned_by=staff_a,
        lines=[_line(items[0])],
    )
    _return(department_user, act, blanks=10)  # 12 − 2 − 10 = 0: closes without a note
    act.refresh_from_db()
    assert act.status == ActStatus.CLOSED


def test_the_note_refusal_is_translated(make_act, staff_a, kits, department_user):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True, certificate_blanks=5)
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        _return(department_user, act, blanks=0)
    assert "Бланк" in " ".join(refused.value.messages) or "бланк" in " ".join(
        refused.value.messages
    )
    with translation.override("kk"), pytest.raises(ValidationError) as refused:
        _return(department_user, act, blanks=0)
    assert "бланк" in " ".join(refused.value.messages).lower()


def test_officer_is_refused_the_report(client_for, officer_a, two_acts_two_returns):
    assert client_for(officer_a).get(BLANKS).status_code == 403
    assert client_for(officer_a).get(BLANKS, {"format": "xlsx"}).status_code == 403


def test_commission_sees_the_region_and_another_regions_department_sees_nothing(
    client_for, commission_user, two_acts_two_returns, institution_a
):
    response = client_for(commission_user).get(BLANKS)
    assert _numbers(response, institution_a.bin) == ["140", "3", "130", "7"]
    other_region = Region.objects.create(
        code="test-region", name_kk="Сынақ облысы", name_ru="Тестовая", name_en="Test region"
    )
    District.objects.create(
        region=other_region, code="test-district", name_kk="С", name_ru="Т", name_en="T"
    )
    elsewhere = DepartmentUserFactory(region=other_region)
    response = client_for(elsewhere).get(BLANKS)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert institution_a.bin not in response.content.decode()
    assert response.context["total"].handed_over == 0
