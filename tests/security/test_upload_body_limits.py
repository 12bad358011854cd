"""Upload bodies are refused by their length before they are read (issue 15, item 6)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from respondents.models import ImportJob
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db
TOO_LARGE = "The upload is too large (at most %(limit)d MB)."


class _Unreadable:
    """A request body that fails if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _kazakh(limit_mb: int) -> str:
    with translation.override("kk"):
        text = translation.gettext(TOO_LARGE) % {"limit": limit_mb}
    assert text != TOO_LARGE % {"limit": limit_mb}
    return text


@pytest.fixture
def kazakh_officer(officer_a):
    officer_a.language = "kk"
    officer_a.save(update_fields=["language"])
    return officer_a


@pytest.mark.parametrize("where", ["page", "api"])
def test_a_body_declaring_too_much_is_refused_unread(client, kazakh_officer, institution_a, where):
    respondent_list = RespondentListFactory(institution=institution_a)
    client.force_login(kazakh_officer)
    url = (
        reverse("respondents:import_upload", args=[respondent_list.pk])
        if where == "page"
        else f"/api/v1/respondent-lists/{respondent_list.pk}/uploads/"
    )
    response = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    text = response.json()["message"] if where == "api" else response.content.decode()
    assert _kazakh(50) in text
    assert not ImportJob.objects.exists()


@override_settings(UPLOAD_MAX_FILE_BYTES=2 * 1024 * 1024)
@pytest.mark.parametrize("where", ["page", "api"])
def test_a_file_part_is_stopped_while_it_streams(client, kazakh_officer, institution_a, where):
    respondent_list = RespondentListFactory(institution=institution_a)
    client.force_login(kazakh_officer)
    big = csv_bytes([person(n) for n in range(1, 40_000)])
    assert len(big) > 2 * 1024 * 1024
    url = (
        reverse("respondents:import_upload", args=[respondent_list.pk])
        if where == "page"
        else f"/api/v1/respondent-lists/{respondent_list.pk}/uploads/"
    )
    response = client.post(url, {"file": SimpleUploadedFile("list.csv", big), "mode": "append"})
    assert response.status_code == 413
    text = response.json()["message"] if where == "api" else response.content.decode()
    assert _kazakh(2) in text
    assert not ImportJob.objects.exists()


def test_uploads_within_the_caps_still_work(client, officer_a, institution_a):
    respondent_list = RespondentListFactory(institution=institution_a)
    client.force_login(officer_a)
    response = client.post(
        f"/api/v1/respondent-lists/{respondent_list.pk}/uploads/",
        {"file": SimpleUploadedFile("list.csv", csv_bytes([person(1)])), "mode": "append"},
    )
    assert response.status_code == 202
    assert ImportJob.objects.get().file_size > 0
