"""The sweeper, the heartbeat and what a job says about itself (issue 17, items 3-5, 8).

Run in-process (tasks eager): the fault tests with real workers and real outages are in
test_import_faults.py.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone, translation

from respondents.importing.services import _estimate_rows, import_job_create
from respondents.importing.supervision import LOCK_NAMESPACE, import_jobs_sweep, lost_message
from respondents.models import ImportJob, ImportState
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = pytest.mark.django_db
LONG_AGO = dt.timedelta(hours=1)


@pytest.fixture
def job(officer_a) -> ImportJob:
    return import_job_create(
        actor=officer_a,
        respondent_list=RespondentListFactory(institution=officer_a.institution),
        upload=io.BytesIO(csv_bytes([person(1), person(2), person(3)])),
        file_name="list.csv",
        enqueue=False,
    )


def _lost_run(job: ImportJob, *, lost: int = 0) -> ImportJob:
    """The job as a killed worker leaves it: running, its heartbeat an hour old."""
    then = timezone.now() - LONG_AGO
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.RUNNING,
        attempts=lost + 1,
        lost_attempts=lost,
        started_at=then,
        heartbeat_at=then,
        rows_total=3,
        rows_processed=2,
    )
    return ImportJob.objects.get(pk=job.pk)


def test_queued_job_never_handed_to_a_worker_is_shown_waiting_and_run_by_the_sweeper(job):
    assert job.enqueued_at is None
    with translation.override("en"):
        assert (job.is_stalled, job.status_label) == (True, "Waiting for a worker")
    result = import_jobs_sweep()
    assert result.handed_over == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.rows_added, job.attempts) == (ImportState.SUCCEEDED, 3, 1)
    assert job.respondent_list.respondents.count() == 3
    # A second sweep finds nothing to do.
    assert import_jobs_sweep().handed_over == []


def test_running_job_whose_worker_died_is_requeued_once_and_completes(job):
    job = _lost_run(job)
    with translation.override("en"):
        assert job.is_stalled
        assert job.status_label.startswith("Stalled")
    result = import_jobs_sweep()
    assert (result.requeued, result.failed) == ([job.pk], [])
    job.refresh_from_db()
    assert (job.state, job.attempts, job.lost_attempts) == (ImportState.SUCCEEDED, 2, 1)
    assert job.respondent_list.respondents.count() == 3


def test_job_lost_twice_is_failed_by_the_sweeper_with_the_reason_in_the_uploaders_language(
    job, officer_a
):
    officer_a.language = "ru"
    officer_a.save(update_fields=["language"])
    job = _lost_run(job, lost=1)
    result = import_jobs_sweep()
    assert result.failed == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.lost_attempts) == (ImportState.FAILED, 2)
    with translation.override("ru"):
        assert job.message == lost_message()
        assert "прерванных попыток: 2" in job.message
    assert job.respondent_list.respondents.count() == 0


def test_running_job_with_a_fresh_heartbeat_is_left_alone(job):
    job = _lost_run(job)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert import_jobs_sweep().requeued == []
    job.refresh_from_db()
    assert (job.state, job.is_stalled) == (ImportState.RUNNING, False)


def test_silent_job_whose_run_is_still_connected_is_shown_stalled_but_not_run_twice(job):
    job = _lost_run(job)
    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job.pk])
        assert import_jobs_sweep().requeued == []
    finally:
        holder.close()
    job.refresh_from_db()
    assert (job.state, job.is_stalled, job.lost_attempts) == (ImportState.RUNNING, True, 0)


def test_progress_never_shows_a_full_bar_before_the_job_is_done(job):
    job = _lost_run(job)
    job.rows_processed = job.rows_total = 3
    assert job.percent == 99
    job.state = ImportState.SUCCEEDED
    assert job.percent == 100


def test_retry_says_which_attempt_it_is(job):
    job = _lost_run(job)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), attempts=2)
    job.refresh_from_db()
    with translation.override("en"):
        assert job.status_label == "Retrying (attempt 2)"
    with translation.override("kk"):
        assert job.status_label == "Қайта орындалуда (2-әрекет)"


@pytest.mark.parametrize("ending", [b"\n", b""])
def test_rows_total_does_not_count_the_header(tmp_path, ending):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([person(1), person(2), person(3)]).rstrip(b"\r\n") + ending)
    assert _estimate_rows(path) == 3


def test_job_api_exposes_attempts_and_the_stalled_flag(client, officer_a, job):
    from tests.factories import api_client_key

    key = api_client_key(institution=officer_a.institution)
    _lost_run(job)
    body = client.get(f"/api/v1/import-jobs/{job.pk}/", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert (body["state"], body["attempts"], body["stalled"]) == ("running", 1, True)
    assert body["heartbeat_at"] is not None


def test_sweep_command_reports_what_it_did(job, capsys):
    call_command("import_jobs_sweep")
    assert "handed over: 1, re-queued: 0, failed: 0" in capsys.readouterr().out
    job.refresh_from_db()
    assert job.state == ImportState.SUCCEEDED
