"""REST review and amendments of a list (respondents/api/review.py): the pages' services and
rules, the one error shape, scoping (404 for what the caller cannot see), safe retries."""

from __future__ import annotations

import datetime as dt

import pytest

from institutions.models import Region
from respondents.choices import AmendmentKind, ListStatus
from respondents.models import Amendment, ListTransition, Respondent
from tests.factories import CommissionUserFactory, DepartmentUserFactory, api_client_key
from tests.respondents.factories import RespondentFactory, RespondentListFactory, row_data

pytestmark = pytest.mark.django_db


def _auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def _department_client() -> dict[str, str]:
    """The Department's integration: an API client bound to no institution."""
    return _auth(api_client_key())


@pytest.fixture
def submitted(institution_a):
    respondent_list = RespondentListFactory(institution=institution_a, status=ListStatus.SUBMITTED)
    RespondentFactory.create_batch(2, respondent_list=respondent_list)
    return respondent_list


@pytest.fixture
def accepted(institution_a):
    respondent_list = RespondentListFactory(institution=institution_a, status=ListStatus.ACCEPTED)
    RespondentFactory(respondent_list=respondent_list)
    return respondent_list


def test_department_client_accepts_a_list_and_a_retry_changes_nothing(client, submitted):
    url = f"/api/v1/respondent-lists/{submitted.pk}/accept/"
    response = _post(client, url, {"comment": "Дұрыс"}, **_department_client())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["id"], body["status"], body["row_count"]) == (submitted.pk, "accepted", 2)
    submitted.refresh_from_db()
    assert submitted.status == ListStatus.ACCEPTED
    assert submitted.accepted_at is not None
    transition = ListTransition.objects.get(respondent_list=submitted)
    assert (transition.to_status, transition.comment) == (ListStatus.ACCEPTED, "Дұрыс")

    again = _post(client, url, {}, **_department_client())
    assert again.status_code == 200
    assert again.json()["status"] == "accepted"
    assert ListTransition.objects.filter(respondent_list=submitted).count() == 1


def test_department_user_returns_a_list_with_a_comment(client, submitted, department_user):
    client.force_login(department_user)
    url = f"/api/v1/respondent-lists/{submitted.pk}/return/"
    response = _post(client, url, {"comment": "  3-жолдағы ЖСН қате  "})
    assert response.status_code == 200, response.json()
    assert response.json()["review_comment"] == "3-жолдағы ЖСН қате"
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == (
        ListStatus.RETURNED,
        "3-жолдағы ЖСН қате",
    )
    # The same return again (a retry) is no second transition; another comment is refused.
    assert _post(client, url, {"comment": "3-жолдағы ЖСН қате"}).status_code == 200
    other = _post(client, url, {"comment": "Басқа"})
    assert other.status_code == 400
    assert other.json()["errors"][0]["code"] == "list_status"
    assert ListTransition.objects.filter(respondent_list=submitted).count() == 1


def test_returning_without_a_comment_answers_the_error_shape(client, submitted):
    url = f"/api/v1/respondent-lists/{submitted.pk}/return/"
    response = _post(client, url, {"comment": " "}, **_department_client())
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"] == [
        {
            "field": "comment",
            "row": None,
            "code": "comment_required",
            "message": body["errors"][0]["message"],
        }
    ]
    submitted.refresh_from_db()
    assert submitted.status == ListStatus.SUBMITTED


