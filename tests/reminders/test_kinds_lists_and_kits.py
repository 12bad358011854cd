"""Walk the 2021 stage-1 and kit-return dates day by day: who is reminded about lists and
tablet kits, when, once, and what the Department's digest shows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equipment.choices import Component, ReturnOutcome
from equipment.reminder_kinds import _kits_not_returned_due
from equipment.services import (
    KitReturnLine,
    handover_act_create,
    handover_act_sign,
    kit_return_record,
)
from reminders.models import Notification, Reminder
from respondents import services as lists
from respondents.reminder_kinds import (
    RESUBMISSION_DAYS,
    _list_not_submitted_due,
    _list_returned_due,
)
from tests.equipment.conftest import scan
from tests.equipment.factories import TabletKitFactory
from tests.factories import InstitutionFactory, OfficerFactory, ResponsibleStaffFactory
from tests.reminders.conftest import at_ten, days
from tests.respondents.factories import row_data

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
COMMENT = "Бөлме нөмірлерін толтырыңыз."


def on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(at_ten(day), tick=False)


def recipients(emails: list[tuple[str, str]]) -> list[str]:
    return sorted(to.split("@")[0] for to, _subject in emails)


def walk(run_day, first: dt.date, last: dt.date, **kwargs) -> dict[dt.date, list[str]]:
    sent = {}
    for day in days(first, last):
        emails = run_day(day, **kwargs)
        if emails:
            sent[day] = recipients(emails)
    return sent


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- lists ------------------------------------------------------------------------------


def _open_list(officer, campaign, rows: int = 2):
    respondent_list = lists.respondent_list_open(
        actor=officer, institution=officer.institution, campaign=campaign
    )
    for n in range(rows):
        lists.respondent_create(
            actor=officer,
            respondent_list=respondent_list,
            data=row_data(birth_date=dt.date(1950, 1, 1 + n)),
        )
    return respondent_list


def _submit(officer, respondent_list, day: dt.date):
    with on(day):
        return lists.respondent_list_submit(actor=officer, respondent_list=respondent_list)


def _return(department_user, respondent_list, day: dt.date):
    with on(day):
        return lists.respondent_list_return(
            actor=department_user, respondent_list=respondent_list, comment=COMMENT
        )


@pytest.fixture
def stage_1(campaign):
    """Officers of institutions in every state of their list at the deadline."""
    deadline = campaign.list_submission_deadline
    officers = {
        name: OfficerFactory(username=name, institution=InstitutionFactory(name_ru=name))
        for name in ("no_list", "draft", "submitted", "late_submitter")
    }
    _open_list(officers["draft"], campaign)
    _submit(officers["submitted"], _open_list(officers["submitted"], campaign), deadline - 9 * DAY)
    inactive = InstitutionFactory(is_active=False)
    OfficerFactory(username="inactive", institution=inactive)
    return officers


def test_list_reminders_over_the_stage_1_timeline(stage_1, campaign, run_day):
    deadline = campaign.list_submission_deadline
    late_list = _open_list(stage_1["late_submitter"], campaign)
    sent = {}
    for day in days(deadline - 10 * DAY, deadline + 4 * DAY):
        if day == deadline - 2 * DAY:
            _submit(stage_1["late_submitter"], late_list, day)
        emails = run_day(day)
        if emails:
            sent[day] = recipients(emails)

    assert sent == {
        deadline - 7 * DAY: ["draft", "late_submitter", "no_list"],
        deadline - 3 * DAY: ["draft", "late_submitter", "no_list"],
        # Submitted two days before the deadline: no more reminders.
        deadline - 1 * DAY: ["draft", "no_list"],
        # One overdue reminder on the first day after the deadline, none after it.
        deadline + 1 * DAY: ["draft", "no_list"],
    }
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"list_not_submitted"}
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert set(Reminder.objects.values_list("lead_days", flat=True)) == {-1, 1, 3, 7}


def test_list_reminder_reads_in_the_officers_language(stage_1, campaign, run_day):
    deadline = campaign.list_submission_deadline
    stage_1["draft"].language = "ru"
    stage_1["draft"].save()
    run_day(deadline - 3 * DAY)
    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert by_user["draft"].subject == "Список респондентов нужно сдать до 15.06.2021"
    assert by_user["no_list"].subject == "Респонденттер тізімін 15.06.2021 дейін тапсыру керек"
    assert "01.06.2021" in by_user["draft"].body
    assert "(осталось дней: 3)" in by_user["draft"].body
    assert f"http://127.0.0.1:8000{reverse('respondents:my_list')}" in by_user["draft"].body

    mail.outbox.clear()
    run_day(deadline + DAY)
    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert by_user["draft"].subject == "Список респондентов просрочен: срок был 15.06.2021"


def test_a_draft_opened_between_reminders_is_not_reminded_twice(stage_1, campaign, run_day):
    deadline = campaign.list_submission_deadline
    assert "no_list" in recipients(run_day(deadline - 3 * DAY))
    _open_list(stage_1["no_list"], campaign)
    assert recipients(run_day(deadline - 3 * DAY)) == []
    assert "no_list" in recipients(run_day(deadline - 1 * DAY))


def test_returned_list_is_reminded_after_the_resubmission_period(
    campaign, department_user, run_day
):
    deadline = campaign.list_submission_deadline
    slow = OfficerFactory(username="slow", institution=InstitutionFactory(), language="ru")
    quick = OfficerFactory(username="quick", institution=InstitutionFactory())
    returned_on = deadline - 4 * DAY
    for officer in (slow, quick):
        respondent_list = _submit(officer, _open_list(officer, campaign), deadline - 5 * DAY)
        _return(department_user, respondent_list, returned_on)
    _submit(quick, quick.institution.respondent_lists.get(), returned_on + DAY)

    sent = walk(run_day, returned_on, deadline + 5 * DAY)

    due_on = returned_on + RESUBMISSION_DAYS * DAY
    assert sent == {due_on: ["slow"], due_on + DAY: ["slow"]}
    reminder = Reminder.objects.get(kind="list_returned_not_resubmitted", lead_days=0)
    assert reminder.context["comment"] == COMMENT
    subject = f"Список возвращён: сдайте повторно до {due_on:%d.%m.%Y}"
    message = next(m for m in mail.outbox if m.subject == subject)
    assert COMMENT in message.body
    assert f"{returned_on:%d.%m.%Y} Департамент вернул список" in message.body
    # The overdue reminder the next day replaced it in the one notice of this list.
    notification = Notification.objects.get(recipient__username="slow")
    assert notification.reminder.lead_days == -1
    assert COMMENT in notification.body
    assert notification.path == reverse("respondents:list_detail", args=[reminder.object_id])


def test_list_due_items_take_one_query_for_any_number_of_institutions(
    stage_1, campaign, department_user
):
    deadline = campaign.list_submission_deadline
    for _ in range(6):
        officer = OfficerFactory(institution=InstitutionFactory())
        submitted = _submit(officer, _open_list(officer, campaign), deadline - DAY)
        _return(department_user, submitted, deadline)
    today = deadline + DAY
    for due_function, expected in ((_list_not_submitted_due, 3), (_list_returned_due, 6)):
        with CaptureQueriesContext(connection) as queries:
            items = list(due_function(campaign, today))
        assert len(items) == expected
        assert len(queries) == 1


# --- kits -------------------------------------------------------------------------------


def _hand_over(department_user, staff, kits, *, day: dt.date):
    with on(day):
        act = handover_act_create(
            actor=department_user,
            institution=staff.institution,
            received_by=staff,
            kits=kits,
            act_date=day,
        )
        return handover_act_sign(
            actor=department_user,
            act=act,
            department_signed_on=day,
            recipient_signed_on=day,
            signed_scan=scan(),
        ).act


def _return_kits(department_user, act, items, *, day: dt.date):
    with on(day):
        kit_return_record(
            actor=department_user,
            act=act,
            returned_on=day,
            returned_by=act.received_by,
            lines=[
                KitReturnLine(
                    item_id=item.pk,
                    tablet_outcome=ReturnOutcome.RETURNED,
                    components=dict.fromkeys(Component.values, ReturnOutcome.RETURNED),
                )
                for item in items
            ],
        )


@pytest.fixture
def kits_out(campaign, department_user):
    """Three institutions' acts: one still out, one partly returned, one fully returned."""
    handed_over = campaign.tablet_start - 10 * DAY
    acts = {}
    for name in ("holds_kits", "returned_some", "returned_all"):
        officer = OfficerFactory(username=name, institution=InstitutionFactory(name_ru=name))
        staff = ResponsibleStaffFactory(institution=officer.institution)
        acts[name] = _hand_over(
            department_user, staff, TabletKitFactory.create_batch(2), day=handed_over
        )
    back = campaign.kit_return_deadline - 5 * DAY
    for name, items in (("returned_all", slice(None)), ("returned_some", slice(1))):
        _return_kits(department_user, acts[name], acts[name].items.all()[items], day=back)
    return acts


