"""Pages: status codes, permissions and scoping (officer A never reaches B's list)."""

import datetime as dt

import pytest
from django.urls import reverse

from respondents import services
from respondents.choices import ListStatus
from respondents.models import DuplicateIinConflict
from tests.respondents.factories import RespondentFactory, RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def list_b(institution_b):
    respondent_list = RespondentListFactory(institution=institution_b)
    RespondentFactory(respondent_list=respondent_list)
    return respondent_list


def _form(data):
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def test_officer_starts_and_fills_own_list(client_for, officer_a):
    client = client_for(officer_a)
    response = client.get(reverse("respondents:my_list"))
    assert response.status_code == 200
    response = client.post(reverse("respondents:my_list"))
    respondent_list = officer_a.institution.respondent_lists.get()
    assert response.url == reverse("respondents:list_detail", args=[respondent_list.pk])
    add = reverse("respondents:row_add", args=[respondent_list.pk])
    response = client.post(add, _form(row_data(iin="821214240092")))
    assert response.status_code == 200
    assert "iin" in response.context["form"].errors
    assert not respondent_list.respondents.exists()
    response = client.post(add, _form(row_data()))
    assert response.status_code == 302
    assert respondent_list.respondents.count() == 1
    detail = client.get(reverse("respondents:list_detail", args=[respondent_list.pk]))
    assert detail.status_code == 200
    assert "Қасымов" in detail.content.decode()


