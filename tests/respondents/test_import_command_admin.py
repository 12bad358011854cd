"""The command line and the admin use the same import pipeline."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from respondents.models import ImportJob, ImportState, Respondent
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db


def test_command_imports_a_file_and_prints_the_counts(
    tmp_path, capsys, department_user, institution_a
):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([person(1), person(2)]))
    call_command(
        "import_respondents", str(path), "--institution", institution_a.bin, "--user", "dept_user"
    )
    assert "added=2" in capsys.readouterr().out
    assert Respondent.objects.filter(respondent_list__institution=institution_a).count() == 2
    assert ImportJob.objects.get().source == "command"


def test_command_refuses_a_bad_file_with_its_errors(
    tmp_path, capsys, department_user, institution_a
):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([person(1), person(2, surname="X1")]))
    with pytest.raises(CommandError, match=r"\(job \d+\)"):
        call_command(
            "import_respondents",
            str(path),
            "--institution",
            institution_a.bin,
            "--user",
            "dept_user",
        )
    assert "row 3 A Фамилия name_invalid" in capsys.readouterr().err
    assert not Respondent.objects.exists()


def test_command_exit_status_is_non_zero_when_refused(tmp_path, department_user, institution_a):
    path = tmp_path / "list.csv"
    path.write_bytes(b"nothing useful")
    with pytest.raises(CommandError):
        call_command(
            "import_respondents",
            str(path),
            "--institution",
            institution_a.bin,
            "--user",
            "dept_user",
        )
    with pytest.raises(CommandError, match="No institution"):
        call_command("import_respondents", str(path), "--institution", "000000000000")


def test_department_imports_through_the_admin(
    client_for, department_user, institution_a, django_capture_on_commit_callbacks
):
    respondent_list = RespondentListFactory(institution=institution_a)
    client = client_for(department_user)
    url = reverse("admin:respondents_importjob_add")
    assert client.get(url).status_code == 200
    file = SimpleUploadedFile("list.csv", csv_bytes([person(1)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"respondent_list": respondent_list.pk, "file": file, "mode": "append"}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.source, job.state, job.rows_added) == ("admin", ImportState.SUCCEEDED, 1)
    assert client.get(reverse("admin:respondents_importjob_changelist")).status_code == 200
    change = client.get(reverse("admin:respondents_importjob_change", args=[job.pk]))
    assert change.status_code == 200
