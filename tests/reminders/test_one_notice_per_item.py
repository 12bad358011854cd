"""What a recipient sees of reminders: one notice per item (the latest lead time replaces
the earlier one), the digest in each recipient's language with each district once, and
dates as dd.mm.yyyy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from reminders.models import Notification, Reminder
from tests.factories import DepartmentUserFactory, InstitutionFactory, OfficerFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def late_institutions(campaign):
    """Two institutions of one district that never submit their lists."""
    first = InstitutionFactory(name_kk="Бірінші мекеме", name_ru="Первое учреждение")
    second = InstitutionFactory(
        district=first.district, name_kk="Екінші мекеме", name_ru="Второе учреждение"
    )
    return first, second


def test_each_lead_time_updates_the_one_notice_of_the_list(campaign, run_day, late_institutions):
    officer = OfficerFactory(username="late_ru", institution=late_institutions[0], language="ru")
    deadline = campaign.list_submission_deadline
    run_day(deadline - 7 * DAY)
    notice = Notification.objects.get(recipient=officer)
    assert "осталось дней: 7" in notice.body
    notice.read_at = notice.created_at
    notice.save(update_fields=["read_at"])

    for day in (deadline - 3 * DAY, deadline - DAY, deadline + DAY):
        run_day(day)

    # Four e-mails and four rows in the log, but one notice, showing the latest news.
    assert Reminder.objects.filter(recipient=officer).count() == 4
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 4
    notice = Notification.objects.get(recipient=officer)
    assert notice.reminder.lead_days == -1
    assert "просрочен" in notice.subject
    assert f"{deadline:%d.%m.%Y}" in notice.subject
    assert notice.read_at is None  # new news shows as unread again

    page = _client(officer).get(reverse("reminders:notifications")).content.decode()
    assert page.count('class="notification-subject"') == 1
    assert f"{dt.date(*deadline.timetuple()[:3]) + DAY:%d.%m.%Y}" in page


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_digest_reaches_each_recipient_in_their_language_with_districts_once(
    campaign, run_day, late_institutions
):
    for number, institution in enumerate(late_institutions):
        OfficerFactory(username=f"officer{number}", institution=institution)
    russian = DepartmentUserFactory(username="dept_ru", language="ru")
    kazakh = DepartmentUserFactory(username="dept_kk", language="kk")
    day = campaign.list_submission_deadline + 2 * DAY
    run_day(day, digest=True)
    run_day(day + DAY, digest=True)

    def digest_to(user):
        return [m for m in mail.outbox if m.to == [user.email]]

    district = late_institutions[0].district
    for user, names, district_name, heading in (
        (russian, ("Первое учреждение", "Второе учреждение"), district.name_ru, "просрочк"),
        (kazakh, ("Бірінші мекеме", "Екінші мекеме"), district.name_kk, "мерзімі өткен"),
    ):
        first, second = digest_to(user)
        assert heading in first.subject
        assert f"{day:%d.%m.%Y}" in first.subject
        for name in names:
            assert name in first.body
        assert first.body.count(district_name) == 1
        # Yesterday's digest is replaced by today's: one notice, with today's date.
        notice = Notification.objects.get(recipient=user)
        assert f"{day + DAY:%d.%m.%Y}" in notice.subject
        assert notice.body.count(district_name) == 1
        assert f"{day + DAY:%d.%m.%Y}" in second.subject
