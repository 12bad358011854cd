"""The institution does its part (¶5–7): the officer reports the head's order, the staff it
appoints, their premises and computer and seminar attendance; the Department confirms or
returns each item, and only confirmed items count on the readiness checklist."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from institutions import services
from institutions.choices import ReportState
from institutions.models import AppointmentOrder, ResponsibleStaff, SeminarAttendance
from institutions.selectors import campaign_get_active, institution_readiness_get
from tests.factories import ResponsibleStaffFactory
from tests.institutions.factories import SeminarFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2021, 8, 1)


@pytest.fixture(autouse=True)
def _census_day_and_media(settings, tmp_path):
    settings.CENSUS_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"


def _in_english(*users) -> None:
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def _scan(content: bytes = PDF_BYTES, name: str = "order.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _states(user, institution) -> dict[str, bool]:
    readiness = institution_readiness_get(
        user=user, campaign=campaign_get_active(), pk=institution.pk
    )
    return {item.code: result.done for item, result in readiness.results}


def _report_order(officer, **changes) -> AppointmentOrder:
    fields = {
        "number": "12-ө",
        "date": dt.date(2021, 5, 20),
        "signed_by": "Ахметов Бауыржан",
        "scan": _scan(),
    }
    return services.appointment_order_report(
        actor=officer, institution=officer.institution, **{**fields, **changes}
    )


def _report_staff(officer, order, **changes) -> ResponsibleStaff:
    fields = {"full_name": "Серікбаев Дәурен", "position": "Бухгалтер", "phone": "+7 701 1"}
    return services.staff_report(actor=officer, order=order, **{**fields, **changes})


def test_officer_reports_on_pages_and_only_confirmed_staff_count(
    client_for, officer_a, department_user
):
    _in_english(officer_a)
    client = client_for(officer_a)
    response = client.post(
        reverse("institutions:order_report"),
        {"number": "12-ө", "date": "2021-05-20", "signed_by": "Ахметов Б.", "scan": _scan()},
    )
    assert response.status_code == 302
    order = AppointmentOrder.objects.get(institution=officer_a.institution)
    assert (order.number, order.report_state, order.scan_type) == (
        "12-ө",
        ReportState.REPORTED,
        "application/pdf",
    )
    response = client.post(
        reverse("institutions:staff_report"),
        {
            "order": order.pk,
            "full_name": "Серікбаев Дәурен",
            "position": "Бухгалтер",
            "phone": "+7 701 555 11 22",
            "census_role": "Тізім жасайды",
        },
    )
    assert response.status_code == 302
    staff = ResponsibleStaff.objects.get(institution=officer_a.institution)
    assert (staff.order_number, staff.appointed_by, staff.census_role) == (
        "12-ө",
        "Ахметов Б.",
        "Тізім жасайды",
    )
    page = client.get(reverse("institutions:staff_part")).content.decode()
    assert "Серікбаев Дәурен" in page
    assert "Reported by the institution" in page
    assert _states(department_user, officer_a.institution)["staff_appointed"] is False

    client = client_for(department_user)
    queue = client.get(reverse("institutions:report_queue")).content.decode()
    assert "Серікбаев Дәурен" in queue
    assert "12-ө" in queue
    client.post(reverse("institutions:report_confirm", args=["staff", staff.pk]))
    # The staff member is confirmed but the order appointing them is not yet.
    assert _states(department_user, officer_a.institution)["staff_appointed"] is False
    client.post(reverse("institutions:report_confirm", args=["order", order.pk]))
    assert _states(department_user, officer_a.institution)["staff_appointed"] is True
    order.refresh_from_db()
    assert (order.report_state, order.reviewed_by) == (ReportState.CONFIRMED, department_user)


def test_returned_item_shows_the_comment_and_does_not_count_until_confirmed(
    client_for, officer_a, department_user
):
    _in_english(officer_a)
    order = _report_order(officer_a)
    services.report_confirm(actor=department_user, item=order)
    staff = _report_staff(officer_a, order)
    client_for(department_user).post(
        reverse("institutions:report_return", args=["staff", staff.pk]),
        {"comment": "Телефон нөмірі толық емес"},
    )
    staff.refresh_from_db()
    assert staff.report_state == ReportState.RETURNED
    assert _states(department_user, officer_a.institution)["staff_appointed"] is False

    home = client_for(officer_a).get(reverse("institutions:officer_home")).content.decode()
    assert "Returned by the Department" in home
    assert "Телефон нөмірі толық емес" in home

    client_for(officer_a).post(
        reverse("institutions:staff_correct", args=[staff.pk]),
        {"order": order.pk, "full_name": staff.full_name, "phone": "+7 701 555 11 22"},
    )
    staff.refresh_from_db()
    assert (staff.report_state, staff.phone) == (ReportState.REPORTED, "+7 701 555 11 22")
    assert _states(department_user, officer_a.institution)["staff_appointed"] is False
    services.report_confirm(actor=department_user, item=staff)
    assert _states(department_user, officer_a.institution)["staff_appointed"] is True


def test_officer_home_counts_what_waits_and_lists_only_what_was_returned(
    client_for, officer_a, department_user
):
    _in_english(officer_a)
    client = client_for(officer_a)
    url = reverse("institutions:officer_home")
    waits = "reported item waits for the Department"
    wait = "reported items wait for the Department"
    home = client.get(url).content.decode()
    assert (waits in home, wait in home, "Returned by the Department" in home) == (
        False,
        False,
        False,
    )
    order = _report_order(officer_a)
    staff = _report_staff(officer_a, order)
    home = client.get(url).content.decode()
    assert f"2 {wait}" in home  # an order and a staff member, two kinds
    assert "Returned by the Department" not in home
    services.report_return(actor=department_user, item=staff, comment="Телефон толық емес")
    home = client.get(url).content.decode()
    assert f"1 {waits}" in home
    assert "Returned by the Department" in home
    assert home.count("Телефон толық емес") == 1
    assert "Серікбаев Дәурен" in home[home.index("Returned by the Department") :]


def test_confirmed_item_cannot_be_changed_by_the_officer(officer_a, department_user):
    order = _report_order(officer_a)
    services.report_confirm(actor=department_user, item=order)
    with pytest.raises(services.ValidationError) as error:
        _report_order(officer_a, order=order, number="13-ө", scan=None)
    assert error.value.code == "report_confirmed"


def test_provisioning_counts_once_the_department_confirms_it(officer_a, department_user):
    staff = ResponsibleStaffFactory(institution=officer_a.institution)
    provisioning = services.provisioning_report(
        actor=officer_a,
        staff=staff,
        premises_provided=True,
        premises_date=dt.date(2021, 7, 1),
        computer_provided=True,
        computer_date=dt.date(2021, 7, 2),
    )
    assert _states(department_user, officer_a.institution)["staff_provisioned"] is False
    services.report_confirm(actor=department_user, item=provisioning)
    assert _states(department_user, officer_a.institution)["staff_provisioned"] is True


def test_department_entered_provisioning_is_confirmed_at_once(officer_a, department_user):
    staff = ResponsibleStaffFactory(institution=officer_a.institution)
    services.provisioning_record(
        actor=department_user,
        staff=staff,
        premises_provided=True,
        premises_date=dt.date(2021, 7, 1),
        computer_provided=True,
        computer_date=dt.date(2021, 7, 2),
    )
    assert _states(department_user, officer_a.institution)["staff_provisioned"] is True


def test_sign_up_cancel_and_reported_attendance_counts_after_confirmation(
    client_for, officer_a, department_user, settings
):
    staff = ResponsibleStaffFactory(institution=officer_a.institution)
    seminar = SeminarFactory(date=dt.date(2021, 8, 10), place="Көкшетау, Абай к-сі, 96")
    client = client_for(officer_a)
    page = client.get(reverse("institutions:officer_seminars")).content.decode()
    assert "10.08.2021" in page
    assert "Көкшетау, Абай к-сі, 96" in page
    client.post(
        reverse("institutions:seminar_sign_up", args=[seminar.pk]),
        {f"seminar-{seminar.pk}-staff": staff.pk},
    )
    attendance = SeminarAttendance.objects.get(seminar=seminar, staff=staff)
    assert attendance.attended is False
    assert staff.full_name in client.get(reverse("institutions:officer_seminars")).content.decode()

    client.post(reverse("institutions:seminar_sign_up_cancel", args=[attendance.pk]))
    assert not SeminarAttendance.objects.filter(pk=attendance.pk).exists()
    attendance = services.seminar_sign_up(actor=officer_a, seminar=seminar, staff=staff)

    with pytest.raises(services.ValidationError):  # not before the seminar
        services.seminar_attendance_report(actor=officer_a, attendance=attendance)

    settings.CENSUS_TODAY = dt.date(2021, 8, 11)  # the seminar has taken place
    with pytest.raises(services.ValidationError):
        services.seminar_sign_up_cancel(actor=officer_a, attendance=attendance)
    client.post(reverse("institutions:attendance_report", args=[attendance.pk]))
    attendance.refresh_from_db()
    assert (attendance.attended, attendance.report_state) == (True, ReportState.REPORTED)
    assert _states(department_user, officer_a.institution)["staff_trained"] is False
    services.report_confirm(actor=department_user, item=attendance)
    assert _states(department_user, officer_a.institution)["staff_trained"] is True


def test_order_scan_rejects_a_non_pdf_with_a_translated_message_and_stores_nothing(
    client_for, officer_a, settings
):
    officer_a.language = "ru"
    officer_a.save(update_fields=["language"])
    response = client_for(officer_a).post(
        reverse("institutions:order_report"),
        {
            "number": "12-ө",
            "date": "2021-05-20",
            "signed_by": "Ахметов Б.",
            "scan": _scan(b"<html><script>alert(1)</script></html>"),
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["scan"]
    assert errors == ["Файлы этого типа здесь не принимаются. Принимаются: JPG, PDF, PNG."]
    assert not AppointmentOrder.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_review_writes_the_audit_trail_inside_the_service(officer_a, department_user):
    order = _report_order(officer_a)
    services.report_return(actor=department_user, item=order, comment="Мөрі жоқ")
    events = AuditEvent.objects.filter(
        object_type="institutions.appointmentorder", object_id=str(order.pk)
    )
    assert [event.extra["step"] for event in events.order_by("pk")] == ["reported", "returned"]
    assert events.order_by("pk").last().actor == department_user


def test_queue_filters_by_kind_state_and_institution(
    client_for, officer_a, officer_b, department_user
):
    order_a = _report_order(officer_a)
    _report_staff(officer_a, order_a, full_name="Иванова Елена")
    order_b = _report_order(officer_b, number="7-ө")
    services.report_return(actor=department_user, item=order_b, comment="Қолы жоқ")
    client = client_for(department_user)
    url = reverse("institutions:report_queue")

    waiting = client.get(url).content.decode()  # "waiting for review" by default
    assert "Иванова Елена" in waiting
    assert "7-ө" not in waiting
    returned = client.get(url, {"state": "returned"}).content.decode()
    assert "7-ө" in returned
    assert "Қолы жоқ" in returned
    only_staff = client.get(url, {"kind": "staff", "state": ""}).content.decode()
    assert "Иванова Елена" in only_staff
    assert "Ахметов Бауыржан" not in only_staff  # the order's row (its signatory) is left out
    assert "Ахметов Бауыржан" in client.get(url, {"kind": "order"}).content.decode()
    institution_b = client.get(
        url, {"institution": officer_b.institution.bin, "state": ""}
    ).content.decode()
    assert "Иванова Елена" not in institution_b
    assert "7-ө" in institution_b


def test_attendance_sheet_lists_every_registered_person(department_user, client_for):
    seminar = SeminarFactory(date=dt.date(2021, 8, 20), place="Степногорск, 4 шағын аудан")
    people = [
        ResponsibleStaffFactory(full_name=name, position="Әлеуметтік қызметкер")
        for name in ("Жұмабаева Гүлнар", "Петров Сергей", "Оспанов Мұрат")
    ]
    for member in people:
        SeminarAttendance.objects.create(seminar=seminar, staff=member, attended=False)
    for language, heading in (("kk", "СЕМИНАРҒА ҚАТЫСУ ПАРАҒЫ"), ("ru", "ЛИСТ ЯВКИ НА СЕМИНАР")):
        response = client_for(department_user).get(
            reverse("institutions:attendance_sheet_pdf", args=[seminar.pk]), {"lang": language}
        )
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
        assert heading in text.upper()
        assert "20.08.2021" in text
        assert "Степногорск, 4 шағын аудан" in text
        for member in people:
            institution = member.institution
            assert member.full_name in text
            assert (institution.name_kk if language == "kk" else institution.name_ru) in text


def _a_items(officer_a, department_user):
    order = _report_order(officer_a)
    staff = _report_staff(officer_a, order)
    seminar = SeminarFactory(date=dt.date(2021, 8, 10))
    attendance = services.seminar_sign_up(actor=officer_a, seminar=seminar, staff=staff)
    return {"order": order, "staff": staff, "attendance": attendance, "seminar": seminar}


OFFICER_URLS = [
    ("get", "institutions:order_correct", "order"),
    ("post", "institutions:order_correct", "order"),
    ("get", "institutions:order_scan", "order"),
    ("get", "institutions:staff_correct", "staff"),
    ("post", "institutions:staff_correct", "staff"),
    ("get", "institutions:provisioning_report", "staff"),
    ("post", "institutions:provisioning_report", "staff"),
    ("post", "institutions:seminar_sign_up_cancel", "attendance"),
    ("post", "institutions:attendance_report", "attendance"),
]


@pytest.mark.parametrize(("method", "name", "key"), OFFICER_URLS)
def test_officer_b_gets_404_on_institution_a_items(
    client_for, officer_a, officer_b, department_user, method, name, key
):
    items = _a_items(officer_a, department_user)
    response = getattr(client_for(officer_b), method)(reverse(name, args=[items[key].pk]))
    assert response.status_code == 404
    assert SeminarAttendance.objects.filter(pk=items["attendance"].pk).exists()


def test_officer_b_cannot_sign_up_institution_a_staff(client_for, officer_a, officer_b):
    staff = ResponsibleStaffFactory(institution=officer_a.institution)
    seminar = SeminarFactory(date=dt.date(2021, 8, 10))
    client_for(officer_b).post(
        reverse("institutions:seminar_sign_up", args=[seminar.pk]),
        {f"seminar-{seminar.pk}-staff": staff.pk},
    )
    assert not SeminarAttendance.objects.exists()
    page = client_for(officer_b).get(reverse("institutions:officer_seminars")).content.decode()
    assert staff.full_name not in page


def test_officers_may_not_review(client_for, officer_a, department_user):
    items = _a_items(officer_a, department_user)
    client = client_for(officer_a)
    assert client.get(reverse("institutions:report_queue")).status_code == 403
    for name in ("institutions:report_confirm", "institutions:report_return"):
        assert client.post(reverse(name, args=["order", items["order"].pk])).status_code == 403
    pdf = reverse("institutions:attendance_sheet_pdf", args=[items["seminar"].pk])
    assert client.get(pdf, {"lang": "kk"}).status_code == 403
    items["order"].refresh_from_db()
    assert items["order"].report_state == ReportState.REPORTED


def test_commission_reads_the_queue_but_changes_nothing(
    client_for, officer_a, department_user, commission_user
):
    items = _a_items(officer_a, department_user)
    _in_english(commission_user)
    client = client_for(commission_user)
    queue = client.get(reverse("institutions:report_queue")).content.decode()
    assert "Серікбаев Дәурен" in queue
    assert "Return with the comment" not in queue
    assert (
        client.post(
            reverse("institutions:report_confirm", args=["order", items["order"].pk])
        ).status_code
        == 403
    )
    for name, args in (
        ("institutions:staff_part", []),
        ("institutions:order_report", []),
        ("institutions:officer_seminars", []),
        ("institutions:staff_correct", [items["staff"].pk]),
        ("institutions:department_seminars", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
    items["order"].refresh_from_db()
    assert items["order"].report_state == ReportState.REPORTED


def test_regional_department_user_reviews_their_region_only(client_for, officer_a):
    from institutions.models import District, Region
    from tests.factories import DepartmentUserFactory

    elsewhere = Region.objects.create(
        code="test-region", name_kk="Сынақ облысы", name_ru="Тестовая", name_en="Test region"
    )
    District.objects.create(
        region=elsewhere, code="test-district", name_kk="С", name_ru="Т", name_en="T"
    )
    order = _report_order(officer_a)
    theirs = DepartmentUserFactory(region=elsewhere)
    ours = DepartmentUserFactory(region=officer_a.institution.district.region)
    url = reverse("institutions:report_confirm", args=["order", order.pk])
    assert client_for(theirs).post(url).status_code == 404
    queue = client_for(ours).get(reverse("institutions:report_queue")).content.decode()
    assert f'action="{url}"' in queue
    client_for(ours).post(url)
    order.refresh_from_db()
    assert order.report_state == ReportState.CONFIRMED
