"""A kind added by another app needs only its reminder_kinds.py; overdue items reach the
Department's daily digest. The kind here stands in for "list not submitted"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from institutions.models import Campaign, Region
from reminders import registry, services
from reminders.models import Reminder
from reminders.registry import Due, ReminderKind, reminder_kinds
from tests.factories import DepartmentUserFactory, InstitutionFactory, OfficerFactory
from tests.reminders.conftest import days

pytestmark = pytest.mark.django_db

LATE_BIN: set[str] = set()


def _lists_not_submitted(campaign: Campaign, today: dt.date):
    from institutions.models import Institution

    for institution in Institution.objects.filter(bin__in=LATE_BIN):
        yield Due(
            object=institution,
            deadline=campaign.list_submission_deadline,
            institution_id=institution.pk,
            context={"name": registry.ctx_name(kk=institution.name_kk, ru=institution.name_ru)},
        )


FAKE_KIND = ReminderKind(
    code="test_list_not_submitted",
    label="Stage-1 list not submitted",
    subject="List of %(name)s due %(deadline)s",
    body="Days left: %(days_left)s.",
    overdue_subject="List of %(name)s overdue since %(deadline)s",
    due=_lists_not_submitted,
    default_send_overdue=True,
)


@pytest.fixture
def with_fake_kind(monkeypatch):
    # The fake stands in for the real list kind, whose institutions it picks by BIN.
    real = tuple(kind for kind in reminder_kinds() if kind.code != "list_not_submitted")
    kinds = (*real, FAKE_KIND)
    monkeypatch.setattr(registry, "reminder_kinds", lambda: kinds)
    monkeypatch.setattr(services, "reminder_kinds", lambda: kinds)
    yield
    LATE_BIN.clear()


def test_list_kind_over_the_stage_1_timeline_and_the_digest(with_fake_kind, campaign, run_day):
    late = InstitutionFactory(name_ru="опаздывает")
    LATE_BIN.add(late.bin)
    OfficerFactory(username="late_officer", institution=late)
    akmola_staff = DepartmentUserFactory(username="akmola_dept", region=Region.objects.get())
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    DepartmentUserFactory(username="other_region_dept", region=elsewhere)

    deadline = campaign.list_submission_deadline
    sent = {}
    for day in days(deadline - dt.timedelta(days=10), deadline + dt.timedelta(days=3)):
        emails = run_day(day, digest=True)
        if emails:
            sent[day] = sorted(to.split("@")[0] for to, _subject in emails)

    officer_days = [day for day, users in sent.items() if "late_officer" in users]
    assert officer_days == [
        deadline - dt.timedelta(days=7),
        deadline - dt.timedelta(days=3),
        deadline - dt.timedelta(days=1),
        deadline + dt.timedelta(days=1),
    ]
    digest_days = [day for day, users in sent.items() if "akmola_dept" in users]
    assert digest_days == days(deadline + dt.timedelta(days=1), deadline + dt.timedelta(days=3))
    assert not any("other_region_dept" in users for users in sent.values())
    digest = next(m for m in mail.outbox if m.to[0].startswith("akmola_dept"))
    assert late.name_kk in digest.body
    assert Reminder.objects.filter(recipient=akmola_staff, kind="department_digest").count() == 3


def test_overdue_reminder_names_the_deadline(with_fake_kind, campaign, run_day):
    late = InstitutionFactory(name_ru="опаздывает")
    LATE_BIN.add(late.bin)
    officer = OfficerFactory(institution=late, language="ru")
    [(to, subject)] = run_day(campaign.list_submission_deadline + dt.timedelta(days=2))
    assert to == officer.email
    assert subject == "List of опаздывает overdue since 15.06.2021"


def test_no_digest_when_nothing_is_overdue(campaign, department_user, run_day):
    assert run_day(campaign.list_submission_deadline + dt.timedelta(days=1), digest=True) == []


def test_kind_codes_are_unique_and_registered_in_app_order():
    codes = [kind.code for kind in reminder_kinds()]
    assert codes.index("seminar_upcoming") < codes.index("department_digest")
    assert len(codes) == len(set(codes))


def test_department_audience_goes_to_staff_of_the_institutions_region(
    monkeypatch, campaign, department_user
):
    late = InstitutionFactory()
    LATE_BIN.add(late.bin)
    elsewhere = Region.objects.create(
        code="elsewhere", name_kk="Басқа", name_ru="Другая", name_en="Other"
    )
    outsider = DepartmentUserFactory(region=elsewhere)
    OfficerFactory(institution=late)
    kind = ReminderKind(
        code="test_kits_not_returned",
        label="Kits not returned",
        subject="Kits of %(name)s",
        body="Deadline %(deadline)s.",
        due=_lists_not_submitted,
        audience=registry.Audience.DEPARTMENT,
        default_lead_days=(0,),
    )
    kinds = (kind,)
    monkeypatch.setattr(registry, "reminder_kinds", lambda: kinds)
    monkeypatch.setattr(services, "reminder_kinds", lambda: kinds)
    try:
        services.reminders_evaluate(today=campaign.list_submission_deadline, campaign=campaign)
    finally:
        LATE_BIN.clear()
    assert list(Reminder.objects.values_list("recipient", flat=True)) == [department_user.pk]
    assert outsider.pk not in Reminder.objects.values_list("recipient", flat=True)


def test_evaluation_queries_do_not_grow_with_institutions(campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ResponsibleStaffFactory
    from tests.institutions.factories import SeminarFactory

    seminar_day = dt.date(2021, 7, 15)
    SeminarFactory(campaign=campaign, date=seminar_day)

    def add_institutions(count: int) -> None:
        for _ in range(count):
            institution = InstitutionFactory()
            ResponsibleStaffFactory(institution=institution)
            OfficerFactory(institution=institution)

    def queries_for(day: dt.date) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.reminders_evaluate(today=day, campaign=campaign)
        return len(captured)

    add_institutions(2)
    queries_for(seminar_day - dt.timedelta(days=7))  # warms the content-type cache
    few = queries_for(seminar_day - dt.timedelta(days=7))
    add_institutions(12)
    many = queries_for(seminar_day - dt.timedelta(days=1))
    assert Reminder.objects.filter(lead_days=1).count() == 14
    assert many == few
