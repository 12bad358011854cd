"""Imports run by real processes: a killed import leaves nothing, a retry completes it,
and a real Celery worker runs an import job taken from Redis."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from census_coord.celery import app
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportJob, ImportState
from respondents.tasks import respondent_import_run
from tests.core.test_celery_worker import _database_url
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import csv_bytes, person

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "census_coord.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
    }


def _job(officer, rows: int) -> ImportJob:
    respondent_list = RespondentListFactory(institution=officer.institution)
    data = csv_bytes([person(n) for n in range(1, rows + 1)])
    return import_job_create(
        actor=officer,
        respondent_list=respondent_list,
        upload=io.BytesIO(data),
        file_name="big.csv",
        enqueue=False,
    )


def _wait(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_import_killed_mid_way_leaves_no_rows_and_completes_when_retried(officer_a):
    job = _job(officer_a, rows=40_000)
    script = (
        "import django; django.setup();"
        "from respondents.importing.services import import_job_run;"
        f"import_job_run(job_id={job.pk})"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=_env())
    try:
        _wait(
            lambda: (
                process.poll() is not None
                or ImportJob.objects.get(pk=job.pk).rows_processed >= 5000
            )
        )
        assert process.poll() is None, "the import ended before it could be killed"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING
    assert job.respondent_list.respondents.count() == 0
    # The broker delivers the task again (acks_late, reject on worker lost): run it again.
    retried = import_job_run(job_id=job.pk)
    assert retried.state == ImportState.SUCCEEDED, retried.errors_preview
    assert (retried.attempts, retried.rows_added) == (2, 40_000)
    assert job.respondent_list.respondents.count() == 40_000
    # A third delivery of the finished job changes nothing.
    assert import_job_run(job_id=job.pk).rows_added == 40_000
    assert job.respondent_list.respondents.count() == 40_000


def _start_worker(pool: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "census_coord",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=WARNING",
            "-Q",
            "imports",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


@pytest.fixture
def imports_worker():
    process = _start_worker("solo")
    yield process
    _stop(process)


@pytest.fixture
def prefork_imports_worker():
    process = _start_worker("prefork")
    yield process
    _stop(process)


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


@pytest.mark.celery_worker
def test_import_job_runs_on_a_real_worker_through_redis(officer_a, imports_worker):
    job = _job(officer_a, rows=50)
    app.conf.task_always_eager = False
    try:
        result = respondent_import_run.delay(job.pk)
        assert result.get(timeout=90) == ImportState.SUCCEEDED
    finally:
        app.conf.task_always_eager = True
    job.refresh_from_db()
    assert (job.state, job.rows_added, job.attempts) == (ImportState.SUCCEEDED, 50, 1)
    assert job.respondent_list.respondents.count() == 50


@pytest.mark.celery_worker
def test_worker_process_killed_mid_import_is_replaced_and_the_job_completes(
    officer_a, prefork_imports_worker
):
    """SIGKILL the pool process running the import: reject-on-worker-lost puts the task
    back on the queue, a new pool process runs it again, and the list gets each row once."""
    job = _job(officer_a, rows=40_000)
    app.conf.task_always_eager = False
    try:
        result = respondent_import_run.delay(job.pk)
        _wait(lambda: ImportJob.objects.get(pk=job.pk).rows_processed >= 5000, timeout=90)
        for child in _children(prefork_imports_worker.pid):
            os.kill(child, signal.SIGKILL)
        assert job.respondent_list.respondents.count() == 0
        _wait(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=120)
        assert result.get(timeout=30) == ImportState.SUCCEEDED
    finally:
        app.conf.task_always_eager = True
    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_added) == (ImportState.SUCCEEDED, 2, 40_000)
    assert job.respondent_list.respondents.count() == 40_000
