"""A reminder goes out once per recipient, kind, object and due date, whatever happens."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from institutions.models import Region
from reminders.models import Notification, Reminder, ReminderKindSetting
from reminders.services import (
    reminder_setting_update,
    reminders_deliver,
    reminders_evaluate,
    reminders_retry,
)
from tests.factories import (
    DepartmentUserFactory,
    InstitutionFactory,
    OfficerFactory,
    ResponsibleStaffFactory,
)
from tests.institutions.factories import SeminarFactory

SEMINAR_DAY = dt.date(2021, 7, 15)
WEEK_BEFORE = SEMINAR_DAY - dt.timedelta(days=7)


def _untrained_institutions(count: int, *, officers_per_institution: int = 1) -> list:
    officers = []
    for _ in range(count):
        institution = InstitutionFactory()
        ResponsibleStaffFactory(institution=institution)
        officers.extend(
            OfficerFactory(institution=institution) for _ in range(officers_per_institution)
        )
    return officers


@pytest.mark.django_db
def test_running_twice_sends_nothing_twice(campaign, run_day):
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    officers = _untrained_institutions(3, officers_per_institution=2)
    first = run_day(WEEK_BEFORE)  # the helper already runs the task twice
    second = run_day(WEEK_BEFORE)
    assert sorted(to for to, _ in first) == sorted(officer.email for officer in officers)
    assert second == []
    assert Reminder.objects.count() == Notification.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once():
    from institutions.selectors import campaign_get_active

    campaign = campaign_get_active()
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    officers = _untrained_institutions(10)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)
            barrier.wait(timeout=10)
            reminders_deliver(today=WEEK_BEFORE)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(officer.email for officer in officers)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 10
    assert Notification.objects.count() == 10


@pytest.mark.django_db
def test_failed_send_is_retried_without_repeating_the_successful_ones(campaign, settings):
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    good = _untrained_institutions(2)
    failing = _untrained_institutions(1)[0]
    failing.email = "will-fail@example.kz"
    failing.save()
    settings.EMAIL_BACKEND = "tests.reminders.failing_email.FailingForSomeBackend"

    reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)
    result = reminders_deliver(today=WEEK_BEFORE)
    assert (result.sent, result.failed) == (2, 1)
    broken = Reminder.objects.get(recipient=failing)
    assert broken.sent_at is None
    assert broken.attempts == 1
    assert "ConnectionRefusedError" in broken.last_error
    assert not Notification.objects.filter(recipient=failing).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = reminders_deliver(today=WEEK_BEFORE + dt.timedelta(days=1))
    assert (result.sent, result.failed) == (1, 0)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [failing.email, *(officer.email for officer in good)]
    )
    broken.refresh_from_db()
    assert broken.sent_at is not None
    assert broken.attempts == 2
    assert broken.last_error == ""


@pytest.mark.django_db
def test_gives_up_after_five_attempts_until_retried(campaign, settings, department_user):
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    officer = _untrained_institutions(1)[0]
    officer.email = "fail@example.kz"
    officer.save()
    settings.EMAIL_BACKEND = "tests.reminders.failing_email.FailingForSomeBackend"
    reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)
    for _ in range(7):
        reminders_deliver(today=WEEK_BEFORE)
    reminder = Reminder.objects.get()
    assert reminder.attempts == 5
    assert reminders_retry(actor=department_user, reminder_ids=[reminder.pk]) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_deliver(today=WEEK_BEFORE).sent == 1


@pytest.mark.django_db
def test_officer_without_email_still_gets_the_notification(campaign):
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    officer = _untrained_institutions(1)[0]
    officer.email = ""
    officer.save()
    reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)
    assert reminders_deliver(today=WEEK_BEFORE).sent == 1
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=officer).count() == 1


@pytest.mark.django_db
def test_department_can_switch_a_kind_off_and_change_lead_times(campaign, department_user):
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    _untrained_institutions(1)
    reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)  # creates the settings rows
    Reminder.objects.all().delete()
    setting = ReminderKindSetting.objects.get(kind="seminar_upcoming")

    reminder_setting_update(
        actor=department_user, setting=setting, enabled=False, lead_days=[7, 1], send_overdue=False
    )
    assert reminders_evaluate(today=WEEK_BEFORE, campaign=campaign) == 0

    reminder_setting_update(
        actor=department_user, setting=setting, enabled=True, lead_days=[2, 10], send_overdue=False
    )
    setting.refresh_from_db()
    assert setting.lead_days == [10, 2]
    assert reminders_evaluate(today=WEEK_BEFORE, campaign=campaign) == 1
    assert Reminder.objects.get().lead_days == 10


@pytest.mark.django_db
def test_invalid_lead_times_are_refused_and_change_nothing(campaign, department_user):
    from django.core.exceptions import ValidationError

    reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)
    setting = ReminderKindSetting.objects.get(kind="seminar_upcoming")
    with pytest.raises(ValidationError) as error:
        reminder_setting_update(
            actor=department_user,
            setting=setting,
            enabled=False,
            lead_days=[500],
            send_overdue=True,
        )
    assert error.value.code == "invalid_lead_days"
    setting.refresh_from_db()
    assert (setting.enabled, setting.lead_days, setting.send_overdue) == (True, [7, 1], False)


@pytest.mark.django_db
def test_retry_leaves_reminders_outside_the_actors_region_alone(campaign, settings):
    SeminarFactory(campaign=campaign, date=SEMINAR_DAY)
    officer = _untrained_institutions(1)[0]
    officer.email = "fail@example.kz"
    officer.save()
    settings.EMAIL_BACKEND = "tests.reminders.failing_email.FailingForSomeBackend"
    reminders_evaluate(today=WEEK_BEFORE, campaign=campaign)
    for _ in range(7):
        reminders_deliver(today=WEEK_BEFORE)
    reminder = Reminder.objects.get()
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    other_department = DepartmentUserFactory(region=elsewhere)
    assert reminders_retry(actor=other_department, reminder_ids=[reminder.pk]) == 0
    reminder.refresh_from_db()
    assert reminder.attempts == 5
