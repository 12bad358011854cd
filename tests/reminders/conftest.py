"""Helpers for reminder tests: walk days with frozen time, and read what was sent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from institutions.selectors import campaign_get_active
from reminders.tasks import department_digest_send, reminders_evaluate_and_send

ALMATY = ZoneInfo("Asia/Almaty")


def at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=ALMATY)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture
def campaign(db):
    return campaign_get_active()


@pytest.fixture
def run_day():
    """Run the hourly task (twice, as beat may) on ``day``; return what was emailed."""

    def run(day: dt.date, *, digest: bool = False) -> list[tuple[str, str]]:
        before = len(mail.outbox)
        with time_machine.travel(at_ten(day), tick=False):
            reminders_evaluate_and_send.delay()
            reminders_evaluate_and_send.delay()
            if digest:
                department_digest_send.delay()
                department_digest_send.delay()
        return [(message.to[0], message.subject) for message in mail.outbox[before:]]

    return run
