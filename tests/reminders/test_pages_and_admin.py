"""The notifications page, the unread count in the header, and the admin pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from reminders.models import Notification, Reminder, ReminderKindSetting
from reminders.services import reminders_deliver, reminders_evaluate
from tests.factories import InstitutionFactory, OfficerFactory, ResponsibleStaffFactory
from tests.institutions.factories import SeminarFactory
from tests.reminders.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_officer_sees_own_notifications_and_unread_count_in_header(
    client_for, officer_a, officer_b
):
    NotificationFactory(recipient=officer_a, subject="Менікі")
    NotificationFactory(recipient=officer_a, subject="Оқылған", read_at="2021-07-08T10:00Z")
    NotificationFactory(recipient=officer_b, subject="Басқанікі")
    response = client_for(officer_a).get(reverse("reminders:notifications"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Менікі" in page
    assert "Оқылған" in page
    assert "Басқанікі" not in page
    assert 'class="badge badge-warn" aria-hidden="true">1<' in page


def test_header_count_is_one_query(client_for, officer_a, django_assert_max_num_queries):
    from django.test import RequestFactory

    from reminders.context_processors import notifications

    NotificationFactory.create_batch(3, recipient=officer_a)
    request = RequestFactory().get("/")
    request.user = officer_a
    with django_assert_max_num_queries(1):
        assert notifications(request) == {"unread_notifications": 3}


def test_mark_read_and_open_link(client_for, officer_a):
    notification = NotificationFactory(recipient=officer_a, path="/institutions/mine/")
    client = client_for(officer_a)
    response = client.post(
        reverse("reminders:notification_read", args=[notification.pk]), {"open": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/institutions/mine/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_officer_of_a_gets_404_for_a_notification_of_b(client_for, officer_a, officer_b):
    theirs = NotificationFactory(recipient=officer_b)
    response = client_for(officer_a).post(reverse("reminders:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_own(client_for, officer_a, officer_b):
    NotificationFactory.create_batch(2, recipient=officer_a)
    NotificationFactory(recipient=officer_b)
    response = client_for(officer_a).post(reverse("reminders:notification_read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == officer_b


def test_marking_read_needs_post(client_for, officer_a):
    notification = NotificationFactory(recipient=officer_a)
    response = client_for(officer_a).get(
        reverse("reminders:notification_read", args=[notification.pk])
    )
    assert response.status_code == 405


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reminders:notifications"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.fixture
def sent_reminders(campaign):
    SeminarFactory(campaign=campaign, date=dt.date(2021, 7, 15))
    for username in ("admin_a", "admin_b"):
        institution = InstitutionFactory()
        ResponsibleStaffFactory(institution=institution)
        OfficerFactory(username=username, institution=institution)
    reminders_evaluate(today=dt.date(2021, 7, 8), campaign=campaign)
    reminders_deliver(today=dt.date(2021, 7, 8))
    return Reminder.objects.order_by("pk")


def test_department_reads_the_reminder_log_in_the_admin(
    client_for, department_user, sent_reminders
):
    client = client_for(department_user)
    response = client.get(reverse("admin:reminders_reminder_changelist"))
    assert response.status_code == 200
    assert "admin_a" in response.content.decode()
    detail = client.get(
        reverse("admin:reminders_reminder_change", args=[sent_reminders.first().pk])
    )
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # read-only
    assert client.get(reverse("admin:reminders_reminder_add")).status_code == 403


def test_department_changes_lead_times_in_the_admin(client_for, department_user, sent_reminders):
    client = client_for(department_user)
    assert client.get(reverse("admin:reminders_reminderkindsetting_changelist")).status_code == 200
    setting = ReminderKindSetting.objects.get(kind="seminar_upcoming")
    url = reverse("admin:reminders_reminderkindsetting_change", args=[setting.pk])
    response = client.post(url, {"enabled": "on", "lead_days": "14, 2", "send_overdue": ""})
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.lead_days == [14, 2]

    response = client.post(url, {"enabled": "on", "lead_days": "seven"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    setting.refresh_from_db()
    assert setting.lead_days == [14, 2]


def test_officer_cannot_open_the_reminder_admin(client_for, officer_a, sent_reminders):
    officer_a.is_staff = True
    officer_a.save()
    client = client_for(officer_a)
    response = client.get(reverse("admin:reminders_reminder_changelist"))
    assert response.status_code in (302, 403)


def test_api_lists_own_notifications_and_marks_read(client_for, officer_a, officer_b):
    mine = NotificationFactory(recipient=officer_a)
    theirs = NotificationFactory(recipient=officer_b)
    client = client_for(officer_a)
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").json()["is_read"] is True
    missing = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404


def test_region_department_user_sees_only_reminders_of_its_region(client_for, sent_reminders):
    from institutions.models import Region
    from tests.factories import DepartmentUserFactory

    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    outsider = DepartmentUserFactory(region=elsewhere)
    response = client_for(outsider).get(reverse("admin:reminders_reminder_changelist"))
    assert response.status_code == 200
    assert "admin_a" not in response.content.decode()
