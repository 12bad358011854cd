"""``page_with_count`` gives the page ``Paginator.get_page`` gives, for every kind of page
number, in one query when the page asked for has rows."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from census_coord.pagination import page_with_count
from respondents.models import Respondent
from tests.respondents.factories import RespondentListFactory, bulk_people

pytestmark = pytest.mark.django_db

PER_PAGE = 4


@pytest.mark.parametrize("people", [0, 1, 4, 5, 9])
@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "99", "0", "-1", "x", "2.0", 2])
def test_the_same_page_as_get_page(people, number):
    respondent_list = RespondentListFactory()
    bulk_people(respondent_list, people)
    RespondentListFactory()  # another list's people are not counted
    rows = Respondent.objects.filter(respondent_list=respondent_list).order_by("surname", "pk")
    expected = Paginator(rows, PER_PAGE).get_page(number)
    page = page_with_count(rows, number, per_page=PER_PAGE)
    assert list(page.object_list) == list(expected.object_list)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == people
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())


def test_one_query_for_a_page_with_rows_two_past_the_last():
    respondent_list = RespondentListFactory()
    bulk_people(respondent_list, 6)
    rows = Respondent.objects.filter(respondent_list=respondent_list).order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        page = page_with_count(rows, "2", per_page=PER_PAGE)
        assert len(page.object_list) == 2
    assert len(captured) == 1
    with CaptureQueriesContext(connection) as captured:
        page = page_with_count(rows, "5", per_page=PER_PAGE)
        assert page.number == 2
        assert len(list(page.object_list)) == 2
    assert len(captured) == 3  # the empty page, the count, the last page
