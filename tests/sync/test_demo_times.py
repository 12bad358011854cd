"""The demo's sync times (sync/demo.py): a tablet that synced an hour ago synced today, even
when the demo is seeded just after local midnight (CI once ran at 00:08 in Astana)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from sync.demo import _received_at

CENSUS_DAY = dt.date(2021, 10, 12)


@pytest.mark.parametrize(
    ("local_time", "expected_day"),
    [("00:08", CENSUS_DAY), ("00:59", CENSUS_DAY), ("14:00", CENSUS_DAY)],
)
def test_todays_syncs_stay_on_the_census_day_in_order(local_time, expected_day):
    hour, minute = map(int, local_time.split(":"))
    moment = dt.datetime(2026, 12, 2, hour, minute, tzinfo=ZoneInfo("Asia/Almaty"))
    with time_machine.travel(moment, tick=False), override_settings(CENSUS_TODAY=CENSUS_DAY):
        now = timezone.localtime(_received_at(0))
        today = [timezone.localtime(_received_at(hours)) for hours in (1, 3, 5, 10)]
        older = timezone.localtime(_received_at(50))
    assert now.date() == CENSUS_DAY
    assert [moment.date() for moment in today] == [expected_day] * 4
    assert today == sorted(today, reverse=True)  # an hour ago is later than three hours ago
    assert all(moment < now for moment in today)
    assert older.date() < CENSUS_DAY  # 50 hours ago is two days before, whatever the hour
    if local_time == "14:00":
        assert today[0] == now - dt.timedelta(hours=1)  # in the day, plain hours
