"""A large list's paper rendered by a real Celery worker taken from Redis (the imports
queue, as deployed), then downloaded through the page."""

from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from census_coord.celery import app
from respondents.models import ListPaperJob, PaperState
from tests.respondents.factories import RespondentListFactory, bulk_people
from tests.respondents.test_import_worker import _start_worker, _stop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paper_worker():
    process = _start_worker("solo")
    yield process
    _stop(process)


@pytest.mark.celery_worker
def test_a_large_list_is_rendered_by_a_real_worker_and_downloaded(
    client_for, officer_a, settings, paper_worker
):
    settings.LIST_PAPER_BACKGROUND_ROWS = 5
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    bulk_people(respondent_list, 12)
    client = client_for(officer_a)
    app.conf.task_always_eager = False
    try:
        response = client.post(
            reverse("respondents:list_pdf_prepare", args=[respondent_list.pk]), {"lang": "kk"}
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert 'http-equiv="refresh"' in page  # being prepared
        deadline = time.monotonic() + 120
        while ListPaperJob.objects.get().state != PaperState.SUCCEEDED:
            assert ListPaperJob.objects.get().state != PaperState.FAILED
            assert time.monotonic() < deadline, "the worker did not render the paper"
            time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    # The worker's process wrote the file where this one reads it (the same MEDIA_ROOT).
    download = client.get(
        reverse("respondents:list_pdf_file", args=[respondent_list.pk]), {"lang": "kk"}
    )
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert all(text.count(f"Адамов{n} ") == 1 for n in range(12))
    ListPaperJob.objects.get().file.delete()  # the shared test MEDIA_ROOT keeps no names
