"""A Python client generated from /api/v1/schema/ works (issue 20, item 6), tried as an
institution's integrator does: openapi-python-client (run locally, offline) builds the
client from the schema the live server serves; with it the integrator uploads a file of
rows, polls the job, reads the errors of the bad row, uploads the fixed file, and the
officer submits the list.
"""

from __future__ import annotations

import importlib
import io
import secrets
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from django.conf import settings
from django.test import Client as DjangoClient

from respondents.choices import ListStatus
from respondents.models import Respondent
from tests.factories import api_client_key
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db(transaction=True)  # the live server is another thread

# As docs/API.md says: no formatter run after generating; the error workbook is a file.
CONFIG = """\
post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  application/pdf: application/octet-stream
"""


def _generated_client(schema: bytes, into: Path) -> ModuleType:
    (into / "openapi.json").write_bytes(schema)
    (into / "config.yaml").write_text(CONFIG)
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--meta", "none"]
    command += ["--path", "openapi.json", "--output-path", "census_client"]
    command += ["--config", "config.yaml"]
    result = subprocess.run(
        command, cwd=into, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout  # every operation has its client
    sys.path.insert(0, str(into))
    return importlib.import_module("census_client")


@pytest.fixture
def census_client(live_server, tmp_path):
    yield lambda schema: _generated_client(schema, tmp_path)
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name.split(".")[0] == "census_client"]:
        del sys.modules[name]


def _officer_session(officer) -> dict:
    """The cookies and header of an officer signed in to the pages (DRF's session auth)."""
    browser = DjangoClient()
    browser.force_login(officer)
    csrf = secrets.token_hex(16)  # any 32-character secret, sent as cookie and header
    cookies = {
        settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return {"cookies": cookies, "headers": {"X-CSRFToken": csrf}}


def test_an_integrator_uploads_fixes_and_the_officer_submits_with_a_generated_client(
    census_client, live_server, officer_a
):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    key = api_client_key(institution=officer_a.institution)
    served = httpx.get(
        f"{live_server.url}/api/v1/schema/?format=json",
        headers={"Authorization": f"Token {key}"},
        timeout=60,  # the schema is generated per request: seconds on a busy machine
    )
    assert served.status_code == 200
    census_client(served.content)

    from census_client import AuthenticatedClient, Client
    from census_client.api.imports import import_jobs_errors_list, import_jobs_retrieve
    from census_client.api.respondent_lists import (
        respondent_lists_submit_create,
        respondent_lists_uploads_create,
    )
    from census_client.api.respondents import respondent_lists_respondents_list
    from census_client.models import (
        Error,
        ImportJob,
        ImportJobStateEnum,
        RespondentList,
        RespondentListStatusEnum,
        SexEnum,
        UploadRequest,
    )
    from census_client.types import File

    api = AuthenticatedClient(base_url=live_server.url, token=key, prefix="Token")

    def upload(rows: list) -> ImportJob:
        data = io.BytesIO(csv_bytes(rows))
        body = UploadRequest(file=File(payload=data, file_name="список.csv", mime_type="text/csv"))
        queued = respondent_lists_uploads_create.sync(respondent_list.pk, client=api, body=body)
        assert isinstance(queued, ImportJob), queued
        deadline = time.monotonic() + 60
        job = queued
        while job.state in (ImportJobStateEnum.QUEUED, ImportJobStateEnum.RUNNING):
            assert time.monotonic() < deadline, "the import job did not finish"
            time.sleep(0.2)
            job = import_jobs_retrieve.sync(queued.id, client=api)
        return job

    rejected = upload([person(1), person(2, sex="?"), person(3)])
    assert rejected.state == ImportJobStateEnum.REJECTED
    assert (rejected.rows_added, rejected.error_count) == (0, 1)
    errors = import_jobs_errors_list.sync(rejected.id, client=api)
    assert [(e.row, e.field, e.code) for e in errors] == [
        (e.row, e.field, e.code) for e in rejected.errors
    ]
    assert [(e.row, e.field) for e in errors] == [(3, "sex")]  # row 1 is the header
    assert errors[0].message
    assert not Respondent.objects.filter(respondent_list=respondent_list).exists()

    imported = upload([person(1), person(2), person(3)])  # the sex of row 3 given
    assert imported.state == ImportJobStateEnum.SUCCEEDED
    assert (imported.rows_added, imported.error_count, imported.errors) == (3, 0, [])
    assert imported.links.errors_json is None
    rows = respondent_lists_respondents_list.sync(respondent_list.pk, client=api)
    assert rows.count == 3
    assert [row.sex for row in rows.results if row.iin == person(2)[6]] == [SexEnum.FEMALE]

    # Submitting is the officer's act: the client's token is refused, in the typed error.
    refused = respondent_lists_submit_create.sync(respondent_list.pk, client=api)
    assert isinstance(refused, Error)
    assert refused.code == "permission_denied"
    officer = Client(base_url=live_server.url, **_officer_session(officer_a))
    submitted = respondent_lists_submit_create.sync(respondent_list.pk, client=officer)
    assert isinstance(submitted, RespondentList), submitted
    assert (submitted.status, submitted.row_count) == (RespondentListStatusEnum.SUBMITTED, 3)

    respondent_list.refresh_from_db()
    assert respondent_list.status == ListStatus.SUBMITTED
    stored = Respondent.objects.filter(respondent_list=respondent_list)
    assert sorted(stored.values_list("iin", flat=True)) == sorted(person(n)[6] for n in (1, 2, 3))

    # The Department's integration accepts the list; the institution reads the outcomes.
    from census_client.api.enumerations import enumerations_list
    from census_client.api.respondent_lists import respondent_lists_accept_create
    from census_client.models import EnumerationsListStatus, ReviewRequest

    department = AuthenticatedClient(
        base_url=live_server.url, token=api_client_key(), prefix="Token"
    )
    accepted = respondent_lists_accept_create.sync(
        respondent_list.pk, client=department, body=ReviewRequest(comment="OK")
    )
    assert isinstance(accepted, RespondentList), accepted
    assert accepted.status == RespondentListStatusEnum.ACCEPTED
    outcomes = enumerations_list.sync(client=api, status=EnumerationsListStatus.PENDING)
    assert outcomes.count == 3
    assert {row.respondent_id for row in outcomes.results} == set(
        stored.values_list("pk", flat=True)
    )
