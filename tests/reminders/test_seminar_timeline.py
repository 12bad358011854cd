"""Walk the 2021 training timeline day by day and check who is reminded when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutions.reminder_kinds import _upcoming_seminar_due
from reminders.models import Notification, Reminder
from tests.factories import InstitutionFactory, OfficerFactory, ResponsibleStaffFactory
from tests.institutions.factories import SeminarAttendanceFactory, SeminarFactory
from tests.reminders.conftest import days

pytestmark = pytest.mark.django_db

JULY_15, AUGUST_5 = dt.date(2021, 7, 15), dt.date(2021, 8, 5)


@pytest.fixture
def training(campaign):
    """Seminars on 15 July and 5 August; institutions in every training state."""
    first = SeminarFactory(campaign=campaign, date=JULY_15)
    second = SeminarFactory(campaign=campaign, date=AUGUST_5, is_online=True, place="")
    attends_first = InstitutionFactory(name_ru="придёт 15 июля")
    ResponsibleStaffFactory(institution=attends_first)
    never = InstitutionFactory(name_ru="не обучен")
    ResponsibleStaffFactory(institution=never)
    trained = InstitutionFactory(name_ru="обучен")
    earlier = SeminarFactory(campaign=campaign, date=dt.date(2021, 6, 20))
    SeminarAttendanceFactory(seminar=earlier, staff=ResponsibleStaffFactory(institution=trained))
    no_staff = InstitutionFactory(name_ru="без персонала")
    return {
        "first": first,
        "second": second,
        "attends_first": attends_first,
        "officers": {
            "attends_first": OfficerFactory(username="o_first", institution=attends_first),
            "never": OfficerFactory(username="o_never", institution=never, language="ru"),
            "trained": OfficerFactory(username="o_trained", institution=trained),
            "no_staff": OfficerFactory(username="o_nostaff", institution=no_staff),
        },
    }


def test_seminar_reminders_over_the_2021_training_timeline(training, run_day):
    sent: dict[dt.date, list[str]] = {}
    for day in days(dt.date(2021, 7, 1), dt.date(2021, 8, 10)):
        emails = run_day(day)
        if emails:
            sent[day] = sorted(to.split("@")[0] for to, _subject in emails)
        if day == JULY_15:
            staff = training["attends_first"].staff.get()
            SeminarAttendanceFactory(seminar=training["first"], staff=staff)

    assert sent == {
        # 7 and 1 days before 15 July: both institutions whose staff are not trained.
        dt.date(2021, 7, 8): ["o_first", "o_never"],
        dt.date(2021, 7, 14): ["o_first", "o_never"],
        # Before 5 August only the institution whose staff still have not attended.
        dt.date(2021, 7, 29): ["o_never"],
        dt.date(2021, 8, 4): ["o_never"],
    }
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    # Four e-mails, but one notice per seminar: the later lead time replaced the earlier.
    assert Notification.objects.filter(recipient__username="o_never").count() == 2


def test_reminder_is_in_the_recipients_language_and_names_the_seminar(training, run_day):
    run_day(dt.date(2021, 7, 8))
    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    russian, kazakh = by_user["o_never"], by_user["o_first"]
    assert russian.subject == "Семинар по переписи 15.07.2021"
    assert kazakh.subject == "15.07.2021 санақ семинары"
    assert "Көкшетау" in russian.body
    assert "http://127.0.0.1:8000/institutions/mine/" in russian.body
    notification = Notification.objects.get(recipient__username="o_never")
    assert notification.subject == russian.subject
    assert notification.read_at is None


def test_a_run_after_a_pause_sends_only_the_latest_lead_time(training, run_day):
    # Nothing ran on 8 July; on 14 July only the one-day reminder goes out.
    assert sorted(to.split("@")[0] for to, _ in run_day(dt.date(2021, 7, 14))) == [
        "o_first",
        "o_never",
    ]
    assert set(Reminder.objects.values_list("lead_days", flat=True)) == {1}


def test_seminar_due_items_take_constant_queries(training, campaign):
    for _ in range(5):
        ResponsibleStaffFactory(institution=InstitutionFactory())
    with CaptureQueriesContext(connection) as queries:
        items = list(_upcoming_seminar_due(campaign, dt.date(2021, 7, 8)))
    assert len(items) == 2 * 7  # two seminars ahead × seven institutions with untrained staff
    assert len(queries) == 2