def test_kits_not_returned_are_reminded_after_the_return_deadline(kits_out, campaign, run_day):
    deadline = campaign.kit_return_deadline
    sent = walk(run_day, deadline - 8 * DAY, deadline + 4 * DAY)
    assert sent == {deadline + DAY: ["holds_kits", "returned_some"]}
    partly = Notification.objects.get(recipient__username="returned_some")
    number = kits_out["returned_some"].number
    assert partly.subject == f"№ {number} акт бойынша планшет жинақтары қайтарылмаған"
    assert "Қайтарылмаған жинақтар: 1" in partly.body
    assert partly.path == reverse("equipment:act_detail", args=[kits_out["returned_some"].pk])


def test_kits_reminder_reaches_the_receiver_once_and_where_their_account_is(
    campaign, department_user, run_day
):
    officer = OfficerFactory(username="officer_receiver")
    receiver = ResponsibleStaffFactory(institution=officer.institution, user=officer)
    _hand_over(department_user, receiver, [TabletKitFactory()], day=campaign.tablet_start)
    # A receiver whose account has moved to another institution still hears about the kit.
    moved = OfficerFactory(username="moved_receiver")
    old_place = OfficerFactory(username="old_place_officer").institution
    away = ResponsibleStaffFactory(institution=old_place, user=moved)
    _hand_over(department_user, away, [TabletKitFactory()], day=campaign.tablet_start)

    emails = run_day(campaign.kit_return_deadline + DAY)
    assert recipients(emails) == ["moved_receiver", "officer_receiver", "old_place_officer"]


