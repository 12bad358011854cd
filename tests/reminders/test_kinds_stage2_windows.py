"""Walk the 2021 stage-2 windows day by day: which institutions hear that the online window
(closing 15 Oct) or the tablet window (closing 30 Oct) is about to close with people still
pending, when, once, and never after the window has closed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enumeration import services
from enumeration.choices import EnumerationStatus
from enumeration.models import Enumeration
from enumeration.reminder_kinds import _online_window_closing_due, _tablet_window_closing_due
from reminders.models import Notification, Reminder, ReminderKindSetting
from reminders.services import overdue_institutions, reminder_settings_ensure
from respondents.choices import ListStatus
from tests.enumeration.stage2 import accepted_list, enumerate_online, people
from tests.factories import InstitutionFactory, OfficerFactory
from tests.reminders.conftest import at_ten, days
from tests.respondents.factories import RespondentListFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
ONLINE = "online_window_closing"
TABLET = "tablet_window_closing"
WINDOW_KINDS = {ONLINE, TABLET}


def on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(at_ten(day), tick=False)


def _institution(name: str, **values) -> tuple:
    institution = InstitutionFactory(name_ru=name, name_kk=f"{name} kk", **values)
    return institution, OfficerFactory(username=name, institution=institution)


def _enumerate_on_tablet(officer, respondent, day: dt.date) -> None:
    with on(day):
        services.enumeration_record(
            actor=officer,
            update=services.EnumerationUpdate(
                respondent_id=respondent.pk,
                status="enumerated",
                method="tablet",
                enumerated_on=day,
            ),
        )


@pytest.fixture
def stage_2(campaign):
    """Institutions in every state of stage 2 at the start of September 2021."""
    critical = dt.date(2021, 9, 1)
    result = {}

    # Nobody enumerated all autumn.
    institution, result["all_pending"] = _institution("all_pending")
    people(accepted_list(institution), 3)

    # Everybody enumerated online in September.
    institution, officer = _institution("done_online")
    result["done_online"] = officer
    for person in people(accepted_list(institution), 2):
        with on(dt.date(2021, 9, 21)):
            enumerate_online(officer, person, dt.date(2021, 9, 20))

    # One person left when the online window closes; interviewed on a tablet on 16 Oct.
    institution, officer = _institution("last_by_tablet")
    result["last_by_tablet"] = officer
    first, last = people(accepted_list(institution), 2)
    with on(dt.date(2021, 9, 21)):
        enumerate_online(officer, first, dt.date(2021, 9, 20))
    result["last_person"] = last

    # A row saying "pending" is pending; a refusal is an outcome, not pending; a person
    # who left after the critical moment is still listed here.
    institution, result["mixed"] = _institution("mixed")
    marked, refused, _left_after = people(accepted_list(institution), 3)
    _left_after.departed_on = critical + 5 * DAY
    _left_after.departure_reason = "left"
    _left_after.save()
    Enumeration.objects.create(respondent=marked, status=EnumerationStatus.PENDING)
    Enumeration.objects.create(
        respondent=refused, status=EnumerationStatus.NOT_ENUMERATED, reason="refused"
    )

    # Nobody to enumerate: left before the critical moment, or the list is not accepted.
    institution, result["left_before"] = _institution("left_before")
    people(accepted_list(institution), 2, departed_on=critical - 10 * DAY, departure_reason="left")
    institution, result["not_accepted"] = _institution("not_accepted")
    people(RespondentListFactory(institution=institution, status=ListStatus.SUBMITTED), 2)
    institution, result["inactive"] = _institution("inactive", is_active=False)
    people(accepted_list(institution), 2)
    return result


def _walk(run_day, first: dt.date, last: dt.date, *, on_day=None) -> dict:
    for day in days(first, last):
        if on_day:
            on_day(day)
        run_day(day)
    sent: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    rows = Reminder.objects.filter(kind__in=WINDOW_KINDS).order_by("recipient__username")
    for due_date, kind, username in rows.values_list("due_date", "kind", "recipient__username"):
        sent[(due_date, kind)].append(username)
    return dict(sent)


def test_window_reminders_over_september_and_october_2021(stage_2, campaign, run_day):
    assert campaign.online_end == dt.date(2021, 10, 15)
    assert campaign.tablet_end == dt.date(2021, 10, 30)

    def interview_the_last_one(day):
        if day == dt.date(2021, 10, 16):
            _enumerate_on_tablet(stage_2["last_by_tablet"], stage_2["last_person"], day)

    sent = _walk(run_day, dt.date(2021, 9, 1), dt.date(2021, 11, 5), on_day=interview_the_last_one)

    before_online = ["all_pending", "last_by_tablet", "mixed"]
    before_tablet = ["all_pending", "mixed"]
    assert sent == {
        (dt.date(2021, 10, 8), ONLINE): before_online,
        (dt.date(2021, 10, 12), ONLINE): before_online,
        (dt.date(2021, 10, 14), ONLINE): before_online,
        (dt.date(2021, 10, 23), TABLET): before_tablet,
        (dt.date(2021, 10, 27), TABLET): before_tablet,
        (dt.date(2021, 10, 29), TABLET): before_tablet,
    }
    rows = Reminder.objects.filter(kind__in=WINDOW_KINDS)
    assert set(rows.values_list("lead_days", flat=True)) == {7, 3, 1}
    assert not rows.filter(sent_at__isnull=True).exists()
    pending = {
        (r.recipient.username, r.kind): r.context["pending"]
        for r in rows.filter(lead_days=1).select_related("recipient")
    }
    assert pending == {
        ("all_pending", ONLINE): 3,
        ("last_by_tablet", ONLINE): 1,
        # The row marked pending and the one who left after the critical moment.
        ("mixed", ONLINE): 2,
        ("all_pending", TABLET): 3,
        ("mixed", TABLET): 2,
    }
    # Each reminder was emailed once; the in-app notice is one per window and person.
    window_mail = [m for m in mail.outbox if "15.10.2021" in m.subject or "30.10.2021" in m.subject]
    assert len(window_mail) == rows.count()
    assert Notification.objects.filter(reminder__in=rows).count() == _items(rows)


def test_nothing_once_the_window_has_closed(stage_2, campaign, run_day):
    # Even with overdue reminders switched on in the settings, a closed window has nothing
    # left to remind about, and the Department's digest does not list it as overdue.
    reminder_settings_ensure()
    ReminderKindSetting.objects.filter(kind__in=WINDOW_KINDS).update(send_overdue=True)
    for day in (
        campaign.online_end + DAY,
        campaign.tablet_end + DAY,
        campaign.tablet_end + 5 * DAY,
    ):
        run_day(day, digest=True)
        assert not Reminder.objects.filter(kind__in=WINDOW_KINDS).exists()
        overdue = overdue_institutions(campaign=campaign, today=day)
        assert not WINDOW_KINDS & {code for codes in overdue.values() for code in codes}
    # The online window is closed but the tablet one is still open.
    assert not list(_online_window_closing_due(campaign, campaign.online_end + DAY))
    assert list(_tablet_window_closing_due(campaign, campaign.online_end + DAY))


def test_a_run_after_a_pause_sends_the_latest_lead_time_only(stage_2, campaign, run_day):
    # Nothing ran between 1 and 13 Oct: on the 13th only the 3-day reminder goes out.
    run_day(dt.date(2021, 10, 13))
    rows = Reminder.objects.filter(kind=ONLINE, recipient__username="all_pending")
    assert list(rows.values_list("lead_days", "due_date")) == [(3, dt.date(2021, 10, 12))]


def test_running_a_day_twice_sends_nothing_twice(stage_2, campaign, run_day):
    for day in (dt.date(2021, 10, 8), dt.date(2021, 10, 14), dt.date(2021, 10, 29)):
        assert run_day(day)
        assert run_day(day) == []
    assert Reminder.objects.filter(kind__in=WINDOW_KINDS).count() == 3 * 3
    assert Reminder.objects.count() == len(mail.outbox)
    assert Notification.objects.count() == _items(Reminder.objects.all())


def test_window_reminder_reads_in_the_officers_language(stage_2, campaign, run_day):
    stage_2["mixed"].language = "ru"
    stage_2["mixed"].save()
    run_day(dt.date(2021, 10, 12))
    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    ru, kk = by_user["mixed"], by_user["all_pending"]
    assert ru.subject == "Онлайн-перепись завершается 15.10.2021; ещё не переписаны: 2"
    assert "(осталось дней: 3)" in ru.body
    assert "«mixed»" in ru.body
    assert kk.subject == "Онлайн санақ 15.10.2021 аяқталады; әлі санаққа алынбағандар: 3"
    assert "«all_pending kk» мекемесінің" in kk.body
    assert f"{reverse('enumeration:worklist')}?status=pending" in kk.body

    mail.outbox.clear()
    run_day(dt.date(2021, 10, 29))
    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert by_user["mixed"].subject == (
        "Опрос на планшетах завершается 30.10.2021; ещё не переписаны: 2"
    )
    assert "(осталось дней: 1)" in by_user["mixed"].body


@pytest.mark.parametrize("due_function", [_online_window_closing_due, _tablet_window_closing_due])
def test_window_due_items_take_a_constant_number_of_queries(stage_2, campaign, due_function):
    today = dt.date(2021, 10, 10)

    def count():
        with CaptureQueriesContext(connection) as queries:
            items = list(due_function(campaign, today))
        return len(items), len(queries)

    before = count()
    for _ in range(5):
        people(accepted_list(InstitutionFactory()), 2)
    assert before == (3, 2)
    assert count() == (8, 2)
    # After the window: no item, no query.
    with CaptureQueriesContext(connection) as queries:
        assert list(due_function(campaign, dt.date(2021, 11, 1))) == []
    assert len(queries) == 0


def _items(reminders) -> int:
    """How many (recipient, item) pairs the reminders are about: one notice each."""
    return reminders.values("recipient", "kind", "content_type", "object_id").distinct().count()
