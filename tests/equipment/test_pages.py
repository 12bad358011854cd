import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from census_coord.uploads import default_limits
from equipment.choices import ActStatus, Component, ReturnOutcome
from equipment.models import HandoverAct
from tests.equipment.conftest import PDF_BYTES, scan
from tests.equipment.factories import TabletKitFactory

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\0" * 64


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("language", "title"),
    [("kk", "қабылдау-тапсыру актісі"), ("ru", "Акт приема-передачи")],
)
def test_act_pdf_names_the_act_and_the_holder(
    client_for, officer_a, make_act, staff_a, kits, language, title
):
    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    response = client_for(officer_a).get(
        reverse("equipment:act_pdf", args=[act.pk]), {"lang": language}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    assert f"№ {act.number}" in text or f"No. {act.number}" in text
    assert "Әлия Қасымова" in text
    assert title.lower() in text.lower()
    assert kits[0].serial in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_return_pdf_names_the_return_and_the_holder(
    client_for, department_user, make_act, staff_a, kits, language
):
    from equipment.services import KitReturnLine, kit_return_record

    act = make_act(staff=staff_a, kits=kits[:1], sign=True)
    item = act.items.get()
    kit_return = kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 3),
        returned_by=staff_a,
        lines=[
            KitReturnLine(
                item_id=item.pk,
                tablet_outcome=ReturnOutcome.RETURNED,
                components=dict.fromkeys(Component.values, ReturnOutcome.RETURNED),
            )
        ],
    )
    response = client_for(department_user).get(
        reverse("equipment:return_pdf", args=[kit_return.pk]), {"lang": language}
    )
    assert response.status_code == 200
    text = _pdf_text(response)
    assert str(act.number) in text
    assert "Әлия Қасымова" in text


def test_officer_of_a_gets_404_for_b_objects(
    client_for, officer_a, make_act, staff_b, kits, department_user
):
    act = make_act(staff=staff_b, kits=kits[:1], sign=True)
    client = client_for(officer_a)
    for name in ("act_detail", "act_scan"):
        assert client.get(reverse(f"equipment:{name}", args=[act.pk])).status_code == 404
    url = reverse("equipment:act_pdf", args=[act.pk])
    assert client.get(url, {"lang": "kk"}).status_code == 404
    overview = client.get(reverse("equipment:overview"))
    assert overview.status_code == 200
    assert kits[0].inventory_number not in overview.content.decode()
    kit_page = client.get(reverse("equipment:kit_list"))
    assert kits[0].inventory_number not in kit_page.content.decode()
    act_page = client.get(reverse("equipment:act_list"))
    assert reverse("equipment:act_detail", args=[act.pk]) not in act_page.content.decode()


def test_officer_sees_own_kits_and_acts_and_downloads_scan(
    client_for, officer_a, make_act, staff_a, kits
):
    act = make_act(staff=staff_a, kits=kits[:2], sign=True)
    client = client_for(officer_a)
    page = client.get(reverse("equipment:overview")).content.decode()
    assert kits[0].inventory_number in page
    assert kits[2].inventory_number not in page  # still in the Department's store
    detail = client.get(reverse("equipment:act_detail", args=[act.pk]))
    assert detail.status_code == 200
    assert "Record a return" not in detail.content.decode()
    scan_response = client.get(reverse("equipment:act_scan", args=[act.pk]))
    assert scan_response.status_code == 200
    assert scan_response["Content-Type"] == "application/pdf"
    assert b"".join(scan_response.streaming_content) == PDF_BYTES


def test_officer_cannot_reach_department_pages(client_for, officer_a, make_act, staff_a, kits):
    act = make_act(staff=staff_a, kits=kits[:1])
    client = client_for(officer_a)
    assert client.get(reverse("equipment:act_create")).status_code == 403
    assert client.get(reverse("equipment:act_sign", args=[act.pk])).status_code == 403
    assert client.get(reverse("equipment:act_return", args=[act.pk])).status_code == 403
    assert client.post(reverse("equipment:act_cancel", args=[act.pk])).status_code == 403
    assert client.get(reverse("equipment:overdue")).status_code == 403


