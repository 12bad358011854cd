"""Import pages: upload, progress status, result, error downloads, templates; scoping."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportState
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


@pytest.fixture
def rejected_job_b(institution_b, officer_b):
    respondent_list = RespondentListFactory(institution=institution_b)
    job = import_job_create(
        actor=officer_b,
        respondent_list=respondent_list,
        upload=io.BytesIO(csv_bytes([person(1, surname="B2")])),
        file_name="b.csv",
        enqueue=False,
    )
    return import_job_run(job_id=job.pk)


def test_officer_uploads_a_file_and_follows_the_job(
    client_for, officer_a, list_a, django_capture_on_commit_callbacks
):
    client = client_for(officer_a)
    url = reverse("respondents:import_upload", args=[list_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    file = SimpleUploadedFile("тізім.csv", csv_bytes([person(1), person(2)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": file, "mode": "append"})
    assert response.status_code == 302
    job_page = client.get(response.url)
    assert job_page.status_code == 200
    job = job_page.context["job"]
    assert job.state == ImportState.SUCCEEDED
    status = client.get(reverse("respondents:import_job_status", args=[job.pk])).json()
    assert status == {
        "state": "succeeded",
        "state_label": str(job.get_state_display()),
        "finished": True,
        "stalled": False,
        "attempts": 1,
        "rows_total": 2,
        "rows_processed": 2,
        "percent": 100,
    }
    assert list_a.respondents.count() == 2


def test_upload_without_a_file_shows_the_form_again(client_for, officer_a, list_a):
    response = client_for(officer_a).post(
        reverse("respondents:import_upload", args=[list_a.pk]), {"mode": "append"}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_unfinished_job_page_polls_its_status_with_a_static_script(client_for, officer_a, list_a):
    job = import_job_create(
        actor=officer_a,
        respondent_list=list_a,
        upload=io.BytesIO(csv_bytes([person(1)])),
        file_name="a.csv",
        enqueue=False,
    )
    html = client_for(officer_a).get(reverse("respondents:import_job", args=[job.pk]))
    text = html.content.decode()
    assert "import_progress.js" in text
    assert "<progress" in text
    assert "<script>" not in text


def test_officer_downloads_own_error_reports(client_for, officer_b, rejected_job_b):
    client = client_for(officer_b)
    url = reverse("respondents:import_job_errors", args=[rejected_job_b.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Қателер"  # the file's header with an error column
    assert rows[1][:2] == ("B2", "Нұрлан")  # the file's own row 2
    assert rows[1][-1].startswith("A «Фамилия»: ")
    url = reverse("respondents:import_job_errors", args=[rejected_job_b.pk, "json"])
    assert client.get(url).status_code == 200


def test_officer_of_a_gets_404_for_imports_of_b(client_for, officer_a, rejected_job_b):
    client = client_for(officer_a)
    job = rejected_job_b.pk
    for url in (
        reverse("respondents:import_upload", args=[rejected_job_b.respondent_list_id]),
        reverse("respondents:import_job", args=[job]),
        reverse("respondents:import_job_status", args=[job]),
        reverse("respondents:import_job_errors", args=[job, "xlsx"]),
        reverse("respondents:import_job_errors", args=[job, "json"]),
    ):
        assert client.get(url).status_code == 404, url


def test_commission_cannot_open_import_pages(client_for, commission_user, rejected_job_b):
    client = client_for(commission_user)
    assert (
        client.get(reverse("respondents:import_job", args=[rejected_job_b.pk])).status_code == 403
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_templates_in_every_language_are_understood_by_the_import(
    client_for, officer_a, list_a, language
):
    client = client_for(officer_a)
    for kind in ("xlsx", "csv"):
        response = client.get(reverse("respondents:import_template", args=[language, kind]))
        assert response.status_code == 200
        job = import_job_run(
            job_id=import_job_create(
                actor=officer_a,
                respondent_list=list_a,
                upload=io.BytesIO(response.content),
                file_name=f"template.{kind}",
                enqueue=False,
            ).pk
        )
        # The header is understood; a blank list is refused with its own message.
        assert job.state == ImportState.REJECTED
        assert job.errors_preview[0]["code"] == "no_rows"
