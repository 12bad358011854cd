"""Imports read and write people: uploads, the worker's import, job pages, error reports
and the REST API each leave an audit row with a count; no file name or IIN reaches it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportJob, ImportState
from tests.factories import api_token_key
from tests.respondents.factories import RespondentListFactory, row_data
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db

MISTYPED_IIN = "123456789012"


def _events(user):
    """What the user did after signing in (the test's data, made through the services
    before, is on the trail too)."""
    events = AuditEvent.objects.filter(actor=user).order_by("pk")
    login = events.filter(action=AuditAction.LOGIN).last()
    return events.filter(pk__gt=login.pk) if login else events


@pytest.fixture
def list_a(officer_a):
    return RespondentListFactory(institution=officer_a.institution)


@pytest.fixture
def rejected_job(officer_a, list_a):
    job = import_job_create(
        actor=officer_a,
        respondent_list=list_a,
        upload=io.BytesIO(csv_bytes([person(1, iin=MISTYPED_IIN), person(2), person(3)])),
        file_name="Әлиева.csv",
        enqueue=False,
    )
    return import_job_run(job_id=job.pk)


def _api(client, holder):
    """A token of the API-client account ``holder`` (tokens are for client software)."""
    key = api_token_key(holder)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_upload_page_and_worker_record_the_upload_and_the_rows_imported(
    client_for, officer_a, list_a, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)
    file = SimpleUploadedFile("Әлиева.csv", csv_bytes([person(1), person(2)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("respondents:import_upload", args=[list_a.pk]),
            {"file": file, "mode": "append"},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.state == ImportState.SUCCEEDED
    queued, imported = _events(officer_a).filter(action=AuditAction.IMPORT)
    for event in (queued, imported):
        assert event.object_type == "respondents.importjob"
        assert event.object_id == str(job.pk)
        assert event.institution == officer_a.institution
    assert queued.route == "respondents:import_upload"
    assert queued.extra["stage"] == "queued"
    assert queued.record_count is None
    # The worker acts for the uploader and says how many rows it wrote.
    assert imported.route == ""
    assert imported.record_count == 2
    assert imported.extra == {
        "respondent_list": list_a.pk,
        "source": "page",
        "mode": "append",
        "stage": "imported",
        "rows_total": 2,
        "rows_skipped": 0,
        "rows_removed": 0,
    }
    assert "Әлиева" not in str(list(AuditEvent.objects.values()))


def test_rejected_import_records_no_rows_imported(officer_a, rejected_job):
    assert rejected_job.state == ImportState.REJECTED
    # The upload is on the trail (queued by the service); no import of rows is.
    assert (
        not _events(officer_a).filter(action=AuditAction.IMPORT, extra__stage="imported").exists()
    )


def test_job_page_and_error_downloads_are_a_view_and_exports_with_counts(
    client_for, officer_a, rejected_job
):
    client = client_for(officer_a)
    assert client.get(reverse("respondents:import_job", args=[rejected_job.pk])).status_code == 200
    # Polling the progress holds nobody and is not recorded.
    client.get(reverse("respondents:import_job_status", args=[rejected_job.pk]))
    for kind in ("xlsx", "json"):
        url = reverse("respondents:import_job_errors", args=[rejected_job.pk, kind])
        assert client.get(url).status_code == 200
    view, *exports = _events(officer_a)
    assert view.action == AuditAction.VIEW
    assert view.object_id == str(rejected_job.pk)
    assert view.record_count == rejected_job.error_count
    assert [(e.action, e.record_count, e.extra["format"]) for e in exports] == [
        (AuditAction.EXPORT, rejected_job.error_count, "xlsx"),
        (AuditAction.EXPORT, rejected_job.error_count, "json"),
    ]
    assert all(e.institution == officer_a.institution for e in exports)
    trail = str(list(AuditEvent.objects.values()))
    assert MISTYPED_IIN not in trail
    assert "Әлиева" not in trail


def test_api_upload_is_an_import_and_error_downloads_are_exports(
    client, api_client_a, list_a, rejected_job
):
    auth = _api(client, api_client_a)
    response = client.post(
        f"/api/v1/respondent-lists/{list_a.pk}/uploads/",
        {"file": SimpleUploadedFile("list.csv", csv_bytes([person(4)])), "mode": "append"},
        **auth,
    )
    assert response.status_code == 202
    for path in ("errors/", "errors.xlsx/"):
        url = f"/api/v1/import-jobs/{rejected_job.pk}/{path}"
        assert client.get(url, **auth).status_code == 200
    assert client.get(f"/api/v1/import-jobs/{rejected_job.pk}/", **auth).status_code == 200
    upload, json_errors, xlsx_errors, detail = _events(api_client_a)
    assert (upload.action, upload.object_type, upload.route) == (
        AuditAction.IMPORT,
        "respondents.importjob",
        "respondent-list-uploads",
    )
    assert upload.extra["source"] == "api"
    assert upload.via_token
    assert [e.action for e in (json_errors, xlsx_errors)] == [AuditAction.EXPORT] * 2
    assert json_errors.record_count == rejected_job.error_count
    assert detail.action == AuditAction.VIEW
    assert detail.object_id == str(rejected_job.pk)


def test_api_batch_records_one_create_with_the_rows_added(client, api_client_a, list_a):
    auth = _api(client, api_client_a)
    rows = [
        {**row_data(), "birth_date": row_data()["birth_date"].isoformat()},
    ]
    url = f"/api/v1/respondent-lists/{list_a.pk}/respondents/batch/"
    response = client.post(url, {"rows": rows}, content_type="application/json", **auth)
    assert response.status_code == 201, response.json()
    # The same batch again adds nothing, and says so.
    client.post(url, {"rows": rows}, content_type="application/json", **auth)
    first, second = _events(api_client_a)
    assert (first.action, first.object_type, first.record_count) == (
        AuditAction.CREATE,
        "respondents.respondent",
        1,
    )
    assert first.institution == api_client_a.institution
    assert first.extra == {
        "batch": True,
        "respondent_list": list_a.pk,
        "rows_total": 1,
        "rows_skipped": 0,
    }
    assert (second.record_count, second.extra["rows_skipped"]) == (0, 1)


def test_api_rows_reads_changes_and_submit_are_recorded(client, api_client_a, officer_a, list_a):
    auth = _api(client, api_client_a)
    base = f"/api/v1/respondent-lists/{list_a.pk}/respondents/"
    data = {**row_data(), "birth_date": row_data()["birth_date"].isoformat()}
    created = client.post(base, data, content_type="application/json", **auth).json()
    client.get(base, **auth)
    client.get(base, {"sex": "male"}, **auth)
    client.get(f"{base}{created['id']}/", **auth)
    client.patch(f"{base}{created['id']}/", {"unit": "7"}, content_type="application/json", **auth)
    # Submitting is the officer's act, not the client system's.
    client.force_login(officer_a)
    submitted = client.post(f"/api/v1/respondent-lists/{list_a.pk}/submit/")
    assert submitted.status_code == 200, submitted.json()
    events = [*_events(api_client_a), *_events(officer_a)]
    assert [(e.action, e.object_type, e.record_count) for e in events] == [
        (AuditAction.CREATE, "respondents.respondent", None),
        (AuditAction.VIEW, "respondents.respondent", 1),
        (AuditAction.SEARCH, "respondents.respondent", 1),
        (AuditAction.VIEW, "respondents.respondent", None),
        (AuditAction.CHANGE, "respondents.respondent", None),
        (AuditAction.CHANGE, "respondents.respondentlist", None),
    ]
    assert events[0].object_id == str(created["id"])
    assert events[0].institution == api_client_a.institution
    assert events[2].extra == {"filters": ["sex"]}
    assert events[5].object_id == str(list_a.pk)


def test_commission_is_refused_people_through_the_api(client, commission_user, rejected_job):
    client.force_login(commission_user)
    auth = {}
    list_pk = rejected_job.respondent_list_id
    assert client.get("/api/v1/respondent-lists/", **auth).status_code == 200
    for url in (
        f"/api/v1/respondent-lists/{list_pk}/respondents/",
        "/api/v1/import-jobs/",
        f"/api/v1/import-jobs/{rejected_job.pk}/errors/",
    ):
        assert client.get(url, **auth).status_code == 403, url
    upload = client.post(
        f"/api/v1/respondent-lists/{list_pk}/uploads/",
        {"file": SimpleUploadedFile("list.csv", csv_bytes([person(4)]))},
        **auth,
    )
    assert upload.status_code == 403
    assert not ImportJob.objects.exclude(pk=rejected_job.pk).exists()


def test_department_adding_an_import_job_in_the_admin_is_recorded(
    client_for, department_user, list_a
):
    client = client_for(department_user)
    response = client.post(
        reverse("admin:respondents_importjob_add"),
        {
            "respondent_list": list_a.pk,
            "file": SimpleUploadedFile("list.csv", csv_bytes([person(1)])),
            "mode": "append",
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    client.get(reverse("admin:respondents_importjob_change", args=[job.pk]))
    upload, view = _events(department_user)
    assert (upload.action, upload.object_id, upload.extra["source"]) == (
        AuditAction.IMPORT,
        str(job.pk),
        "admin",
    )
    assert upload.institution == list_a.institution
    assert (view.action, view.object_id) == (AuditAction.VIEW, str(job.pk))
