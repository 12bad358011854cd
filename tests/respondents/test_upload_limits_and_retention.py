"""Upload abuse and retention of uploaded files (issue 15, item 4)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from census_coord.celery import app as celery_app
from respondents.importing.services import import_files_purge, import_job_create, import_job_run
from respondents.models import ImportJob, ImportState
from respondents.tasks import retention_files_purge
from tests.factories import OfficerFactory
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db
API = "/api/v1"
BUSY = (
    "An import of this list is already queued or running: wait until it finishes, "
    "then upload the next file."
)


def _file(rows=(1, 2)) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", csv_bytes([person(n) for n in rows]))


def _api_upload(client, respondent_list):
    return client.post(
        f"{API}/respondent-lists/{respondent_list.pk}/uploads/",
        {"file": _file(), "mode": "append"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )


def _page_upload(client, respondent_list):
    return client.post(
        reverse("respondents:import_upload", args=[respondent_list.pk]),
        {"file": _file(), "mode": "append"},
    )


def _kazakh(officer):
    officer.language = "kk"
    officer.save(update_fields=["language"])
    return officer


def _wait_message(minutes: int) -> str:
    singular = "Too many uploads: try again in %(minutes)d minute."
    plural = "Too many uploads: try again in %(minutes)d minutes."
    with translation.override("kk"):
        text = ngettext(singular, plural, minutes) % {"minutes": minutes}
    assert text != plural % {"minutes": minutes}  # translated
    return text


def _finish_queued() -> None:
    """Run the queued jobs, as a worker would, so their lists take the next file."""
    for job in ImportJob.objects.filter(state=ImportState.QUEUED):
        import_job_run(job_id=job.pk)


@override_settings(IMPORT_UPLOAD_RATE_PER_USER="2/hour", IMPORT_UPLOAD_RATE_PER_LIST="100/hour")
def test_api_uploads_per_user_are_throttled_with_a_translated_429(client, officer_a, institution_a):
    client.force_login(_kazakh(officer_a))
    respondent_list = RespondentListFactory(institution=institution_a)
    for _attempt in range(2):
        assert _api_upload(client, respondent_list).status_code == 202
        _finish_queued()

    response = _api_upload(client, respondent_list)

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "upload_throttled"
    assert body["message"] == _wait_message(60)
    assert int(response["Retry-After"]) > 3000
    assert ImportJob.objects.count() == 2


@override_settings(IMPORT_UPLOAD_RATE_PER_USER="100/hour", IMPORT_UPLOAD_RATE_PER_LIST="1/hour")
def test_uploads_per_list_are_throttled_whoever_sends_them(client, officer_a, institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    client.force_login(officer_a)
    assert _api_upload(client, respondent_list).status_code == 202
    _finish_queued()  # finished: the list is free again
    colleague = _kazakh(OfficerFactory(institution=institution_a))
    client.force_login(colleague)

    response = _page_upload(client, respondent_list)  # the page: the same limit, same code

    assert response.status_code == 429
    assert _wait_message(60) in response.content.decode()
    assert ImportJob.objects.count() == 1


@override_settings(IMPORT_UPLOAD_RATE_PER_USER="1/hour", IMPORT_UPLOAD_RATE_PER_LIST="100/hour")
def test_page_and_api_count_against_one_limit(client, officer_a, institution_a):
    client.force_login(_kazakh(officer_a))
    respondent_list = RespondentListFactory(institution=institution_a)
    assert _page_upload(client, respondent_list).status_code == 302
    _finish_queued()
    response = _api_upload(client, respondent_list)
    assert response.status_code == 429
    assert response.json()["message"] == _wait_message(60)


def test_one_queued_or_running_import_per_list(client, officer_a, institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    client.force_login(_kazakh(officer_a))
    assert _api_upload(client, respondent_list).status_code == 202
    with translation.override("kk"):
        busy = translation.gettext(BUSY)
    assert busy != BUSY

    api = _api_upload(client, respondent_list)
    page = _page_upload(client, respondent_list)

    assert api.status_code == 429
    assert api.json() == {"code": "import_in_progress", "message": busy, "errors": []}
    assert page.status_code == 429
    assert busy in page.content.decode()
    job = ImportJob.objects.get()
    assert job.state == ImportState.QUEUED
    # Once it has run, the next file is accepted.
    import_job_run(job_id=job.pk)
    assert _api_upload(client, respondent_list).status_code == 202
    assert ImportJob.objects.count() == 2


def test_the_database_holds_one_active_import_per_list(officer_a, institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    job = import_job_create(
        actor=officer_a,
        respondent_list=respondent_list,
        upload=io.BytesIO(csv_bytes([person(1)])),
        file_name="a.csv",
        enqueue=False,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(
            respondent_list=respondent_list,
            created_by=officer_a,
            source=job.source,
            file="x",
            file_name="b.csv",
            content_hash="0" * 64,
            state=ImportState.RUNNING,
        )


def _finished_job(respondent_list, rows, *, days_ago: int) -> ImportJob:
    job = import_job_create(
        actor=OfficerFactory(institution=respondent_list.institution),
        respondent_list=respondent_list,
        upload=io.BytesIO(csv_bytes(rows)),
        file_name="list.csv",
        enqueue=False,
    )
    job = import_job_run(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    job.refresh_from_db()
    return job


def test_uploaded_files_are_deleted_after_retention_and_the_counts_stay(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    lists = [RespondentListFactory() for _ in range(4)]
    imported_old = _finished_job(lists[0], [person(1), person(2)], days_ago=31)
    imported_recent = _finished_job(lists[1], [person(3)], days_ago=20)
    bad = [person(4, birth_date="31.02.1950")]
    refused_old = _finished_job(lists[2], bad, days_ago=8)
    refused_recent = _finished_job(lists[3], bad, days_ago=6)
    assert refused_old.state == ImportState.REJECTED
    assert refused_old.error_report
    files = {job.pk: Path(job.file.path) for job in ImportJob.objects.all()}
    report = Path(refused_old.error_report.path)
    assert all(path.exists() for path in files.values())

    assert retention_files_purge() == 2
    assert retention_files_purge() == 0  # idempotent

    assert not files[imported_old.pk].exists()
    assert not files[refused_old.pk].exists()
    assert not report.exists()
    assert files[imported_recent.pk].exists()
    assert files[refused_recent.pk].exists()
    imported_old.refresh_from_db()
    assert imported_old.file_deleted_at is not None
    assert not imported_old.file
    assert (imported_old.rows_total, imported_old.rows_added) == (2, 2)
    assert imported_old.respondent_list.respondents.count() == 2
    refused_old.refresh_from_db()
    assert refused_old.error_count == 1
    assert refused_old.errors_preview
    # The job's page and the API say so; its errors are still listed from the preview.
    client.force_login(imported_old.created_by)
    page = client.get(reverse("respondents:import_job", args=[imported_old.pk]))
    deleted_on = timezone.localtime(imported_old.file_deleted_at).strftime("%d.%m.%Y")
    assert deleted_on in page.content.decode()
    assert "2" in page.content.decode()
    assert client.get(f"{API}/import-jobs/{imported_old.pk}/").json()["file_deleted_at"]
    client.force_login(refused_old.created_by)
    errors = client.get(f"{API}/import-jobs/{refused_old.pk}/errors/")
    assert errors.status_code == 200
    assert errors.json()[0]["code"] == refused_old.errors_preview[0]["code"]


@override_settings(IMPORT_FILE_RETENTION_DAYS=5, IMPORT_REFUSED_FILE_RETENTION_DAYS=1)
def test_retention_periods_are_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = _finished_job(RespondentListFactory(), [person(1)], days_ago=6)
    assert import_files_purge() == [job.pk]


def test_the_retention_task_is_on_the_beat_schedule():
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "respondents.tasks.retention_files_purge" in tasks
