"""A real Celery worker, started as a process, consumes a task through Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from census_coord.celery import app
from census_coord.tasks import ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(transactional_db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "census_coord.settings.test",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        # The worker must use the test database that pytest-django created.
        "DATABASE_URL": _database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "census_coord",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "-Q",
            "default",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _database_url() -> str:
    params = connection.settings_dict
    host = params["HOST"] or "127.0.0.1"
    credentials = f"{params['USER']}:{params.get('PASSWORD') or ''}"
    return f"postgres://{credentials}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


@pytest.mark.celery_worker
def test_task_runs_on_a_real_worker_through_redis(celery_worker_process):
    app.conf.task_always_eager = False
    try:
        result = ping.apply_async(queue="default")
        assert result.get(timeout=60) == {"pong": True, "database": "postgresql"}
    finally:
        app.conf.task_always_eager = True
