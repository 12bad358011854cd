"""The reconciliation report's "arrivals" and "no longer listed" sections are counters of
``ListProgress``: kept by the writes that change them (an outcome, an arrival, a
departure, a list's acceptance, a moved critical moment), rebuilt by ``progress_rebuild``,
filled for existing data by their migration, and read by the page instead of counting
people, so that its queries do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enumeration import progress
from enumeration import services as enumeration
from enumeration.models import Enumeration, ListProgress
from enumeration.progress_services import progress_rebuild
from institutions.campaign_services import campaign_dates_change
from institutions.models import Institution
from institutions.selectors import campaign_get_active
from respondents import services as lists
from respondents.choices import ListStatus
from respondents.models import Respondent
from tests.enumeration.stage2 import people
from tests.factories import InstitutionFactory
from tests.respondents.factories import RespondentListFactory, bulk_people, row_data

pytestmark = pytest.mark.django_db

SEP_20, SEP_25 = dt.date(2021, 9, 20), dt.date(2021, 9, 25)
ARRIVED, BEFORE_CRITICAL = dt.date(2021, 7, 20), dt.date(2021, 8, 10)
UTC6 = dt.timezone(dt.timedelta(hours=6))
TAB = re.compile(r'href="\?section=(\w+)"[^>]*>[^<]*\((\d+)\)</a>')


def _online(*people: Respondent) -> list[dict[str, Any]]:
    return [
        {
            "respondent_id": person.pk,
            "status": "enumerated",
            "method": "online_self",
            "enumerated_on": SEP_20,
        }
        for person in people
    ]


def _record(actor: Any, updates: list[dict[str, Any]]) -> None:
    enumeration.enumeration_record_batch(actor=actor, updates=updates)


def _arrival(actor: Any, respondent_list: Any, surname: str, born: int = 0) -> Respondent:
    return lists.respondent_add_arrival(
        actor=actor,
        respondent_list=respondent_list,
        data=row_data(surname=surname, birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=born)),
        arrived_on=ARRIVED,
    )


def _leave(actor: Any, person: Respondent, day: dt.date) -> None:
    person.refresh_from_db()
    lists.respondent_record_departure(
        actor=actor, respondent=person, departed_on=day, reason="left"
    )


def _stored(respondent_list: Any) -> tuple[int, int]:
    row = ListProgress.objects.filter(respondent_list=respondent_list).first()
    return (row.arrivals, row.not_listed) if row else (0, 0)


def _page(client: Any, section: str) -> tuple[dict[str, int], set[int]]:
    """The tabs' counts as the page prints them, and the people the section lists."""
    response = client.get(reverse("enumeration:reconciliation"), {"section": section})
    tabs = {key: int(n) for key, n in TAB.findall(response.content.decode())}
    return tabs, {row.pk for row in response.context["page"]}


def _assert_shown(client: Any, user: Any, arrivals: set[Respondent], gone: set[Respondent]):
    """The page's counts and rows are the people expected, and the counters agree with
    the section's rows counted afresh."""
    campaign = campaign_get_active()
    sections = progress.reconciliation_sections(user=user, campaign=campaign)
    assert set(sections["arrivals"]) == arrivals
    assert set(sections["not_listed"]) == gone
    tabs, shown = _page(client, "arrivals")
    assert (tabs["arrivals"], tabs["not_listed"]) == (len(arrivals), len(gone))
    assert shown == {person.pk for person in arrivals}
    tabs, shown = _page(client, "not_listed")
    assert shown == {person.pk for person in gone}
    assert tabs["outstanding"] == sections["outstanding"].count()


def test_counters_follow_arrivals_departures_and_outcomes(client_for, department_user):
    user = department_user
    client = client_for(user)
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    p1, p2, _p3 = people(respondent_list, 3)
    lists.respondent_list_accept(actor=user, respondent_list=respondent_list)
    _assert_shown(client, user, set(), set())
    assert _stored(respondent_list) == (0, 0)

    # An arrival counts once enumerated: 0, 1, then 2.
    a1 = _arrival(user, respondent_list, "Әлиев")
    assert _stored(respondent_list) == (0, 0)
    _assert_shown(client, user, set(), set())
    _record(user, _online(a1))
    assert _stored(respondent_list) == (1, 0)
    _assert_shown(client, user, {a1}, set())
    a2 = _arrival(user, respondent_list, "Бекова")
    _record(user, _online(a2, p1, p2))
    assert _stored(respondent_list) == (2, 0)
    _assert_shown(client, user, {a1, a2}, set())

    # Departures: before the critical moment the person is no longer listed (0, 1, 2);
    # after it they still count where they were.
    _leave(user, p1, BEFORE_CRITICAL)
    assert _stored(respondent_list) == (2, 1)
    _assert_shown(client, user, {a1, a2}, {p1})
    _leave(user, a1, BEFORE_CRITICAL)  # an arrival moves from one section to the other
    assert _stored(respondent_list) == (1, 2)
    _assert_shown(client, user, {a2}, {p1, a1})
    _leave(user, p2, SEP_25)
    assert _stored(respondent_list) == (1, 2)

    # A changed outcome takes the arrival out of its section.
    _record(user, [{"respondent_id": a2.pk, "status": "pending"}])
    assert _stored(respondent_list) == (0, 2)
    _assert_shown(client, user, set(), {p1, a1})

    # The critical moment moves before the departures: both are listed again.
    campaign = campaign_get_active()
    moved = campaign.critical_moment
    earlier = dt.datetime(2021, 8, 5, tzinfo=UTC6)
    campaign_dates_change(actor=user, campaign=campaign, dates={"critical_moment": earlier})
    assert _stored(respondent_list) == (1, 0)
    _assert_shown(client, user, {a1}, set())
    campaign_dates_change(actor=user, campaign=campaign, dates={"critical_moment": moved})
    assert _stored(respondent_list) == (0, 2)

    before = list(ListProgress.objects.values_list())
    progress_rebuild()
    assert list(ListProgress.objects.values_list()) == before