def test_a_draft_cannot_be_accepted(client, institution_a):
    draft = RespondentListFactory(institution=institution_a)
    response = _post(
        client, f"/api/v1/respondent-lists/{draft.pk}/accept/", {}, **_department_client()
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "list_status"


def test_only_the_department_reviews(client, submitted, officer_a, institution_a):
    url = f"/api/v1/respondent-lists/{submitted.pk}/accept/"
    assert (
        _post(client, url, {}, **_auth(api_client_key(institution=institution_a))).status_code
        == 403
    )
    client.force_login(CommissionUserFactory())
    assert _post(client, url, {}).status_code == 403
    client.force_login(officer_a)
    assert _post(client, url, {}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ListStatus.SUBMITTED


def test_department_of_another_region_gets_404(client, submitted):
    elsewhere = Region.objects.create(code="elsewhere", name_kk="Басқа", name_ru="Другая")
    client.force_login(DepartmentUserFactory(region=elsewhere))
    response = _post(client, f"/api/v1/respondent-lists/{submitted.pk}/accept/", {})
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "errors"}
    key = api_client_key(region=elsewhere)
    assert (
        _post(
            client,
            f"/api/v1/respondent-lists/{submitted.pk}/return/",
            {"comment": "x"},
            **_auth(key),
        ).status_code
        == 404
    )
    submitted.refresh_from_db()
    assert submitted.status == ListStatus.SUBMITTED


# --- amendments ------------------------------------------------------------------------


def _arrival(**values):
    born = dt.date(1961, 2, 3)
    data = row_data(surname="Серікова", sex="female", birth_date=born)
    data["birth_date"] = born.isoformat()
    return {**data, "arrived_on": "2021-07-10", "comment": "Ауыстырылды", **values}


def test_institution_client_records_an_arrival_once(client, accepted, institution_a):
    headers = _auth(api_client_key(institution=institution_a))
    url = f"/api/v1/respondent-lists/{accepted.pk}/arrivals/"
    arrival = _arrival()  # make_iin gives a new IIN each call: the same person twice
    response = _post(client, url, arrival, **headers)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["surname"], body["arrived_on"], body["departed_on"]) == (
        "Серікова",
        "2021-07-10",
        None,
    )
    row = Respondent.objects.get(pk=body["id"])
    assert (row.respondent_list_id, row.arrived_on) == (accepted.pk, dt.date(2021, 7, 10))
    amendment = Amendment.objects.get(respondent=row)
    assert (amendment.kind, amendment.comment) == (AmendmentKind.ADDITION, "Ауыстырылды")

    retry = _post(client, url, arrival, **headers)
    assert retry.status_code == 200
    assert retry.json()["id"] == row.pk
    assert accepted.respondents.count() == 2


def test_an_arrival_breaking_a_row_rule_is_refused_with_the_field(client, accepted, institution_a):
    headers = _auth(api_client_key(institution=institution_a))
    url = f"/api/v1/respondent-lists/{accepted.pk}/arrivals/"
    response = _post(client, url, _arrival(arrived_on="2021-05-01"), **headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "arrived_on"
    assert accepted.respondents.count() == 1


def test_a_draft_list_takes_no_arrivals(client, institution_a):
    draft = RespondentListFactory(institution=institution_a)
    headers = _auth(api_client_key(institution=institution_a))
    response = _post(
        client, f"/api/v1/respondent-lists/{draft.pk}/arrivals/", _arrival(), **headers
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "list_status"


def test_institution_client_records_a_departure_and_a_retry(client, accepted, institution_a):
    person = accepted.respondents.get()
    headers = _auth(api_client_key(institution=institution_a))
    url = f"/api/v1/respondent-lists/{accepted.pk}/respondents/{person.pk}/departure/"
    body = {"departed_on": "2021-08-02", "reason": "left", "comment": "Үйіне қайтты"}
    response = _post(client, url, body, **headers)
    assert response.status_code == 200, response.json()
    assert (response.json()["departed_on"], response.json()["departure_reason"]) == (
        "2021-08-02",
        "left",
    )
    person.refresh_from_db()
    assert (person.departed_on, person.departure_reason) == (dt.date(2021, 8, 2), "left")
    assert Amendment.objects.get(respondent=person).kind == AmendmentKind.DEPARTURE

    assert _post(client, url, body, **headers).status_code == 200
    other = _post(client, url, {**body, "departed_on": "2021-08-05"}, **headers)
    assert other.status_code == 400
    assert other.json()["errors"][0]["code"] == "already_departed"
    assert Amendment.objects.filter(respondent=person).count() == 1


def test_another_institution_cannot_amend_or_see_the_list(
    client, accepted, institution_b, officer_b
):
    person = accepted.respondents.get()
    headers = _auth(api_client_key(institution=institution_b))
    arrival = _post(
        client, f"/api/v1/respondent-lists/{accepted.pk}/arrivals/", _arrival(), **headers
    )
    assert arrival.status_code == 404
    assert set(arrival.json()) == {"code", "message", "errors"}
    url = f"/api/v1/respondent-lists/{accepted.pk}/respondents/{person.pk}/departure/"
    body = {"departed_on": "2021-08-02", "reason": "left"}
    assert _post(client, url, body, **headers).status_code == 404
    client.force_login(officer_b)
    assert _post(client, url, body).status_code == 404
    person.refresh_from_db()
    assert person.departed_on is None
    assert accepted.respondents.count() == 1
    assert not Amendment.objects.exists()


def test_commission_amends_nothing(client, accepted):
    client.force_login(CommissionUserFactory())
    response = _post(client, f"/api/v1/respondent-lists/{accepted.pk}/arrivals/", _arrival())
    assert response.status_code == 403
    assert "Серікова" not in response.content.decode()
