"""A job is never stuck without saying so (issue 17, items 3-6; issue 15, item 2).

Each test starts its own Redis and/or PostgreSQL on private ports and real Celery workers,
breaks one of them the way an outage does, and checks that the job ends done once (every
row on the list once) or failed with a message, within the sweeper's period (1 s here,
with a 3 s stall time).
"""

from __future__ import annotations

import io
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from respondents.importing.services import import_job_create
from respondents.importing.supervision import lost_message
from respondents.models import ImportJob, ImportState, RespondentList
from respondents.tasks import respondent_import_run
from tests.factories import api_client_key
from tests.faults import (
    PrivatePostgres,
    PrivateRedis,
    Worker,
    celery_publishing_to,
    database_moved_to,
    database_url,
    fast_sweeper_env,
    wait_for,
)
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

BIG = 40_000


@pytest.fixture
def redis():
    server = PrivateRedis()
    yield server
    server.stop()


@pytest.fixture
def workers():
    started: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = Worker(**kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _queued_job(officer, rows: int, first: int = 1) -> ImportJob:
    respondent_list = RespondentList.objects.filter(
        institution=officer.institution
    ).first() or RespondentListFactory(institution=officer.institution)
    return import_job_create(
        actor=officer,
        respondent_list=respondent_list,
        upload=io.BytesIO(csv_bytes([person(n) for n in range(first, first + rows)])),
        file_name="big.csv",
        enqueue=False,
    )


def _started(pk: int, worker: Worker, attempt: int = 1, timeout: float = 60) -> None:
    def running() -> bool:
        job = _job(pk)
        return job.attempts == attempt and job.rows_processed >= 5000

    try:
        wait_for(running, timeout, f"attempt {attempt} to run")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- worker output ---\n{worker.output()}") from None


def _result(result, worker: Worker, timeout: float = 90) -> str:
    try:
        return result.get(timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"{exc!r}\n--- worker output ---\n{worker.output()}") from None


def _job(pk: int) -> ImportJob:
    return ImportJob.objects.get(pk=pk)


def _finished(pk: int, worker: Worker, timeout: float = 90) -> ImportJob:
    try:
        wait_for(lambda: _job(pk).is_finished, timeout, "the job to finish")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- worker output ---\n{worker.output()}") from None
    return _job(pk)


def _done_once(job: ImportJob, rows: int) -> None:
    assert (job.state, job.rows_added, job.message) == (
        ImportState.SUCCEEDED,
        rows,
        job.message,
    ), job.message
    assert job.respondent_list.respondents.count() == rows


def test_upload_while_redis_is_down_is_accepted_at_once_and_runs_when_redis_is_back(
    client_for, officer_a, redis, workers
):
    # Two lists (of two institutions): a list holds one queued or running import at a time.
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    other_list = RespondentListFactory()
    key = api_client_key(institution=other_list.institution)
    client = client_for(officer_a)
    with celery_publishing_to(redis.url):  # nothing listens there yet
        started = time.monotonic()
        page = client.post(
            reverse("respondents:import_upload", args=[respondent_list.pk]),
            {"file": SimpleUploadedFile("a.csv", csv_bytes([person(1)])), "mode": "append"},
        )
        api = client.post(
            f"/api/v1/respondent-lists/{other_list.pk}/uploads/",
            {"file": SimpleUploadedFile("b.csv", csv_bytes([person(2)])), "mode": "append"},
            HTTP_AUTHORIZATION=f"Token {key}",
        )
        elapsed = time.monotonic() - started
    assert (page.status_code, api.status_code) == (302, 202)
    assert elapsed < 8, f"two uploads took {elapsed:.1f} s with the broker down"
    body = api.json()
    assert (body["state"], body["stalled"], body["attempts"]) == ("queued", True, 0)
    job_page = client.get(page.url)
    with translation.override(officer_a.language or settings.LANGUAGE_CODE):
        waiting = translation.gettext("Waiting for a worker")
    assert waiting != "Waiting for a worker"  # in the officer's language
    assert body["status_label"] == waiting
    assert waiting in job_page.content.decode()
    jobs = list(
        ImportJob.objects.filter(respondent_list__in=[respondent_list, other_list]).order_by("pk")
    )
    assert [job.enqueued_at for job in jobs] == [None, None]

    redis.start()
    worker = workers(
        broker_url=redis.url, database=database_url(), beat=True, env=fast_sweeper_env()
    )
    for job in jobs:
        finished = _finished(job.pk, worker)
        assert (finished.state, finished.attempts, finished.rows_added) == (
            ImportState.SUCCEEDED,
            1,
            1,
        )
    assert (respondent_list.respondents.count(), other_list.respondents.count()) == (1, 1)


def test_whole_worker_killed_mid_import_is_requeued_by_the_sweeper(officer_a, redis, workers):
    redis.start()
    job = _queued_job(officer_a, rows=BIG)
    first = workers(broker_url=redis.url, database=database_url())
    with celery_publishing_to(redis.url):
        respondent_import_run.delay(job.pk)
    _started(job.pk, first)
    first.kill()  # the main process and its pool: the message stays unacknowledged (2 h)
    assert _job(job.pk).state == ImportState.RUNNING
    assert job.respondent_list.respondents.count() == 0

    # A new worker with beat: its sweeper sees the heartbeat stop, re-queues the job.
    stall = 3
    started = time.monotonic()
    second = workers(
        broker_url=redis.url, database=database_url(), beat=True, env=fast_sweeper_env(stall)
    )
    wait_for(lambda: _job(job.pk).is_stalled or _job(job.pk).is_finished, 30, "a stalled flag")
    finished = _finished(job.pk, second)
    _done_once(finished, BIG)
    assert (finished.attempts, finished.lost_attempts) == (2, 1)
    # Stall time + a sweep + a worker's start-up, well within a minute.
    assert time.monotonic() - started < 60


def test_job_that_killed_its_worker_twice_is_failed_with_a_message(officer_a, redis, workers):
    """The poison file of issue 15 (a worker killed for memory, again and again): after the
    second lost run the job fails with a message instead of stopping imports for good."""
    redis.start()
    job = _queued_job(officer_a, rows=BIG)
    worker = workers(broker_url=redis.url, database=database_url(), pool="prefork")
    with celery_publishing_to(redis.url):
        result = respondent_import_run.delay(job.pk)
        for attempt in (1, 2):
            _started(job.pk, worker, attempt)
            for child in worker.pool_children():
                import os
                import signal

                os.kill(child, signal.SIGKILL)
        finished = _finished(job.pk, worker)
        assert _result(result, worker, 30) == ImportState.FAILED
    assert (finished.state, finished.attempts, finished.lost_attempts) == (
        ImportState.FAILED,
        2,
        2,
    )
    with translation.override(officer_a.language or settings.LANGUAGE_CODE):
        assert finished.message == lost_message()
    assert job.respondent_list.respondents.count() == 0
    assert worker.alive  # and it takes the next job
    other = _queued_job(officer_a, rows=10, first=BIG + 1)
    with celery_publishing_to(redis.url):
        assert _result(respondent_import_run.delay(other.pk), worker) == ImportState.SUCCEEDED


def test_postgres_restarted_mid_import_retries_and_the_job_completes_once(
    officer_a, redis, workers
):
    redis.start()
    postgres = PrivatePostgres()
    try:
        postgres.initdb()
        postgres.start()
        postgres.copy_database(connection.settings_dict["NAME"], connection.settings_dict)
        with database_moved_to(postgres.port):
            job = _queued_job(officer_a, rows=BIG)
            worker = workers(
                broker_url=redis.url,
                database=database_url(),
                env=fast_sweeper_env(),
            )
            with celery_publishing_to(redis.url):
                result = respondent_import_run.delay(job.pk)
                _started(job.pk, worker)
                connection.close()
                postgres.restart()
                assert _result(result, worker) == ImportState.SUCCEEDED
            finished = _job(job.pk)
            _done_once(finished, BIG)
            assert (finished.attempts, finished.lost_attempts) == (2, 0)
    finally:
        postgres.remove()


def test_worker_survives_a_redis_restart_during_an_import(officer_a, redis, workers):
    """Issue 17 item 6: the import finishes, and the same worker, run as deployed, takes
    the next upload (CELERY_BROKER_CONNECTION_MAX_RETRIES=None: it never gives up)."""
    redis.start()
    job = _queued_job(officer_a, rows=BIG)
    worker = workers(
        broker_url=redis.url, database=database_url(), pool="prefork", as_deployed=True
    )
    with celery_publishing_to(redis.url):
        respondent_import_run.delay(job.pk)
    _started(job.pk, worker)
    redis.stop()
    time.sleep(1)
    redis.start()  # empty: no persistence, as after a crash
    finished = _finished(job.pk, worker)
    _done_once(finished, BIG)
    time.sleep(3)  # the moment the 5.7.0 worker exited, after re-connecting
    assert worker.alive, worker.output()
    other = _queued_job(officer_a, rows=10, first=BIG + 1)
    with celery_publishing_to(redis.url):
        assert _result(respondent_import_run.delay(other.pk), worker) == ImportState.SUCCEEDED
