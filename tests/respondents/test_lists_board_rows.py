"""The lists board's rows (``selectors.list_board_rows``): each cell's figure for none, one
and several rows and open conflicts, in the page's language, fresh after every change
although the rows' query is compiled once per campaign and process."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from respondents import services
from respondents.models import DuplicateIinConflict
from tests.factories import InstitutionFactory, OfficerFactory
from tests.respondents.factories import RespondentListFactory, make_iin, row_data

pytestmark = pytest.mark.django_db

NUMBERS = re.compile(r'<td class="num">(\d+)</td>')


def _cells(html: str, name: str) -> tuple[int, ...]:
    """Listed, living there now, expected, open duplicates of the row naming ``name``."""
    row = next(row for row in html.split("<tr") if f">{name}<" in row)
    return tuple(int(n) for n in NUMBERS.findall(row))


def _person(born: dt.date) -> dict:
    return row_data(birth_date=born, iin=make_iin(born))


def _list_of(institution, *people: dict) -> None:
    officer = OfficerFactory(institution=institution)
    respondent_list = RespondentListFactory(institution=institution)
    for data in people:
        services.respondent_create(actor=officer, respondent_list=respondent_list, data=data)
    services.respondent_list_submit(actor=officer, respondent_list=respondent_list)
    services.conflicts_detect(respondent_list=respondent_list)  # as its task would


def test_lists_board_cells_count_none_one_and_several(client_for, department_user):
    shared = (_person(dt.date(1950, 3, 14)), _person(dt.date(1961, 5, 2)))
    three = InstitutionFactory(name_kk="Үш мекеме", name_ru="Три", expected_residents=5)
    two = InstitutionFactory(name_kk="Екі мекеме", name_ru="Два", expected_residents=2)
    one = InstitutionFactory(name_kk="Бір мекеме", name_ru="Один", expected_residents=1)
    InstitutionFactory(name_kk="Бос мекеме", name_ru="Пусто", expected_residents=0)
    _list_of(three, *shared, _person(dt.date(1970, 1, 1)))
    _list_of(two, *shared)  # the same two people: two open conflicts for both
    _list_of(one, _person(dt.date(1980, 8, 8)))
    assert DuplicateIinConflict.objects.count() == 2
    client = client_for(department_user)
    url = reverse("respondents:board")

    first = client.get(url)
    html = first.content.decode()
    assert _cells(html, "Үш мекеме") == (3, 3, 5, 2)
    assert _cells(html, "Екі мекеме") == (2, 2, 2, 2)
    assert _cells(html, "Бір мекеме") == (1, 1, 1, 0)
    assert _cells(html, "Бос мекеме") == (0, 0, 0, 0)

    # The next request reads the figures afresh: one conflict decided, one more person.
    services.conflict_resolve(
        actor=department_user,
        conflict=DuplicateIinConflict.objects.order_by("pk").first(),
        decision="belongs_to_a",
        note="Тексерілді",
    )
    InstitutionFactory(name_kk="Жаңа мекеме", name_ru="Новое", expected_residents=0)
    again = client.get(url)
    html = again.content.decode()
    assert _cells(html, "Үш мекеме") == (3, 3, 5, 1)
    assert _cells(html, "Екі мекеме") == (2, 2, 2, 1)
    assert _cells(html, "Жаңа мекеме") == (0, 0, 0, 0)
    assert again.context["page"].paginator.count == first.context["page"].paginator.count + 1


def test_lists_board_rows_name_institution_and_district_in_the_users_language(
    client_for, department_user
):
    institution = InstitutionFactory(name_kk="Қазақша атауы", name_ru="Русское название")
    RespondentListFactory(institution=institution)
    department_user.language = "ru"
    department_user.save(update_fields=["language"])
    html = client_for(department_user).get(reverse("respondents:board")).content.decode()
    row = next(row for row in html.split("<tr") if "Русское название" in row)
    assert "Қазақша атауы" not in row
    assert f"<td>{institution.district.name_ru}</td>" in row