def test_commission_reads_but_cannot_write(client_for, commission_user, make_act, staff_a, kits):
    act = make_act(staff=staff_a, kits=kits[:1])
    client = client_for(commission_user)
    assert client.get(reverse("equipment:overview")).status_code == 200
    assert client.get(reverse("equipment:act_detail", args=[act.pk])).status_code == 200
    assert client.get(reverse("equipment:act_create")).status_code == 403


def test_department_drafts_an_act_through_the_form(client_for, department_user, staff_a, kits):
    client = client_for(department_user)
    assert client.get(reverse("equipment:act_create")).status_code == 200
    response = client.post(
        reverse("equipment:act_create"),
        {
            "received_by": staff_a.pk,
            "act_date": "2021-09-20",
            "kits": [kits[0].pk, kits[1].pk],
            "instruction_booklets": 2,
            "certificate_blanks": 50,
        },
    )
    act = HandoverAct.objects.get()
    assert response.status_code == 302
    assert act.items.count() == 2
    assert act.institution == staff_a.institution
    page = client.get(reverse("equipment:overview")).content.decode()
    assert reverse("equipment:act_detail", args=[act.pk]) in page  # awaiting signature


def _sign(client, act, upload):
    return client.post(
        reverse("equipment:act_sign", args=[act.pk]),
        {
            "department_signed_on": "2021-09-21",
            "recipient_signed_on": "2021-09-21",
            "signed_scan": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("act.pdf", PDF_BYTES, "application/pdf"),
        ("photo.JPG", JPEG_BYTES, "image/jpeg"),
        ("scan.png", PNG_BYTES, "image/png"),
    ],
)
def test_signed_scan_accepts_pdf_jpeg_png(
    client_for, department_user, make_act, staff_a, kits, name, content, content_type
):
    act = make_act(staff=staff_a, kits=kits[:1])
    response = _sign(client_for(department_user), act, scan(name, content))
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.SIGNED
    assert act.signed_scan_type == content_type
    assert name not in act.signed_scan.name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("act.pdf", b"<html><script>alert(1)</script></html>"),  # a PDF by name only
        ("act.exe", b"MZ\x90\x00" + b"\0" * 32),
        ("empty.pdf", b""),
    ],
)
def test_signed_scan_rejects_other_content(
    client_for, department_user, make_act, staff_a, kits, name, content
):
    act = make_act(staff=staff_a, kits=kits[:1])
    response = _sign(client_for(department_user), act, scan(name, content))
    assert response.status_code == 200
    assert response.context["form"].errors["signed_scan"]
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT
    assert not act.signed_scan


def test_signed_scan_rejects_a_file_over_the_limit(
    client_for, department_user, make_act, staff_a, kits
):
    act = make_act(staff=staff_a, kits=kits[:1])
    big = PDF_BYTES + b"0" * default_limits().max_bytes
    response = _sign(client_for(department_user), act, scan("big.pdf", big))
    assert response.status_code == 200
    assert "signed_scan" in response.context["form"].errors
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT


def test_department_records_a_partial_return_through_the_form(
    client_for, department_user, make_act, staff_a, kits
):
    act = make_act(staff=staff_a, kits=kits[:2], sign=True)
    items = list(act.items.order_by("pk"))
    client = client_for(department_user)
    assert client.get(reverse("equipment:act_return", args=[act.pk])).status_code == 200
    data = {
        "returned_on": "2021-11-02",
        "returned_by": staff_a.pk,
        "instruction_booklets": 0,
        "certificate_blanks": 0,
        f"kit{items[0].pk}_tablet": "returned",
    }
    for item in items:
        for code in Component.values:
            data[f"kit{item.pk}_{code}"] = "returned"
    data[f"kit{items[0].pk}_stylus"] = "missing"
    data[f"kit{items[0].pk}_stylus_note"] = "lost in the ward"
    response = client.post(reverse("equipment:act_return", args=[act.pk]), data)
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.PARTLY_RETURNED
    items[0].refresh_from_db()
    assert items[0].components_at_return["stylus"] == {
        "outcome": "missing",
        "note": "lost in the ward",
    }