def test_kit_due_items_take_one_query(kits_out, campaign, department_user):
    for _ in range(4):
        staff = ResponsibleStaffFactory(institution=InstitutionFactory())
        _hand_over(department_user, staff, [TabletKitFactory()], day=campaign.tablet_start)
    with CaptureQueriesContext(connection) as queries:
        items = list(_kits_not_returned_due(campaign, campaign.kit_return_deadline + DAY))
    assert len(items) == 6
    assert {item.context["kits"] for item in items} == {1, 2}
    assert len(queries) == 1


# --- exactly once and the digest --------------------------------------------------------


def test_running_every_kind_twice_sends_nothing_twice(
    stage_1, kits_out, campaign, department_user, run_day
):
    respondent_list = _submit(
        stage_1["late_submitter"],
        _open_list(stage_1["late_submitter"], campaign),
        campaign.list_submission_deadline - 5 * DAY,
    )
    _return(department_user, respondent_list, campaign.list_submission_deadline - 4 * DAY)
    for day in (
        campaign.list_submission_deadline - 7 * DAY,
        campaign.list_submission_deadline - 2 * DAY,
        campaign.list_submission_deadline + DAY,
        campaign.kit_return_deadline + DAY,
    ):
        assert run_day(day, digest=True)
        assert run_day(day, digest=True) == []
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {
        "list_not_submitted",
        "list_returned_not_resubmitted",
        "kits_not_returned",
        "department_digest",
    }
    assert Reminder.objects.count() == len(mail.outbox)
    # One notice per item and recipient; later lead times updated it.
    items = Reminder.objects.values("recipient", "kind", "content_type", "object_id").distinct()
    assert Notification.objects.count() == items.count()


def test_digest_lists_overdue_lists_and_kits_for_department_staff(
    stage_1, kits_out, campaign, department_user, run_day
):
    list_overdue = campaign.list_submission_deadline + DAY
    emails = run_day(list_overdue, digest=True)
    assert department_user.email in [to for to, _subject in emails]
    digest = Reminder.objects.get(kind="department_digest", due_date=list_overdue)
    overdue = {item["name"]["ru"]: item["kinds"] for item in digest.context["institutions"]}
    # The kits' institutions have no list either, so they are late with it too.
    assert overdue["no_list"] == ["list_not_submitted"]
    assert overdue["draft"] == ["list_not_submitted"]
    assert "submitted" not in overdue

    kits_overdue = campaign.kit_return_deadline + DAY
    run_day(kits_overdue, digest=True)
    digest = Reminder.objects.get(kind="department_digest", due_date=kits_overdue)
    overdue = {item["name"]["ru"]: item["kinds"] for item in digest.context["institutions"]}
    assert overdue["holds_kits"] == ["list_not_submitted", "kits_not_returned"]
    assert overdue["returned_all"] == ["list_not_submitted"]
    message = next(m for m in reversed(mail.outbox) if m.to == [department_user.email])
    assert "Планшет жинақтары қайтарылмаған" in message.body
