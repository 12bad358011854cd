"""How many people a list has, as the officer's home, the institution page, the readiness
board, its XLSX and the lists board show it: the list's own ``ListSize`` counter, which
database triggers keep through every write path (form, bulk insert, departure, delete)."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.services import user_set_language
from enumeration.progress_services import progress_rebuild
from institutions.models import Campaign
from respondents import services
from respondents.models import ListSize
from tests.factories import OfficerFactory
from tests.respondents.factories import (
    RespondentFactory,
    RespondentListFactory,
    bulk_people,
    row_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_lists(institution_a, institution_b, officer_a):
    """A 201-person list (one bulk insert, as the file import's does) and a 2-person one
    typed in the form."""
    big = RespondentListFactory(institution=institution_a)
    bulk_people(big, 201)
    small = RespondentListFactory(institution=institution_b)
    officer_b = OfficerFactory(institution=institution_b)
    for born in (dt.date(1980, 1, 1), dt.date(1990, 2, 2)):
        services.respondent_create(
            actor=officer_b, respondent_list=small, data=row_data(birth_date=born)
        )
    return {"big": big, "small": small, "officer_b": officer_b}


def _in(language, client, user):
    """A signed-in user reads the pages in the language stored on their account."""
    user_set_language(user=user, language=language)
    return client


def test_officer_home_and_institution_page_show_the_list_size(
    client_for, officer_a, department_user, two_lists, institution_b
):
    officer_page = _in("ru", client_for(officer_a), officer_a).get(
        reverse("institutions:officer_home")
    )
    assert "201 человек" in officer_page.content.decode()
    assert "1 человек" not in officer_page.content.decode().replace("201 человек", "")
    client = _in("ru", client_for(department_user), department_user)
    page = client.get(reverse("institutions:institution_detail", args=[institution_b.pk]))
    assert "2 человека" in page.content.decode()


def test_readiness_board_and_its_xlsx_show_each_list_size(
    client_for, department_user, two_lists, institution_a, institution_b
):
    client = _in("ru", client_for(department_user), department_user)
    board = client.get(reverse("institutions:department_home")).content.decode()
    assert "201 человек" in board
    assert "2 человека" in board
    workbook = client.get(reverse("institutions:readiness_export"))
    rows = {row[0]: row for row in load_workbook(BytesIO(workbook.content)).active.values}
    assert "нет (201 человек)" in rows[institution_a.bin]
    assert "нет (2 человека)" in rows[institution_b.bin]


def test_one_person_is_singular_in_english(client_for, officer_a, institution_a):
    RespondentFactory(respondent_list=RespondentListFactory(institution=institution_a))
    client = _in("en", client_for(officer_a), officer_a)
    page = client.get(reverse("institutions:officer_home")).content.decode()
    assert "1 person" in page
    assert "1 people" not in page


@time_machine.travel(dt.datetime(2021, 7, 15, 12, tzinfo=dt.UTC))
def test_lists_board_counts_follow_departures_deletes_and_a_rebuild(
    client_for, department_user, two_lists, institution_b
):
    small, officer_b = two_lists["small"], two_lists["officer_b"]
    first, second = small.respondents.order_by("pk")
    services.respondent_delete(actor=officer_b, respondent=second)
    services.respondent_create(actor=officer_b, respondent_list=small, data=row_data())
    services.respondent_list_submit(actor=officer_b, respondent_list=small)
    services.respondent_list_accept(actor=department_user, respondent_list=small)
    services.respondent_record_departure(
        actor=officer_b, respondent=first, departed_on=dt.date(2021, 7, 1), reason="left"
    )
    response = client_for(department_user).get(reverse("respondents:board"))
    row = next(i for i in response.context["page"].object_list if i.pk == institution_b.pk)
    assert (row.row_count, row.current_count) == (2, 1)

    # A write no trigger sees (TRUNCATE, a restored dump) is repaired by the rebuild.
    ListSize.objects.all().delete()
    progress_rebuild(campaign=Campaign.objects.get(is_active=True))
    sizes = dict(ListSize.objects.values_list("respondent_list_id", "rows"))
    assert sizes == {two_lists["big"].pk: 201, small.pk: 2}


def test_deleting_a_whole_list_leaves_no_size_behind(two_lists):
    big = two_lists["big"]
    big.delete()
    assert not ListSize.objects.filter(respondent_list_id=big.pk).exists()
    assert ListSize.objects.get(respondent_list=two_lists["small"]).rows == 2
