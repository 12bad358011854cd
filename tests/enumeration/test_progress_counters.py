"""Progress counters: kept in step with the raw rows by the services, and rebuilt on demand."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from enumeration import progress
from enumeration import services as enumeration
from enumeration.models import DailyProgress, Enumeration, ListProgress
from enumeration.progress_services import progress_rebuild
from enumeration.selectors import listed_q
from institutions.models import Campaign, Institution
from respondents import services as lists
from respondents.choices import ListStatus
from respondents.models import Respondent
from tests.enumeration.stage2 import people
from tests.factories import DepartmentUserFactory, InstitutionFactory, ResponsibleStaffFactory
from tests.respondents.factories import RespondentListFactory, row_data

pytestmark = pytest.mark.django_db

SEP_20, SEP_25, OCT_5, OCT_6 = (
    dt.date(2021, 9, 20),
    dt.date(2021, 9, 25),
    dt.date(2021, 10, 5),
    dt.date(2021, 10, 6),
)
BEFORE_CRITICAL = dt.date(2021, 8, 10)


def _fresh(campaign: Campaign) -> tuple[dict[int, Any], Counter]:
    """Figures counted in Python from the raw rows, with the one "listed" rule."""
    listed = Respondent.objects.filter(listed_q(campaign))
    figures: dict[int, Any] = {}
    for institution_id in listed.values_list("respondent_list__institution_id", flat=True):
        entry = figures.setdefault(institution_id, [0, Counter()])
        entry[0] += 1
    daily: Counter = Counter()
    rows = Enumeration.objects.filter(respondent__in=listed).values_list(
        "respondent__respondent_list__institution_id", "status", "method", "reason", "enumerated_on"
    )
    for institution_id, status, method, reason, day in rows:
        if status == "enumerated":
            figures[institution_id][1][("method", method)] += 1
            daily[(day, method)] += 1
        elif status == "not_enumerated":
            figures[institution_id][1][("reason", reason)] += 1
    return {pk: (n, +outcomes) for pk, (n, outcomes) in figures.items()}, daily


def _stored(campaign: Campaign, user: Any) -> tuple[dict[int, Any], Counter]:
    """The same figures as the dashboard reads them from the counters."""
    figures = {}
    for pk, p in progress.progress_of_institutions(Institution.objects.all(), campaign).items():
        outcomes = Counter({("method", m): n for m, n in p.by_method.items()})
        outcomes.update({("reason", r): n for r, n in p.by_reason.items()})
        if p.listed:
            figures[pk] = (p.listed, +outcomes)
    daily: Counter = Counter()
    for day in progress.progress_daily(user=user, campaign=campaign):
        daily.update({(day.day, m): n for m, n in day.by_method.items() if n})
    return figures, daily


def _assert_consistent(campaign: Campaign, user: Any) -> None:
    assert _stored(campaign, user) == _fresh(campaign)


def _record(actor: Any, *outcomes: tuple[Respondent, dict[str, Any]]) -> None:
    enumeration.enumeration_record_batch(
        actor=actor, updates=[{"respondent_id": person.pk, **values} for person, values in outcomes]
    )


def _online(day: dt.date = SEP_20) -> dict[str, Any]:
    return {"status": "enumerated", "method": "online_self", "enumerated_on": day}


def _tablet(day: dt.date = OCT_5) -> dict[str, Any]:
    return {"status": "enumerated", "method": "tablet", "enumerated_on": day}


def _not_enumerated(reason: str) -> dict[str, Any]:
    return {"status": "not_enumerated", "reason": reason, "enumerated_on": OCT_5}


def _table_rows(campaign: Campaign) -> tuple[set, set]:
    return (
        set(ListProgress.objects.filter(campaign=campaign).values_list()),
        set(
            DailyProgress.objects.filter(campaign=campaign).values_list(
                "respondent_list", "institution", "campaign", "day", "method", "enumerated"
            )
        ),
    )


def test_counters_follow_every_change_and_equal_a_fresh_recount(department_user):
    user = department_user
    list_a = RespondentListFactory(status=ListStatus.SUBMITTED)
    list_b = RespondentListFactory(status=ListStatus.SUBMITTED)
    draft = RespondentListFactory(status=ListStatus.DRAFT)
    campaign = list_a.campaign
    p1, p2, p3, p4, p5, _p6 = people(list_a, 6)
    q1, q2, _q3 = people(list_b, 3)
    people(draft, 2)
    _assert_consistent(campaign, user)  # nothing accepted, nothing counted

    lists.respondent_list_accept(actor=user, respondent_list=list_a)
    assert ListProgress.objects.get(respondent_list=list_a).listed == 6
    _assert_consistent(campaign, user)

    _record(
        user, (p1, _online()), (p2, _online()), (p3, _tablet()), (p4, _not_enumerated("refused"))
    )
    _assert_consistent(campaign, user)

    lists.respondent_list_accept(actor=user, respondent_list=list_b)
    _record(user, (q1, _tablet()))
    _assert_consistent(campaign, user)

    arrival = lists.respondent_add_arrival(
        actor=user, respondent_list=list_a, data=row_data(), arrived_on=dt.date(2021, 7, 20)
    )
    assert ListProgress.objects.get(respondent_list=list_a).listed == 7
    staff = ResponsibleStaffFactory(institution=list_a.institution)
    _record(
        user,
        (
            arrival,
            {
                "status": "enumerated",
                "method": "admin_records",
                "enumerated_on": SEP_20,
                "staff_id": staff.pk,
                "reason_detail": "Ауыр науқас",
            },
        ),
    )
    _assert_consistent(campaign, user)

    # Left before the critical moment: no longer listed; after it: still counted.
    lists.respondent_record_departure(
        actor=user, respondent=p5, departed_on=BEFORE_CRITICAL, reason="left"
    )
    lists.respondent_record_departure(actor=user, respondent=p1, departed_on=SEP_25, reason="died")
    assert ListProgress.objects.get(respondent_list=list_a).listed == 6
    _assert_consistent(campaign, user)

    # Changed outcomes replace the old ones, wherever they were counted.
    _record(
        user,
        (p2, _tablet(OCT_6)),
        (p3, _not_enumerated("absent")),
        (p4, {"status": "pending"}),
        (q2, _online(SEP_25)),
    )
    _assert_consistent(campaign, user)
    # An enumerated person recorded afterwards as having left before the critical moment.
    lists.respondent_record_departure(
        actor=user, respondent=p2, departed_on=BEFORE_CRITICAL, reason="left"
    )
    _assert_consistent(campaign, user)

    figures = progress.progress_of_institutions(Institution.objects.all(), campaign)
    a = figures[list_a.institution_id]
    assert (a.listed, a.enumerated, a.not_enumerated, a.pending) == (5, 2, 1, 2)
    assert draft.institution_id not in figures

    before = _table_rows(campaign)
    progress_rebuild()
    progress_rebuild(campaign=campaign)
    assert _table_rows(campaign) == before


def test_rebuild_repairs_counters_after_writes_behind_the_services(department_user, capsys):
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    campaign = respondent_list.campaign
    lists.respondent_list_accept(actor=department_user, respondent_list=respondent_list)
    first, _second = people(respondent_list, 2)  # rows written directly: not counted yet
    _record(department_user, (first, _online()))  # any refresh recounts the whole list
    _assert_consistent(campaign, department_user)
    Enumeration.objects.filter(respondent=first).update(method="tablet", enumerated_on=OCT_5)
    assert _stored(campaign, department_user) != _fresh(campaign)
    call_command("progress_rebuild", campaign=campaign.code)
    assert "lists=1" in capsys.readouterr().out
    _assert_consistent(campaign, department_user)


def test_dashboard_reads_counters_not_respondents(department_user):
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    people(respondent_list, 3)
    lists.respondent_list_accept(actor=department_user, respondent_list=respondent_list)
    people(RespondentListFactory(status=ListStatus.ACCEPTED, institution=InstitutionFactory()), 2)
    with CaptureQueriesContext(connection) as queries:
        report = progress.progress_report(user=department_user, campaign=respondent_list.campaign)
        progress.progress_daily(user=department_user, campaign=respondent_list.campaign)
    assert report.total.listed == 3
    assert not [q for q in queries if 'respondents_respondent"' in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_on_one_list_leave_the_true_counts():
    """The second batch recounts only after the first commits, so it sees both outcomes."""
    department = DepartmentUserFactory()
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    first_person, second_person, _third = people(respondent_list, 3)
    lists.respondent_list_accept(actor=department, respondent_list=respondent_list)
    first_recorded = threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                _record(department, (first_person, _online()))
                first_recorded.set()
                time.sleep(0.5)  # the second batch reaches its recount meanwhile
        except BaseException as exc:
            failures.append(exc)
        finally:
            first_recorded.set()
            connection.close()

    def second() -> None:
        try:
            first_recorded.wait(timeout=10)
            _record(department, (second_person, _tablet()))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    counters = ListProgress.objects.get(respondent_list=respondent_list)
    assert (counters.listed, counters.method_online_self, counters.method_tablet) == (3, 1, 1)
    _assert_consistent(respondent_list.campaign, department)
