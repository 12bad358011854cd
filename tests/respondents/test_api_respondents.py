"""REST API of lists, rows and imports: status codes, scoping, payload shape."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from respondents.choices import ListStatus
from respondents.models import ImportJob, ImportState
from tests.factories import api_client_key
from tests.respondents.factories import RespondentFactory, RespondentListFactory, row_data
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def token_a(officer_a):
    """Institution A's own system (its API client); officer_a is A's person on the pages."""
    key = api_client_key(institution=officer_a.institution)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


@pytest.fixture
def list_b(institution_b):
    respondent_list = RespondentListFactory(institution=institution_b)
    RespondentFactory(respondent_list=respondent_list)
    return respondent_list


def _json_row(**overrides):
    data = row_data(**overrides)
    data["birth_date"] = data["birth_date"].isoformat()
    return data


def _upload(client, token, respondent_list, data=None, name="list.csv", mode="append"):
    file = SimpleUploadedFile(name, data or csv_bytes([person(1), person(2)]))
    return client.post(
        f"{API}/respondent-lists/{respondent_list.pk}/uploads/",
        {"file": file, "mode": mode},
        **token,
    )


def test_anonymous_gets_401_with_the_error_shape(client, list_a):
    response = client.get(f"{API}/respondent-lists/")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "errors"}


def test_officer_token_sees_only_own_lists(client, token_a, list_a, list_b):
    response = client.get(f"{API}/respondent-lists/", **token_a)
    assert [item["id"] for item in response.json()["results"]] == [list_a.pk]
    assert client.get(f"{API}/respondent-lists/{list_b.pk}/", **token_a).status_code == 404


def test_a_filter_value_outside_its_choices_is_refused_not_ignored(client, token_a, list_a):
    refused = client.get(f"{API}/respondent-lists/?status=sent", **token_a)
    assert refused.status_code == 400
    assert [error["field"] for error in refused.json()["errors"]] == ["status"]
    rows = client.get(f"{API}/respondent-lists/{list_a.pk}/respondents/?sex=m", **token_a)
    assert [error["field"] for error in rows.json()["errors"]] == ["sex"]
    blank = client.get(f"{API}/respondent-lists/?status=", **token_a)  # a form's "all"
    assert [item["id"] for item in blank.json()["results"]] == [list_a.pk]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", "respondents/"),
        ("post", "respondents/"),
        ("post", "respondents/batch/"),
        ("post", "uploads/"),
    ],
)
def test_officer_token_of_a_gets_404_for_list_of_b(client, token_a, list_b, method, suffix):
    url = f"{API}/respondent-lists/{list_b.pk}/{suffix}"
    response = getattr(client, method)(url, {}, content_type="application/json", **token_a)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_officer_token_of_a_gets_404_for_rows_and_jobs_of_b(client, token_a, list_b, officer_b):
    row = list_b.respondents.get()
    url = f"{API}/respondent-lists/{list_b.pk}/respondents/{row.pk}/"
    assert client.get(url, **token_a).status_code == 404
    assert client.delete(url, **token_a).status_code == 404
    job = ImportJob.objects.create(
        respondent_list=list_b, created_by=officer_b, source="api", file_name="b.csv"
    )
    for suffix in ("", "errors/", "errors.xlsx/"):
        assert client.get(f"{API}/import-jobs/{job.pk}/{suffix}", **token_a).status_code == 404
    assert client.get(f"{API}/import-jobs/", **token_a).json()["results"] == []


def test_rows_crud_within_an_editable_list(client, token_a, list_a):
    base = f"{API}/respondent-lists/{list_a.pk}/respondents/"
    created = client.post(base, _json_row(), content_type="application/json", **token_a)
    assert created.status_code == 201, created.json()
    url = f"{base}{created.json()['id']}/"
    changed = client.patch(url, {"unit": "7"}, content_type="application/json", **token_a)
    assert changed.status_code == 200
    assert changed.json()["unit"] == "7"
    listed = client.get(base, {"citizenship": "citizen"}, **token_a).json()
    assert listed["count"] == 1
    assert client.delete(url, **token_a).status_code == 204
    assert not list_a.respondents.exists()


def test_invalid_row_answers_400_with_field_codes(client, token_a, list_a):
    response = client.post(
        f"{API}/respondent-lists/{list_a.pk}/respondents/",
        _json_row(iin="821214240092"),
        content_type="application/json",
        **token_a,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert {item["field"] for item in body["errors"]} == {"iin"}


def test_rows_of_a_submitted_list_cannot_be_changed(client, token_a, list_a):
    list_a.status = ListStatus.SUBMITTED
    list_a.save()
    response = client.post(
        f"{API}/respondent-lists/{list_a.pk}/respondents/",
        _json_row(),
        content_type="application/json",
        **token_a,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "list_status"


def test_batch_is_all_or_nothing_and_idempotent(client, token_a, list_a):
    url = f"{API}/respondent-lists/{list_a.pk}/respondents/batch/"
    good = [_json_row(), _json_row(surname="Петров")]
    bad = [*good, _json_row(surname="X1")]
    response = client.post(url, {"rows": bad}, content_type="application/json", **token_a)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rows_invalid"
    assert body["errors"] == [
        {
            "field": "surname",
            "row": 3,
            "code": "name_invalid",
            "message": body["errors"][0]["message"],
        }
    ]
    assert not list_a.respondents.exists()
    response = client.post(url, {"rows": good}, content_type="application/json", **token_a)
    assert response.status_code == 201
    assert response.json() == {"rows_total": 2, "rows_added": 2, "rows_skipped": 0}
    again = client.post(url, {"rows": good}, content_type="application/json", **token_a)
    assert again.json() == {"rows_total": 2, "rows_added": 0, "rows_skipped": 2}


def test_upload_answers_202_and_the_job_shows_the_result(
    client, token_a, list_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, token_a, list_a)
    assert response.status_code == 202
    job = response.json()
    assert job["state"] == "queued"
    status = client.get(job["links"]["self"], **token_a).json()
    assert status["state"] == ImportState.SUCCEEDED
    assert (status["rows_added"], status["percent"], status["errors"]) == (2, 100, [])
    assert list_a.respondents.count() == 2


def test_rejected_upload_offers_every_error_as_json_and_xlsx(
    client, token_a, list_a, django_capture_on_commit_callbacks
):
    data = csv_bytes([person(1), person(2, surname="R2", sex="?")])
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(client, token_a, list_a, data).json()
    status = client.get(job["links"]["self"], **token_a).json()
    assert status["state"] == "rejected"
    assert status["error_count"] == 2
    assert [(e["column"], e["letter"]) for e in status["errors"]] == [
        ("Фамилия", "A"),
        ("Пол", "E"),
    ]
    errors = client.get(status["links"]["errors_json"], **token_a)
    report = json.loads(b"".join(errors.streaming_content))
    assert [(e["row"], e["field"], e["column"], e["letter"]) for e in report] == [
        (3, "surname", "Фамилия", "A"),
        (3, "sex", "Пол", "E"),
    ]
    sheet = client.get(status["links"]["errors_xlsx"], **token_a)
    assert sheet.status_code == 200
    from openpyxl import load_workbook

    marked = load_workbook(io.BytesIO(sheet.content)).active
    assert marked["A3"].value == "R2"  # the file's own row 3, in its own column A
    assert marked["A3"].comment is not None
    assert marked["J3"].value.startswith("A «Фамилия»: ")


def test_upload_without_a_file_answers_400(client, token_a, list_a):
    response = client.post(f"{API}/respondent-lists/{list_a.pk}/uploads/", {}, **token_a)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_submit_through_the_api(client, token_a, officer_a, list_a):
    RespondentFactory(respondent_list=list_a)
    # Submitting is the officer's act: the institution's system is refused.
    url = f"{API}/respondent-lists/{list_a.pk}/submit/"
    assert client.post(url, **token_a).status_code == 403
    client.force_login(officer_a)
    response = client.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_schema_documents_the_endpoints(client, token_a):
    response = client.get(f"{API}/schema/", **token_a)
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/respondent-lists/{id}/uploads/", "/import-jobs/{id}/", "respondents/batch/"):
        assert path in text


def test_institution_api_client_token_uploads_to_its_own_list_only(
    client, institution_a, list_a, list_b, django_capture_on_commit_callbacks
):
    key = api_client_key(institution=institution_a)
    token = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, token, list_a)
    assert response.status_code == 202
    assert list_a.respondents.count() == 2
    assert _upload(client, token, list_b).status_code == 404
