"""REST batch endpoint: auth, all-or-nothing, error shape, scoping, constant queries."""

import pytest

from enumeration.models import Enumeration
from tests.enumeration.stage2 import ONLINE_DAY, TABLET_DAY, accepted_list, people
from tests.factories import CommissionUserFactory, api_client_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/enumerations/batch/"


def _auth(officer):
    """A token of the system of ``officer``'s institution (tokens are for client software)."""
    key = api_client_key(institution=officer.institution)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _update(person, **values):
    return {
        "respondent_id": person.pk,
        "status": "enumerated",
        "method": "tablet",
        "enumerated_on": TABLET_DAY.isoformat(),
        **values,
    }


def test_anonymous_is_refused_with_401(client):
    response = client.post(URL, {"updates": []}, content_type="application/json")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "errors"}


def test_officer_records_a_batch(client, officer_a, institution_a):
    persons = people(accepted_list(institution_a), 3)
    response = client.post(
        URL,
        {"updates": [_update(p) for p in persons]},
        content_type="application/json",
        **_auth(officer_a),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 3
    assert Enumeration.objects.filter(source="api").count() == 3


def test_one_bad_row_rejects_the_batch_with_the_row_named(client, officer_a, institution_a):
    persons = people(accepted_list(institution_a), 3)
    updates = [_update(p) for p in persons]
    updates[2]["enumerated_on"] = ONLINE_DAY.isoformat()
    response = client.post(
        URL, {"updates": updates}, content_type="application/json", **_auth(officer_a)
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["errors"] == [
        {
            "field": "enumerated_on",
            "row": 2,
            "code": "outside_window",
            "message": body["errors"][0]["message"],
        }
    ]
    assert not Enumeration.objects.exists()


def test_officer_cannot_touch_another_institutions_people(client, officer_b, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    response = client.post(
        URL, {"updates": [_update(person)]}, content_type="application/json", **_auth(officer_b)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_respondent"
    assert not Enumeration.objects.exists()


def test_commission_is_forbidden(client, institution_a):
    commission = CommissionUserFactory()
    client.force_login(commission)
    person = people(accepted_list(institution_a), 1)[0]
    response = client.post(URL, {"updates": [_update(person)]}, content_type="application/json")
    assert response.status_code == 403


def test_malformed_payload_uses_the_error_shape(client, officer_a):
    response = client.post(
        URL, {"updates": [{"status": "nope"}]}, content_type="application/json", **_auth(officer_a)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("size", [5, 60])
def test_batch_endpoint_queries_do_not_grow(
    client, officer_a, institution_a, size, django_assert_max_num_queries
):
    persons = people(accepted_list(institution_a), size)
    headers = _auth(officer_a)
    # Constant in the batch size: validation, the write, the audit row and the recount of
    # the list's progress counters.
    with django_assert_max_num_queries(18):
        response = client.post(
            URL,
            {"updates": [_update(p) for p in persons]},
            content_type="application/json",
            **headers,
        )
    assert response.status_code == 200
