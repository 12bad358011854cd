"""Reminder kinds of sync, with frozen time: tablets silent during the tablet window, and
USB offloads still only on a Department employee's media."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutions.selectors import campaign_get_active
from reminders.models import Reminder
from reminders.tasks import reminders_evaluate_and_send
from sync.reminder_kinds import _tablet_no_sync_due, _usb_offload_not_uploaded_due
from sync.services import usb_offload_mark_uploaded
from tests.reminders.conftest import at_ten
from tests.sync.factories import kit_hand_over, usb_offload, vpn_sync

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2021, 10, 5)


def on(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(at_ten(day) + dt.timedelta(hours=hour - 10), tick=False)


def _run(day: dt.date) -> list[tuple[str, str]]:
    before = len(mail.outbox)
    with on(day):
        reminders_evaluate_and_send.delay()
        reminders_evaluate_and_send.delay()
    return [(m.to[0], m.subject) for m in mail.outbox[before:]]


def test_silent_tablet_is_due_only_during_the_tablet_window(kit_a, kit_b, settings):
    settings.SYNC_STALE_HOURS = 24
    campaign = campaign_get_active()
    with on(IN_WINDOW, hour=8):
        vpn_sync(kit_b[0])  # synced two hours before the check
    with on(IN_WINDOW):
        due = list(_tablet_no_sync_due(campaign, IN_WINDOW))
    assert [d.object for d in due] == [kit_a[0]]
    assert due[0].institution_id == kit_a[0].holder_institution_id
    assert due[0].deadline == IN_WINDOW
    before_window = campaign.tablet_start - dt.timedelta(days=1)
    with on(before_window):
        assert list(_tablet_no_sync_due(campaign, before_window)) == []
    after_window = campaign.tablet_end + dt.timedelta(days=1)
    with on(after_window):
        assert list(_tablet_no_sync_due(campaign, after_window)) == []


def test_tablet_no_sync_due_uses_constant_queries(department_user, staff_a, staff_b):
    campaign = campaign_get_active()

    def queries() -> int:
        with on(IN_WINDOW), CaptureQueriesContext(connection) as captured:
            list(_tablet_no_sync_due(campaign, IN_WINDOW))
        return len(captured)

    kit_hand_over(department_user=department_user, staff=staff_a)
    one = queries()
    for staff in (staff_a, staff_b, staff_b):
        kit_hand_over(department_user=department_user, staff=staff)
    assert queries() == one


def test_officers_are_reminded_once_a_day_about_a_silent_tablet(kit_a, officer_a, officer_b):
    first = _run(IN_WINDOW)
    assert [to for to, _s in first] == [officer_a.email]
    assert kit_a[0].inventory_number in first[0][1]
    assert _run(IN_WINDOW) == []  # the hourly task again that day: nothing new
    with on(IN_WINDOW + dt.timedelta(days=1), hour=9):
        vpn_sync(kit_a[0])
    assert _run(IN_WINDOW + dt.timedelta(days=1)) == []
    assert Reminder.objects.filter(kind="tablet_no_sync").count() == 1


def test_usb_offload_not_uploaded_reminds_the_department(kit_a, department_user, officer_a):
    campaign = campaign_get_active()
    with on(IN_WINDOW):
        record = usb_offload(kit_a[0], actor=department_user)
    with on(IN_WINDOW):
        (due,) = _usb_offload_not_uploaded_due(campaign, IN_WINDOW)
    assert due.object == record
    assert due.deadline == IN_WINDOW + dt.timedelta(days=1)
    sent = _run(IN_WINDOW + dt.timedelta(days=1))
    assert (department_user.email, sent[0][1]) in sent
    assert officer_a.email not in {to for to, _s in sent if "USB" in _s}
    with on(IN_WINDOW + dt.timedelta(days=1)):
        usb_offload_mark_uploaded(actor=department_user, record=record)
        assert list(_usb_offload_not_uploaded_due(campaign, IN_WINDOW)) == []
