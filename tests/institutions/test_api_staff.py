"""REST of the institutions' own part (institutions/api/staff.py): the institution's client
reports its order, staff, premises and computer and seminar attendance, signs staff up; the
Department's client confirms or returns; another institution sees and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from institutions.choices import ReportState
from institutions.models import (
    AppointmentOrder,
    Provisioning,
    Region,
    ResponsibleStaff,
    SeminarAttendance,
)
from tests.factories import CommissionUserFactory, ResponsibleStaffFactory, api_client_key
from tests.institutions.factories import SeminarFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ORDERS = "/api/v1/appointment-orders/"
STAFF = "/api/v1/staff/"


@pytest.fixture(autouse=True)
def _census_day_and_media(settings, tmp_path):
    settings.CENSUS_TODAY = dt.date(2021, 8, 1)
    settings.MEDIA_ROOT = tmp_path / "media"


def _auth(institution=None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {api_client_key(institution=institution)}"}


def _order_body(**changes):
    return {
        "number": "12-ө",
        "date": "2021-05-20",
        "signed_by": "Ахметов Бауыржан",
        "scan": SimpleUploadedFile("order.pdf", PDF_BYTES, content_type="application/pdf"),
        **changes,
    }


def _json(client, method, url, body, **headers):
    return getattr(client, method)(url, body, content_type="application/json", **headers)


@pytest.fixture
def client_a(institution_a):
    return _auth(institution_a)


@pytest.fixture
def order_a(client, client_a):
    response = client.post(ORDERS, _order_body(), **client_a)
    assert response.status_code == 201, response.json()
    return AppointmentOrder.objects.get(pk=response.json()["id"])


@pytest.fixture
def staff_a(client, client_a, order_a):
    body = {"order": order_a.pk, "full_name": "Серікбаев Дәурен", "position": "Бухгалтер"}
    response = _json(client, "post", STAFF, body, **client_a)
    assert response.status_code == 201, response.json()
    return ResponsibleStaff.objects.get(pk=response.json()["id"])


def test_institution_client_reports_its_order_once(client, client_a, institution_a):
    response = client.post(ORDERS, _order_body(), **client_a)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["date"], body["has_scan"], body["report_state"]) == (
        "12-ө",
        "2021-05-20",
        True,
        "reported",
    )
    order = AppointmentOrder.objects.get(institution=institution_a)
    assert (order.report_state, order.signed_by) == (ReportState.REPORTED, "Ахметов Бауыржан")
    assert order.scan
    retry = client.post(ORDERS, _order_body(), **client_a)
    assert retry.status_code == 200
    assert retry.json()["id"] == order.pk
    assert AppointmentOrder.objects.filter(institution=institution_a).count() == 1


def test_an_order_without_its_scan_is_refused_with_the_field(client, client_a):
    body = _order_body()
    del body["scan"]
    response = client.post(ORDERS, body, **client_a)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "scan"
    assert not AppointmentOrder.objects.exists()


def test_staff_and_provisioning_are_reported_then_confirmed(client, client_a, staff_a, order_a):
    assert (staff_a.report_state, staff_a.order_id, staff_a.full_name) == (
        ReportState.REPORTED,
        order_a.pk,
        "Серікбаев Дәурен",
    )
    retry = _json(
        client, "post", STAFF, {"order": order_a.pk, "full_name": "Серікбаев Дәурен"}, **client_a
    )
    assert retry.status_code == 200
    assert ResponsibleStaff.objects.filter(order=order_a).count() == 1

    provisioning = {
        "premises_provided": True,
        "premises_date": "2021-07-01",
        "computer_provided": False,
    }
    url = f"{STAFF}{staff_a.pk}/provisioning/"
    response = _json(client, "put", url, provisioning, **client_a)
    assert response.status_code == 200, response.json()
    stored = Provisioning.objects.get(staff=staff_a)
    assert (stored.premises_date, stored.computer_provided, stored.report_state) == (
        dt.date(2021, 7, 1),
        False,
        ReportState.REPORTED,
    )
    assert client.get(f"{STAFF}{staff_a.pk}/", **client_a).json()["provisioning"]["id"] == (
        stored.pk
    )

    department = _auth()
    confirm = client.post(f"{STAFF}{staff_a.pk}/confirm/", **department)
    assert confirm.status_code == 200, confirm.json()
    assert confirm.json()["report_state"] == "confirmed"
    assert client.post(f"{STAFF}{staff_a.pk}/confirm/", **department).status_code == 200
    staff_a.refresh_from_db()
    assert staff_a.report_state == ReportState.CONFIRMED

    returned = _json(
        client,
        "post",
        f"/api/v1/provisioning/{stored.pk}/return/",
        {"comment": "Компьютер қашан беріледі?"},
        **department,
    )
    assert returned.status_code == 200, returned.json()
    stored.refresh_from_db()
    assert (stored.report_state, stored.review_comment) == (
        ReportState.RETURNED,
        "Компьютер қашан беріледі?",
    )


def test_a_return_needs_a_comment_and_a_confirmed_item_stays(client, order_a):
    department = _auth()
    url = f"{ORDERS}{order_a.pk}/return/"
    response = _json(client, "post", url, {"comment": ""}, **department)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "comment"
    assert client.post(f"{ORDERS}{order_a.pk}/confirm/", **department).status_code == 200
    refused = _json(client, "post", url, {"comment": "Қате"}, **department)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "report_not_waiting"
    order_a.refresh_from_db()
    assert order_a.report_state == ReportState.CONFIRMED


def test_the_institution_cannot_confirm_its_own_report(client, client_a, order_a, officer_a):
    assert client.post(f"{ORDERS}{order_a.pk}/confirm/", **client_a).status_code == 403
    client.force_login(officer_a)
    assert client.post(f"{ORDERS}{order_a.pk}/confirm/").status_code == 403
    order_a.refresh_from_db()
    assert order_a.report_state == ReportState.REPORTED


def test_another_institution_sees_and_changes_nothing_of_a(
    client, staff_a, order_a, institution_b, officer_b
):
    client_b = _auth(institution_b)
    assert client.get(STAFF, **client_b).json()["count"] == 0
    assert client.get(ORDERS, **client_b).json()["count"] == 0
    assert client.get(f"{STAFF}{staff_a.pk}/", **client_b).status_code == 404
    assert client.get(f"{ORDERS}{order_a.pk}/", **client_b).status_code == 404
    body = {"order": order_a.pk, "full_name": "Бөтен Адам"}
    refused = _json(client, "post", STAFF, body, **client_b)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "order"
    put = _json(client, "put", f"{STAFF}{staff_a.pk}/", body, **client_b)
    assert put.status_code == 404
    provisioning = {"premises_provided": False, "computer_provided": False}
    assert (
        _json(client, "put", f"{STAFF}{staff_a.pk}/provisioning/", provisioning, **client_b)
    ).status_code == 404
    client.force_login(officer_b)
    assert client.get(f"{STAFF}{staff_a.pk}/").status_code == 404
    assert ResponsibleStaff.objects.filter(full_name="Бөтен Адам").count() == 0
    assert not Provisioning.objects.exists()


def test_commission_reads_but_reports_nothing(client, client_a, staff_a):
    client.force_login(CommissionUserFactory())
    assert client.get(STAFF).json()["count"] == 1
    assert client.post(ORDERS, _order_body()).status_code == 403
    assert client.post(f"{STAFF}{staff_a.pk}/confirm/").status_code == 403


def test_department_filters_what_waits_for_review(client, staff_a, order_a, institution_a):
    ResponsibleStaffFactory(institution=institution_a)  # the Department's own: confirmed
    response = client.get(STAFF, {"report_state": "reported"}, **_auth())
    assert [row["id"] for row in response.json()["results"]] == [staff_a.pk]
    assert client.get(STAFF, {"report_state": "done"}, **_auth()).status_code == 400


# --- seminars --------------------------------------------------------------------------


def test_client_signs_staff_up_once_reports_attendance_and_cancels(
    client, client_a, institution_a, settings
):
    seminar = SeminarFactory(date=dt.date(2021, 8, 10))
    staff = ResponsibleStaffFactory(institution=institution_a)
    other = ResponsibleStaffFactory(institution=institution_a)
    url = f"/api/v1/seminars/{seminar.pk}/sign-ups/"
    response = _json(client, "post", url, {"staff": staff.pk}, **client_a)
    assert response.status_code == 201, response.json()
    assert response.json()["staff_name"] == staff.full_name
    assert _json(client, "post", url, {"staff": staff.pk}, **client_a).status_code == 200
    assert SeminarAttendance.objects.filter(seminar=seminar, staff=staff).count() == 1
    second = _json(client, "post", url, {"staff": other.pk}, **client_a).json()

    listed = client.get("/api/v1/seminars/", **client_a).json()["results"]
    [row] = [item for item in listed if item["id"] == seminar.pk]
    assert row["upcoming"] is True
    assert {r["staff"] for r in row["registrations"]} == {staff.pk, other.pk}

    cancel = client.delete(f"/api/v1/seminar-attendances/{second['id']}/", **client_a)
    assert cancel.status_code == 204
    assert not SeminarAttendance.objects.filter(staff=other).exists()

    settings.CENSUS_TODAY = dt.date(2021, 8, 11)  # the seminar has taken place
    attendance = SeminarAttendance.objects.get(seminar=seminar, staff=staff)
    attended = client.post(f"/api/v1/seminar-attendances/{attendance.pk}/attended/", **client_a)
    assert attended.status_code == 200, attended.json()
    attendance.refresh_from_db()
    assert (attendance.attended, attendance.report_state) == (True, ReportState.REPORTED)
    retry = client.post(f"/api/v1/seminar-attendances/{attendance.pk}/attended/", **client_a)
    assert retry.status_code == 200
    confirm = client.post(f"/api/v1/seminar-attendances/{attendance.pk}/confirm/", **_auth())
    assert confirm.json()["report_state"] == "confirmed"
    late = _json(client, "post", url, {"staff": other.pk}, **client_a)
    assert late.status_code == 400
    assert late.json()["errors"][0]["code"] == "seminar_sign_up_closed"


def test_seminars_show_only_ones_own_registrations(client, institution_a, institution_b):
    seminar = SeminarFactory(date=dt.date(2021, 8, 10))
    staff_a = ResponsibleStaffFactory(institution=institution_a)
    SeminarAttendance.objects.create(seminar=seminar, staff=staff_a, attended=False)
    client_b = _auth(institution_b)
    listed = client.get(f"/api/v1/seminars/{seminar.pk}/", **client_b).json()
    assert listed["registrations"] == []
    assert staff_a.full_name not in str(listed)
    attendance = SeminarAttendance.objects.get(staff=staff_a)
    assert (
        client.get(f"/api/v1/seminar-attendances/{attendance.pk}/", **client_b).status_code == 404
    )
    assert (
        client.delete(f"/api/v1/seminar-attendances/{attendance.pk}/", **client_b).status_code
        == 404
    )
    response = _json(
        client,
        "post",
        f"/api/v1/seminars/{seminar.pk}/sign-ups/",
        {"staff": staff_a.pk},
        **client_b,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "staff"
    assert SeminarAttendance.objects.filter(seminar=seminar).count() == 1


def test_department_of_another_region_cannot_review_or_see_the_item(client, order_a):
    elsewhere = Region.objects.create(code="elsewhere", name_kk="Басқа", name_ru="Другая")
    other = _auth_region(elsewhere)
    assert client.get(f"{ORDERS}{order_a.pk}/", **other).status_code == 404
    assert client.get(ORDERS, **other).json()["count"] == 0
    response = client.post(f"{ORDERS}{order_a.pk}/confirm/", **other)
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "errors"}
    order_a.refresh_from_db()
    assert order_a.report_state == ReportState.REPORTED


def _auth_region(region) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {api_client_key(region=region)}"}