def test_a_list_status_change_moves_people_out_of_no_longer_listed(client_for, department_user):
    """People with an outcome on a list that is not accepted (written behind the services)
    are no longer listed; accepting the list makes them listed."""
    user = department_user
    client = client_for(user)
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    first, second = people(respondent_list, 2)
    for person in (first, second):
        Enumeration.objects.create(
            respondent=person, status="enumerated", method="tablet", enumerated_on=SEP_20
        )
    progress_rebuild()
    counters = ListProgress.objects.get(respondent_list=respondent_list)
    assert (counters.listed, counters.not_listed) == (0, 2)
    # Nobody listed: the readiness board and the dashboard see no figures for it.
    assert progress.progress_of_institutions(Institution.objects.all(), campaign_get_active()) == {}
    _assert_shown(client, user, set(), {first, second})

    lists.respondent_list_accept(actor=user, respondent_list=respondent_list)
    counters.refresh_from_db()
    assert (counters.listed, counters.method_tablet, counters.not_listed) == (2, 2, 0)
    _assert_shown(client, user, set(), set())


def test_the_migration_fills_the_counters_of_existing_data(department_user):
    user = department_user
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    stays, leaves = people(respondent_list, 2)
    lists.respondent_list_accept(actor=user, respondent_list=respondent_list)
    arrival = _arrival(user, respondent_list, "Әлиев")
    _record(user, _online(stays, leaves, arrival))
    _leave(user, leaves, BEFORE_CRITICAL)
    gone = RespondentListFactory(status=ListStatus.SUBMITTED, institution=InstitutionFactory())
    (only,) = people(gone, 1)
    Enumeration.objects.create(
        respondent=only, status="enumerated", method="tablet", enumerated_on=SEP_20
    )
    progress_rebuild()
    expected = sorted(ListProgress.objects.values_list())
    # As before the migration: no such columns, and no row for a list nobody is listed on.
    ListProgress.objects.filter(listed=0).delete()
    ListProgress.objects.update(arrivals=0, not_listed=0)

    migration = importlib.import_module("enumeration.migrations.0004_listprogress_reconciliation")
    with connection.schema_editor() as editor:
        migration.fill(apps, editor)
    assert sorted(ListProgress.objects.values_list()) == expected
    assert _stored(respondent_list) == (1, 1)
    assert _stored(gone) == (0, 1)


@pytest.mark.parametrize("section", ["outstanding", "arrivals", "not_listed"])
def test_page_queries_do_not_grow_with_the_sections_rows(client_for, department_user, section):
    """1× and 10× the arrivals and early leavers: the same queries, none counting people,
    and the page's rows are those of its section."""
    user = department_user
    client = client_for(user)
    respondent_list = RespondentListFactory(status=ListStatus.SUBMITTED)
    bulk_people(respondent_list, 3)
    lists.respondent_list_accept(actor=user, respondent_list=respondent_list)
    url = reverse("enumeration:reconciliation")

    def grow(times: int) -> None:
        bulk_people(respondent_list, times * 3, start=respondent_list.respondents.count())
        for n in range(times * 2 - Respondent.objects.filter(arrived_on__isnull=False).count()):
            arrival = _arrival(user, respondent_list, "Келгенов", born=times * 100 + n)
            _record(user, _online(arrival))
        listed = Respondent.objects.filter(
            respondent_list=respondent_list, departed_on__isnull=True, arrived_on__isnull=True
        ).order_by("pk")
        for person in list(listed)[: times - ListProgress.objects.get().not_listed]:
            _record(user, _online(person))
            _leave(user, person, BEFORE_CRITICAL)
        progress_rebuild()  # the rows added in bulk went behind the services

    def queries(times: int) -> int:
        grow(times)
        client.get(url, {"section": section})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"section": section})
        assert response.context["counts"] == {
            "outstanding": Respondent.objects.filter(
                respondent_list=respondent_list, departed_on__isnull=True
            )
            .exclude(enumeration__status="enumerated")
            .count(),
            "arrivals": 2 * times,
            "not_listed": times,
        }
        assert len(response.context["page"].object_list) == min(
            response.context["counts"][section], 50
        )
        assert not [
            q
            for q in captured
            if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "respondents_respondent"')
        ]
        return len(captured)

    once = queries(1)
    assert queries(10) == once
