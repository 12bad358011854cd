"""Natural keys (issue 19 item 1): the batch API and the tablet sync name people by IIN or
the institution's external reference; an unknown or ambiguous key rejects the whole batch."""

from __future__ import annotations

import pytest

from enumeration.models import Enumeration
from tests.enumeration.stage2 import TABLET_DAY, accepted_list, people
from tests.factories import api_client_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/enumerations/batch/"


def _auth(institution):
    return {"HTTP_AUTHORIZATION": f"Token {api_client_key(institution=institution)}"}


def _update(**key):
    day = TABLET_DAY.isoformat()
    return {"status": "enumerated", "method": "tablet", "enumerated_on": day, **key}


def _post(client, institution, updates):
    return client.post(
        URL, {"updates": updates}, content_type="application/json", **_auth(institution)
    )


def test_batch_names_people_by_iin_and_external_ref(client, institution_a):
    first, second = people(accepted_list(institution_a), 2)
    second.external_ref = "HIS-0042"
    second.save(update_fields=["external_ref"])
    response = _post(
        client, institution_a, [_update(iin=first.iin), _update(external_ref="HIS-0042")]
    )
    assert response.status_code == 200, response.json()
    assert sorted(row["respondent_id"] for row in response.json()["results"]) == sorted(
        [first.pk, second.pk]
    )
    recorded = Enumeration.objects.filter(respondent__in=[first, second], status="enumerated")
    assert recorded.count() == 2


def test_unknown_key_is_a_row_error_naming_the_key_and_nothing_is_written(client, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    response = _post(
        client, institution_a, [_update(iin=person.iin), _update(external_ref="NO-SUCH")]
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["field"], error["code"]) == (1, "external_ref", "unknown_key")
    assert "NO-SUCH" in error["message"]
    assert not Enumeration.objects.exists()


def test_another_institutions_iin_is_unknown(client, institution_a, institution_b):
    other = people(accepted_list(institution_b), 1)[0]
    response = _post(client, institution_a, [_update(iin=other.iin)])
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_key"
    assert not Enumeration.objects.exists()


def test_a_key_naming_two_people_is_ambiguous(department_user, institution_a, institution_b):
    from enumeration import services

    person = people(accepted_list(institution_a), 1)[0]
    people(accepted_list(institution_b), 1, iin=person.iin)
    with pytest.raises(services.ValidationError) as error:
        services.enumeration_record_batch(
            actor=department_user,
            updates=[{**_update(iin=person.iin), "enumerated_on": TABLET_DAY}],
        )
    item = error.value.error_list[0]
    assert (item.code, item.params["field"]) == ("ambiguous_key", "iin")
    assert not Enumeration.objects.exists()


def test_a_row_must_name_the_person_by_exactly_one_key(client, institution_a):
    person = people(accepted_list(institution_a), 1)[0]
    response = _post(client, institution_a, [_update(respondent_id=person.pk, iin=person.iin)])
    assert response.status_code == 400
    response = _post(client, institution_a, [_update()])
    assert response.status_code == 400
    assert not Enumeration.objects.exists()


def test_openapi_schema_shows_the_natural_keys(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("EnumerationUpdateRequest", "SyncedEnumerationRequest"):
        properties = schema["components"]["schemas"][name]["properties"]
        assert {"respondent_id", "iin", "external_ref"} <= set(properties)