def test_overdue_lists_kits_per_institution_and_holder(
    client_for, department_user, make_act, staff_a, staff_b, kits
):
    from equipment.selectors import overdue_by_holder
    from institutions.selectors import campaign_get_active

    make_act(staff=staff_a, kits=kits[:2], sign=True)
    make_act(staff=staff_b, kits=kits[2:], sign=True)
    campaign = campaign_get_active()
    before = campaign.kit_return_deadline
    after = before + dt.timedelta(days=1)
    assert overdue_by_holder(user=department_user, today=before) == []
    groups = overdue_by_holder(user=department_user, today=after)
    assert [(g.holder, len(g.items)) for g in groups] == [(staff_a, 2), (staff_b, 1)] or [
        (g.holder, len(g.items)) for g in groups
    ] == [(staff_b, 1), (staff_a, 2)]
    officer_view = overdue_by_holder(
        user=staff_a.institution.users.first() or department_user, today=after
    )
    assert officer_view


def test_officer_overdue_selector_sees_only_own(officer_a, make_act, staff_a, staff_b, kits):
    from equipment.selectors import overdue_items
    from institutions.selectors import campaign_get_active

    make_act(staff=staff_a, kits=kits[:1], sign=True)
    make_act(staff=staff_b, kits=kits[1:], sign=True)
    after = campaign_get_active().kit_return_deadline + dt.timedelta(days=1)
    assert {i.act.institution_id for i in overdue_items(user=officer_a, today=after)} == {
        staff_a.institution_id
    }


def test_overdue_export_is_xlsx(client_for, department_user):
    response = client_for(department_user).get(reverse("equipment:overdue"), {"format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_pdf_language_must_be_kk_or_ru(client_for, department_user, make_act, staff_a, kits):
    act = make_act(staff=staff_a, kits=kits[:1])
    url = reverse("equipment:act_pdf", args=[act.pk])
    assert client_for(department_user).get(url, {"lang": "xx"}).status_code == 404


def test_kit_list_filters_by_state(client_for, department_user, make_act, staff_a, kits):
    make_act(staff=staff_a, kits=kits[:1])
    TabletKitFactory(inventory_number="INV-STOCK")
    page = client_for(department_user).get(reverse("equipment:kit_list"), {"state": "in_stock"})
    assert "INV-STOCK" in page.content.decode()
    assert kits[0].inventory_number not in page.content.decode()


def test_officer_of_a_gets_404_for_b_return_pdf(
    client_for, officer_a, department_user, make_act, staff_b, kits
):
    from equipment.services import KitReturnLine, kit_return_record

    act = make_act(staff=staff_b, kits=kits[:1], sign=True)
    item = act.items.get()
    kit_return = kit_return_record(
        actor=department_user,
        act=act,
        returned_on=dt.date(2021, 11, 3),
        returned_by=staff_b,
        lines=[
            KitReturnLine(
                item_id=item.pk,
                tablet_outcome=ReturnOutcome.RETURNED,
                components=dict.fromkeys(Component.values, ReturnOutcome.RETURNED),
            )
        ],
    )
    url = reverse("equipment:return_pdf", args=[kit_return.pk])
    assert client_for(officer_a).get(url, {"lang": "ru"}).status_code == 404


def test_kit_list_unknown_state_lists_every_kit(
    client_for, department_user, make_act, staff_a, kits
):
    make_act(staff=staff_a, kits=kits[:1])
    page = client_for(department_user).get(reverse("equipment:kit_list"), {"state": "lost"})
    html = page.content.decode()
    assert all(kit.inventory_number in html for kit in kits)


def test_act_list_filters_by_status(client_for, department_user, make_act, staff_a, kits):
    signed = make_act(staff=staff_a, kits=kits[:1], sign=True)
    draft = make_act(staff=staff_a, kits=kits[1:2])
    client = client_for(department_user)
    shown = client.get(reverse("equipment:act_list"), {"status": "signed"}).context["page"]
    assert list(shown) == [signed]
    everyone = client.get(reverse("equipment:act_list"), {"status": "lost"}).context["page"]
    assert set(everyone) == {signed, draft}
