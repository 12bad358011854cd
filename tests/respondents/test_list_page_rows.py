"""A list's page: its rows (one tag, labels translated once a page), its sizes (one
aggregate) and its pages, for 0, 1 and several people, in Kazakh and Russian."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from census_coord.row_links import choice_labels
from respondents import selectors, services
from respondents.choices import Citizenship, DepartureReason, ListStatus, ResidenceStatus
from respondents.models import Respondent, SignedListScan
from respondents.templatetags.list_rows import list_rows
from respondents.views import PAGE_SIZE
from tests.respondents.factories import (
    RespondentFactory,
    RespondentListFactory,
    bulk_people,
    make_iin,
    row_data,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru"]


def _body_rows(html: str) -> list[str]:
    """The ``<tr>`` of the people's table body."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, flags=re.DOTALL)


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)


def _page(client, respondent_list, **params):
    url = reverse("respondents:list_detail", args=[respondent_list.pk])
    return client.get(url, params).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", ["citizenship", "residence_status", "departure_reason"])
def test_choice_labels_are_what_get_display_shows(language, field):
    values = {
        "citizenship": Citizenship.values,
        "residence_status": ResidenceStatus.values,
        "departure_reason": DepartureReason.values,
    }[field]
    with translation.override(language):
        label = choice_labels(Respondent, field)
        for value in [*values, "", "not <a> value"]:
            person = Respondent(**{field: value})
            shown = getattr(person, f"get_{field}_display")()
            assert label(value) == str(shown).replace("<", "&lt;").replace(">", "&gt;")
        assert label(values[0]) != values[0]  # translated, not the stored value


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_citizenship_residence_and_departure_shows_its_label(language, institution_a):
    respondent_list = RespondentListFactory(institution=institution_a, status=ListStatus.ACCEPTED)
    people = []
    for citizenship in Citizenship.values:
        for residence in ResidenceStatus.values:
            people.append(
                RespondentFactory(
                    respondent_list=respondent_list,
                    citizenship=citizenship,
                    citizenship_country="Ресей" if citizenship == Citizenship.FOREIGN else "",
                    residence_status=residence,
                )
            )
    for reason in DepartureReason.values:
        people.append(
            RespondentFactory(
                respondent_list=respondent_list,
                departed_on=dt.date(2021, 8, 20),
                departure_reason=reason,
            )
        )
    with translation.override(language):
        html = str(list_rows(people, respondent_list))
        for person, row in zip(people, html.split("\n"), strict=True):
            cells = _cells(row)
            country = " (Ресей)" if person.citizenship == Citizenship.FOREIGN else ""
            assert cells[3] == f"{person.get_citizenship_display()}{country}"
            assert cells[4] == str(person.get_residence_status_display())
            if person.departed_on:
                assert f"{person.get_departure_reason_display()} 20.08.2021" in cells[0]
                assert cells[6] == ""  # a departure is recorded once
            else:
                assert 'class="badge' not in cells[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_row_actions_follow_the_lists_status(language, institution_a):
    draft = RespondentListFactory(institution=institution_a)
    staying = RespondentFactory(respondent_list=draft, surname="Әлиев")
    left = RespondentFactory(
        respondent_list=draft, departed_on=dt.date(2021, 8, 20), departure_reason="left"
    )
    with translation.override(language):
        edit, delete = translation.gettext("Edit"), translation.gettext("Delete")
        departure = translation.gettext("Record departure")
        rows = str(list_rows([staying, left], draft)).split("\n")
        for row, person in zip(rows, [staying, left], strict=True):
            actions = _cells(row)[6]
            edit_url = reverse("respondents:row_edit", args=[draft.pk, person.pk])
            delete_url = reverse("respondents:row_delete", args=[draft.pk, person.pk])
            assert actions == (
                f'<a href="{edit_url}">{edit}<span class="visually-hidden"> '
                f"{person.full_name}</span></a> · "
                f'<a href="{delete_url}">{delete}<span class="visually-hidden"> '
                f"{person.full_name}</span></a>"
            )
        draft.status = ListStatus.ACCEPTED
        staying_row, left_row = str(list_rows([staying, left], draft)).split("\n")
        url = reverse("respondents:departure", args=[draft.pk, staying.pk])
        assert _cells(staying_row)[6] == (
            f'<a href="{url}">{departure}<span class="visually-hidden"> '
            f"{staying.full_name}</span></a>"
        )
        assert _cells(left_row)[6] == ""
        draft.status = ListStatus.SUBMITTED
        assert all(_cells(row)[6] == "" for row in str(list_rows([staying], draft)).split("\n"))


def test_a_list_of_nobody(client_for, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    with translation.override("kk"):
        nobody = translation.gettext("Nobody matches.")
    html = _page(client_for(officer_a), respondent_list)
    assert _body_rows(html) == [f'<tr><td colspan="7">{nobody}</td></tr>']
    assert selectors.respondent_list_sizes(
        user=officer_a, respondent_list=respondent_list
    ) == selectors.ListSizes(total=0, as_of_reference_date=0)


@pytest.mark.parametrize(("count", "arrivals"), [(1, 0), (1, 1), (2, 1), (5, 2)])
def test_the_page_shows_every_person_and_counts_them(client_for, officer_a, count, arrivals):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    people = [
        RespondentFactory(
            respondent_list=respondent_list,
            surname=f"Сейітов{n}",
            arrived_on=dt.date(2021, 7, 1) if n < arrivals else None,
        )
        for n in range(count)
    ]
    other = RespondentListFactory()  # another institution's people count on its own list
    RespondentFactory(respondent_list=other)
    html = _page(client_for(officer_a), respondent_list)
    rows = _body_rows(html)
    assert len(rows) == count
    for person in people:
        assert sum(person.full_name in row for row in rows) == 1
    assert selectors.respondent_list_sizes(
        user=officer_a, respondent_list=respondent_list
    ) == selectors.ListSizes(total=count, as_of_reference_date=count - arrivals)
    with translation.override("kk"):
        on_list = translation.gettext("people on the list: %(total)s") % {"total": count}
    assert on_list in html


def test_pages_of_a_long_list_and_of_a_search(client_for, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    bulk_people(respondent_list, PAGE_SIZE + 1)
    client = client_for(officer_a)
    first, second = _page(client, respondent_list), _page(client, respondent_list, page=2)
    assert len(_body_rows(first)) == PAGE_SIZE
    assert len(_body_rows(second)) == 1
    with translation.override("kk"):
        of_two = translation.gettext("Page %(number)s of %(total_pages)s")
    assert of_two % {"number": 1, "total_pages": 2} in first
    assert of_two % {"number": 2, "total_pages": 2} in second
    # Searched: the paginator counts what the search found, the heading still everyone.
    url = reverse("respondents:list_detail", args=[respondent_list.pk])
    client.post(url, {"q": "Адамов1"})  # Адамов1, Адамов10 … Адамов19
    page = client.get(url)
    assert page.context["page"].paginator.count == 11
    assert page.context["total"] == PAGE_SIZE + 1


def test_the_rows_read_no_column_row_by_row(client_for, officer_a):
    """The rows read nothing row by row (their list is not joined in): two people or five
    cost the same queries, every kind of row among them (an arrival, a departure, a foreign
    citizen)."""
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    client = client_for(officer_a)

    def queries() -> int:
        _page(client, respondent_list)
        with CaptureQueriesContext(connection) as captured:
            _page(client, respondent_list)
        return len(captured)

    RespondentFactory(respondent_list=respondent_list, arrived_on=dt.date(2021, 7, 1))
    RespondentFactory(
        respondent_list=respondent_list, departed_on=dt.date(2021, 8, 1), departure_reason="died"
    )
    two = queries()
    RespondentFactory(
        respondent_list=respondent_list, citizenship="foreign", citizenship_country="Қытай"
    )
    RespondentFactory(respondent_list=respondent_list, iin="", unit="5")
    RespondentFactory(respondent_list=respondent_list, arrived_on=dt.date(2021, 7, 2))
    assert queries() == two


def test_an_officer_sees_only_their_own_institutions_list(client_for, officer_a, officer_b):
    own = RespondentListFactory(institution=officer_a.institution)
    RespondentFactory(respondent_list=own, surname="Өзіміздікі")
    other = RespondentListFactory(institution=officer_b.institution)
    RespondentFactory(respondent_list=other, surname="Бөтендікі")
    client = client_for(officer_a)
    assert "Өзіміздікі" in _page(client, own)
    url = reverse("respondents:list_detail", args=[other.pk])
    assert client.get(url).status_code == 404


@time_machine.travel(dt.datetime(2021, 7, 15, 12, tzinfo=dt.UTC))
def test_history_amendments_and_scan_are_shown_without_a_query_each(
    client_for, officer_a, department_user
):
    """Who changed the list's status, who recorded each amendment, who filed the scan: each
    section one query, however many rows it has."""
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    people = [
        services.respondent_create(
            actor=officer_a,
            respondent_list=respondent_list,
            data=row_data(birth_date=born, iin=make_iin(born), surname=surname),
        )
        for surname, born in zip(
            ["Әлиев", "Бекова", "Серіков", "Дәулетов"],
            (dt.date(1960 + n, 1, 2) for n in range(4)),
            strict=True,
        )
    ]
    department_user.first_name, department_user.last_name = "Айгүл", "Серікова"
    department_user.save()
    client = client_for(officer_a)

    def queries() -> tuple[int, str]:
        _page(client, respondent_list)
        with CaptureQueriesContext(connection) as captured:
            html = _page(client, respondent_list)
        return len(captured), html

    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    one_change, html = queries()
    with translation.override("kk"):
        submitted = str(ListStatus.SUBMITTED.label)
        died, left = str(DepartureReason.DIED.label), str(DepartureReason.LEFT.label)
    assert f"→ {submitted}" in html
    services.respondent_list_accept(actor=department_user, respondent_list=respondent_list)
    services.respondent_record_departure(
        actor=officer_a, respondent=people[0], departed_on=dt.date(2021, 7, 1), reason="died"
    )
    SignedListScan.objects.create(
        respondent_list=respondent_list,
        file="scans/a.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=department_user,
    )
    assert queries()[0] == one_change
    for person, reason in ((people[1], "left"), (people[2], "died")):
        services.respondent_record_departure(
            actor=officer_a, respondent=person, departed_on=dt.date(2021, 7, 2), reason=reason
        )
    count, html = queries()
    assert count == one_change
    amendments = html.split("<tbody>")[2].split("</tbody>")[0]
    assert amendments.count("<tr>") == 3
    for person in people[:3]:
        assert person.full_name in amendments
    assert died in amendments
    assert left in amendments
    history = html.split('<ol class="history">')[1].split("</ol>")[0]
    assert history.count("<li>") == 2
    assert "Айгүл Серікова" in history  # the Department accepted it
    assert officer_a.username in history  # the officer submitted it (no name given)
    with translation.override("kk"):
        attached = translation.gettext("Signed scan attached on %(date)s by %(name)s.")
    assert attached % {"date": "15.07.2021 18:00", "name": "Айгүл Серікова"} in html  # local
