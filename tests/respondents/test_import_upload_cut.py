"""An upload whose body was cut off mid-file (a client that gave up under load, a proxy
timeout) says so, instead of "no file was submitted" (issue 17, item 8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from respondents.models import ImportJob
from tests.factories import api_client_key
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db
BOUNDARY = "census-boundary"
CUT_MESSAGE = "The file did not arrive whole: the connection was cut or took too long."


def _multipart(rows: int) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nappend\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    data = csv_bytes([person(n) for n in range(1, rows + 1)])
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def _post(client: Client, url: str, body: bytes, **extra):
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", **extra
    )


@pytest.fixture
def respondent_list(officer_a):
    return RespondentListFactory(institution=officer_a.institution)


def test_api_upload_cut_mid_file_answers_400_saying_the_file_did_not_arrive_whole(
    client, officer_a, respondent_list
):
    key = api_client_key(institution=officer_a.institution)
    body = _multipart(200)
    url = f"/api/v1/respondent-lists/{respondent_list.pk}/uploads/"
    with translation.override("en"):
        response = _post(
            client,
            url,
            body[: len(body) // 2],
            HTTP_AUTHORIZATION=f"Token {key}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("file", "upload_cut")
    assert error["message"].startswith(CUT_MESSAGE)
    assert not ImportJob.objects.exists()
    # The whole body is accepted as before.
    whole = _post(client, url, body, HTTP_AUTHORIZATION=f"Token {key}")
    assert whole.status_code == 202


def test_upload_page_cut_mid_file_shows_the_form_with_the_reason(
    client_for, officer_a, respondent_list
):
    officer_a.language = "ru"
    officer_a.save(update_fields=["language"])
    client = client_for(officer_a)
    body = _multipart(200)
    response = _post(
        client,
        reverse("respondents:import_upload", args=[respondent_list.pk]),
        body[: len(body) // 2],
    )
    assert response.status_code == 200
    with translation.override("ru"):
        expected = translation.gettext(
            "The file did not arrive whole: the connection was cut or took too long. "
            "Upload it again."
        )
    assert expected != CUT_MESSAGE + " Upload it again."
    assert expected in response.content.decode()
    assert not ImportJob.objects.exists()
