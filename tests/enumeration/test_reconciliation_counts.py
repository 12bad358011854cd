"""The reconciliation page's section counts: from the counters, the same numbers the rows
give, and the page lists the rows without counting them again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enumeration import progress
from enumeration.progress_services import progress_rebuild
from tests.enumeration.stage2 import accepted_list, people
from tests.enumeration.test_progress import fixture  # noqa: F401  (the shared fixture)
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_section_counts_match_the_rows(department_user, officer_a, fixture):  # noqa: F811
    campaign = fixture["a"].respondent_lists.get().campaign
    for user in (department_user, officer_a):
        sections = progress.reconciliation_sections(user=user, campaign=campaign)
        by_list = progress.reconciliation_by_list(user=user, campaign=campaign)
        counts = progress.reconciliation_counts(by_list=by_list)
        assert counts == {key: rows.count() for key, rows in sections.items()}
    assert counts["outstanding"] == 2  # officer A: p5 refused, p6 pending


def test_page_shows_the_counts_and_counts_people_rows_no_more(
    client_for,
    department_user,
    fixture,  # noqa: F811
):
    client = client_for(department_user)
    url = reverse("enumeration:reconciliation")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.context["counts"] == {"outstanding": 4, "arrivals": 1, "not_listed": 0}
    assert response.context["page"].paginator.count == 4
    assert len(response.context["page"].object_list) == 4
    counted_people = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "respondents_respondent"')
    ]
    assert counted_people == []  # every section's count is read from the counters


def test_outstanding_pages_list_by_list_as_the_full_sort_would(department_user, fixture):  # noqa: F811
    for size in (4, 7, 5):
        people(accepted_list(InstitutionFactory()), size)
    campaign = fixture["a"].respondent_lists.get().campaign
    progress_rebuild(campaign=campaign)  # the people above were added behind the services
    rows = progress.reconciliation_sections(user=department_user, campaign=campaign)["outstanding"]
    paged = progress.ListByListRows(
        rows, progress.outstanding_by_list(user=department_user, campaign=campaign)
    )
    everyone = list(rows)
    assert paged.count() == len(everyone) == 4 + 16
    for width in (1, 3, 50):
        for start in range(0, len(everyone) + 1):
            assert paged[start : start + width] == everyone[start : start + width]
