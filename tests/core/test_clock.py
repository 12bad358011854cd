"""The one clock (census_coord.clock): the real time, or a fixed census date for demos and
training, which every page and the admin then announce in their header."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from census_coord import clock

REAL = dt.datetime(2021, 12, 1, 20, 30, tzinfo=dt.UTC)  # 02:30 on 2 December in Almaty (UTC+6)


def test_without_a_census_date_the_clock_is_the_real_time(settings):
    settings.CENSUS_TODAY = None
    with time_machine.travel(REAL, tick=False):
        assert clock.now() == REAL
        assert clock.now().tzinfo is not None
        assert clock.today() == dt.date(2021, 12, 2)  # the local date, not UTC's
        assert clock.wall_now() == REAL
        assert clock.census_date() is None


@pytest.mark.parametrize("value", [dt.date(2021, 10, 12), "2021-10-12"])
def test_a_census_date_fixes_today_and_keeps_the_time_of_day(value):
    with override_settings(CENSUS_TODAY=value), time_machine.travel(REAL, tick=False):
        assert clock.today() == dt.date(2021, 10, 12)
        now = timezone.localtime(clock.now())
        assert now.date() == dt.date(2021, 10, 12)
        assert now.time() == timezone.localtime(REAL).time()
        assert clock.wall_now() == REAL  # the audit trail and sessions keep the real time


def test_with_a_census_date_events_of_a_session_still_follow_each_other():
    with override_settings(CENSUS_TODAY=dt.date(2021, 10, 12)):
        with time_machine.travel(REAL, tick=False):
            first = clock.now()
        with time_machine.travel(REAL + dt.timedelta(minutes=3), tick=False):
            second = clock.now()
    assert second - first == dt.timedelta(minutes=3)


BANNER = {
    "kk": "Оқу-жаттығу күні: 12.10.2021 — бүгінгі күн емес",
    "ru": "Учебная дата: 12.10.2021 — не сегодняшняя дата",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_page_says_when_the_census_date_is_fixed(client_for, officer_a, language):
    officer_a.language = language
    officer_a.save(update_fields=["language"])
    home = reverse("institutions:officer_home")
    with override_settings(CENSUS_TODAY=dt.date(2021, 10, 12)):
        login = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=language)
        client = client_for(officer_a)
        html = client.get(home).content.decode()
    assert BANNER[language] in login.content.decode()
    assert BANNER[language] in html
    html = client.get(home, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "12.10.2021" not in html
    assert "census-date-banner" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_admin_says_when_the_census_date_is_fixed(client_for, department_user, language):
    department_user.is_staff = True
    department_user.language = language
    department_user.save(update_fields=["is_staff", "language"])
    client = client_for(department_user)
    with override_settings(CENSUS_TODAY=dt.date(2021, 10, 12)):
        page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert BANNER[language] in page.content.decode()
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "census-date-banner" not in html
