"""Every main page costs the same number of queries with ten times the people on the lists.

Pages that show people's rows page them (``PAGE_SIZE``), so they render one page whatever
the list's length; every other page reads counters (``ListProgress``, ``ListSize``) or
aggregates per list, never per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enumeration import services as enumeration_services
from respondents.models import RespondentList
from respondents.views import PAGE_SIZE
from tests.enumeration.stage2 import accepted_list
from tests.factories import InstitutionFactory
from tests.respondents.factories import RespondentListFactory, bulk_people

pytestmark = pytest.mark.django_db

BASE = 6  # people per list at 1×; at 10× a list is longer than one page
# Inside the online window: outcomes can be recorded, and the clock does not move, so
# that no request refreshes the session's "last seen" mark and another does not.
DURING_CENSUS = dt.datetime(2021, 9, 20, 6, tzinfo=dt.UTC)


def _grow(lists: list[RespondentList], people: int, actor: Any) -> None:
    """Bring every list to ``people`` rows, with an outcome for every other person."""
    for respondent_list in lists:
        have = respondent_list.respondents.count()
        bulk_people(respondent_list, people - have, start=have)
        pending = respondent_list.respondents.filter(enumeration__isnull=True).order_by("pk")
        enumeration_services.enumeration_record_batch(
            actor=actor,
            updates=[
                {
                    "respondent_id": pk,
                    "status": "enumerated",
                    "method": "online_self",
                    "enumerated_on": DURING_CENSUS.date(),
                }
                for pk in list(pending.values_list("pk", flat=True))[::2]
            ],
        )


Url = Callable[[RespondentList], str]
PAGES: dict[str, tuple[str, Url]] = {
    "officer_home": ("officer", lambda _l: reverse("institutions:officer_home")),
    "officer_list": ("officer", lambda own: reverse("respondents:list_detail", args=[own.pk])),
    "worklist": ("officer", lambda _l: reverse("enumeration:worklist")),
    "readiness_board": ("department", lambda _l: reverse("institutions:department_home")),
    "lists_board": ("department", lambda _l: reverse("respondents:board")),
    "dashboard": ("department", lambda _l: reverse("enumeration:progress")),
    "reconciliation": ("department", lambda _l: reverse("enumeration:reconciliation")),
    "sync_board": ("department", lambda _l: reverse("sync:board")),
    "blanks_report": ("department", lambda _l: reverse("equipment:blanks")),
    "institutions_api": ("department", lambda _l: "/api/v1/institutions/"),
    "list_rows_api": ("officer", lambda own: f"/api/v1/respondent-lists/{own.pk}/respondents/"),
    "census_db_counts": ("department", lambda _l: reverse("censusdb:counts")),
    "census_db_forms": ("officer", lambda _l: reverse("censusdb:record_list")),
    "census_reconciliation": (
        "department",
        lambda _l: reverse("censusdb:reconciliation") + "?section=not_in_db",
    ),
    "census_reconciliation_officer": (
        "officer",
        lambda _l: reverse("censusdb:reconciliation") + "?section=not_in_db",
    ),
    "census_reconciliation_api": (
        "department",
        lambda _l: reverse("census-reconciliation-list") + "?group=institution",
    ),
    "census_reconciliation_people_api": (
        "department",
        lambda _l: reverse("census-reconciliation-people") + "?section=not_in_db",
    ),
    "census_reconciliation_people_api_officer": (
        "officer",
        lambda _l: reverse("census-reconciliation-people") + "?section=not_in_db",
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_queries_do_not_grow_with_the_rows(
    page, client_for, officer_a, department_user, institution_a, institution_b
):
    role, url_of = PAGES[page]
    with time_machine.travel(DURING_CENSUS, tick=False):
        lists = [accepted_list(institution_a), accepted_list(institution_b)]
        client = client_for(officer_a if role == "officer" else department_user)
        url = url_of(lists[0])

        def queries(people: int) -> int:
            _grow(lists, people, department_user)
            assert client.get(url).status_code == 200  # sessions, caches, first-use reads
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200
            if "page" in (response.context or {}):
                assert len(response.context["page"].object_list) <= PAGE_SIZE
            return len(captured)

        once = queries(BASE)
        assert queries(10 * BASE) == once


def test_boards_show_one_page_of_institutions_and_keep_the_filters(client_for, department_user):
    lists = [accepted_list(institution) for institution in InstitutionFactory.create_batch(55)]
    client = client_for(department_user)
    for name, url, total in (
        ("readiness board", reverse("institutions:department_home"), lambda c: c["board"].total),
        ("lists board", reverse("respondents:board"), lambda c: len(c["institutions"])),
    ):
        first = client.get(url, {"sort": "name", "status": "accepted"})
        assert total(first.context) == len(lists), name  # the summary counts them all
        assert len(first.context["page"].object_list) == PAGE_SIZE, name
        assert "sort=name&amp;status=accepted&amp;page=2" in first.content.decode(), name
        last = client.get(url, {"sort": "name", "status": "accepted", "page": 2})
        assert len(last.context["page"].object_list) == len(lists) - PAGE_SIZE, name


def test_regional_board_offers_the_districts_of_its_region_only(client_for):
    from institutions.models import District, Region
    from tests.factories import DepartmentUserFactory

    region = Region.objects.get(code="akmola")
    other = Region.objects.create(code="other", name_kk="Басқа", name_ru="Другая", name_en="Other")
    District.objects.create(region=other, code="far", name_kk="Алыс", name_ru="Дальний")
    user = DepartmentUserFactory(region=region)
    response = client_for(user).get(reverse("institutions:department_home"))
    offered = set(response.context["filterset"].form.fields["district"].queryset)
    assert offered == set(District.objects.filter(region=region))


def test_board_reads_the_figures_items_share_once(department_user, officer_a, institution_a):
    from institutions.models import Institution
    from institutions.readiness import readiness_items
    from institutions.selectors import campaign_get_active, institution_readiness_list
    from respondents import services
    from tests.respondents.factories import row_data

    campaign = campaign_get_active()
    with CaptureQueriesContext(connection) as captured:
        institution_readiness_list(user=department_user, campaign=campaign)
    staff = [
        q
        for q in captured
        if 'FROM "institutions_institution" LEFT OUTER JOIN "institutions_responsiblestaff"'
        in q["sql"]
    ]
    lists = [q for q in captured if "campaign_list" in q["sql"]]
    assert (len(staff), len(lists)) == (1, 1)  # three staff items, two list items

    # Outside a board every call reads afresh: a queryset kept by a caller is never stale.
    items = {item.code: item for item in readiness_items()}
    mine = Institution.objects.filter(pk=institution_a.pk)
    assert not items["list_submitted"].compute(mine, campaign)[institution_a.pk].done
    respondent_list = RespondentListFactory(institution=institution_a)
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    assert items["list_submitted"].compute(mine, campaign)[institution_a.pk].done