def test_search_is_posted_not_put_in_the_url(client_for, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(
        actor=officer_a,
        respondent_list=respondent_list,
        data=row_data(surname="Әлиева", sex="female", iin="", iin_absent_reason="жоқ"),
    )
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    client = client_for(officer_a)
    url = reverse("respondents:list_detail", args=[respondent_list.pk])
    response = client.post(url, {"q": "ӘЛИ"})
    assert response.url == url
    page = client.get(url).context["page"]
    assert [row.surname for row in page] == ["Әлиева"]
    client.post(url, {"clear": "1"})
    assert len(client.get(url).context["page"]) == 2


def test_submit_confirmation_shows_counts_then_submits(client_for, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    client = client_for(officer_a)
    url = reverse("respondents:submit", args=[respondent_list.pk])
    response = client.get(url)
    assert response.context["counts"]["citizenship_citizen"] == 1
    client.post(url)
    respondent_list.refresh_from_db()
    assert respondent_list.status == ListStatus.SUBMITTED


def test_department_returns_with_comment_shown_to_officer(client_for, officer_a, department_user):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    review = reverse("respondents:review", args=[respondent_list.pk])
    client = client_for(department_user)
    response = client.post(review, {"action": "return", "comment": ""})
    assert "comment" in response.context["form"].errors
    client.post(review, {"action": "return", "comment": "Бөлме нөмірлері жоқ"})
    respondent_list.refresh_from_db()
    assert respondent_list.status == ListStatus.RETURNED
    page = client_for(officer_a).get(reverse("respondents:list_detail", args=[respondent_list.pk]))
    assert "Бөлме нөмірлері жоқ" in page.content.decode()


def test_board_and_queue_for_the_department(client_for, department_user, commission_user, list_b):
    assert client_for(department_user).get(reverse("respondents:board")).status_code == 200
    assert client_for(department_user).get(reverse("respondents:conflicts")).status_code == 200
    assert client_for(commission_user).get(reverse("respondents:board")).status_code == 200
    assert client_for(commission_user).get(reverse("respondents:conflicts")).status_code == 403
    board = client_for(department_user).get(reverse("respondents:board"))
    row = next(i for i in board.context["page"].object_list if i.pk == list_b.institution_id)
    assert row.row_count == 1
    assert row.list_status == ListStatus.DRAFT


def test_department_resolves_conflict_through_the_page(
    client_for, department_user, officer_a, officer_b
):
    shared = row_data()
    for officer in (officer_a, officer_b):
        respondent_list = RespondentListFactory(institution=officer.institution)
        services.respondent_create(actor=officer, respondent_list=respondent_list, data=shared)
        services.respondent_list_submit(actor=officer, respondent_list=respondent_list)
    conflict = DuplicateIinConflict.objects.get()
    url = reverse("respondents:conflict_resolve", args=[conflict.pk])
    client = client_for(department_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "belongs_to_a", "note": "Б-да уақытша болған"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.decision == "belongs_to_a"
    assert client_for(officer_a).get(url).status_code == 403


def test_export_both_derived_lists(client_for, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    services.respondent_create(actor=officer_a, respondent_list=respondent_list, data=row_data())
    client = client_for(officer_a)
    url = reverse("respondents:export", args=[respondent_list.pk])
    for view in ("reference", "current"):
        response = client.post(url, {"view": view, "format": "csv"})
        assert response.status_code == 200
        assert "Қасымов" in b"".join(response.streaming_content).decode()
    response = client.post(url, {"view": "current", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url).status_code == 405


def _pages_of(list_b):
    row = list_b.respondents.get()
    return [
        ("get", reverse("respondents:list_detail", args=[list_b.pk])),
        ("post", reverse("respondents:list_detail", args=[list_b.pk])),
        ("get", reverse("respondents:row_add", args=[list_b.pk])),
        ("post", reverse("respondents:row_add", args=[list_b.pk])),
        ("get", reverse("respondents:row_edit", args=[list_b.pk, row.pk])),
        ("post", reverse("respondents:row_delete", args=[list_b.pk, row.pk])),
        ("get", reverse("respondents:departure", args=[list_b.pk, row.pk])),
        ("get", reverse("respondents:arrival_add", args=[list_b.pk])),
        ("get", reverse("respondents:submit", args=[list_b.pk])),
        ("post", reverse("respondents:submit", args=[list_b.pk])),
        ("post", reverse("respondents:export", args=[list_b.pk])),
    ]


def test_officer_cannot_see_other_institution_list(client_for, officer_a, list_b):
    client = client_for(officer_a)
    for method, url in _pages_of(list_b):
        response = getattr(client, method)(url, {"view": "current", "format": "csv"})
        assert response.status_code == 404, url
    assert list_b.respondents.count() == 1
    list_b.refresh_from_db()
    assert list_b.status == ListStatus.DRAFT


def test_officer_a_row_urls_with_b_row_ids_are_404(client_for, officer_a, list_b):
    own = RespondentListFactory(institution=officer_a.institution)
    row_b = list_b.respondents.get()
    client = client_for(officer_a)
    assert client.get(reverse("respondents:row_edit", args=[own.pk, row_b.pk])).status_code == 404
    assert (
        client.post(reverse("respondents:row_delete", args=[own.pk, row_b.pk])).status_code == 404
    )


def test_officer_cannot_reach_department_pages(client_for, officer_a, list_b):
    client = client_for(officer_a)
    for name in ("board", "conflicts"):
        assert client.get(reverse(f"respondents:{name}")).status_code == 403
    assert client.get(reverse("respondents:review", args=[list_b.pk])).status_code == 403


def test_commission_cannot_read_personal_rows(client_for, commission_user, list_b):
    client = client_for(commission_user)
    assert client.get(reverse("respondents:list_detail", args=[list_b.pk])).status_code == 403


def test_officer_records_amendments_on_accepted_list(client_for, officer_a, department_user):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    row = services.respondent_create(
        actor=officer_a, respondent_list=respondent_list, data=row_data()
    )
    services.respondent_list_submit(actor=officer_a, respondent_list=respondent_list)
    services.respondent_list_accept(actor=department_user, respondent_list=respondent_list)
    client = client_for(officer_a)
    departure = reverse("respondents:departure", args=[respondent_list.pk, row.pk])
    response = client.post(departure, {"departed_on": "2021-05-01", "reason": "left"})
    assert "departed_on" in response.context["form"].errors
    response = client.post(departure, {"departed_on": "2021-07-01", "reason": "left"})
    assert response.status_code == 302
    arrival = reverse("respondents:arrival_add", args=[respondent_list.pk])
    born = dt.date(1988, 8, 8)
    data = _form(row_data(birth_date=born, surname="Жаңабаев"))
    response = client.post(arrival, {**data, "arrived_on": "2021-07-02"})
    assert response.status_code == 302
    assert respondent_list.amendments.count() == 2
    edit = reverse("respondents:row_edit", args=[respondent_list.pk, row.pk])
    response = client.post(edit, _form(row_data()))
    assert response.status_code == 200  # accepted lists change only through amendments
    assert response.context["form"].non_field_errors()
