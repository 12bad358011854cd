"""Celery as production runs it: queues, routes, beat schedule, and a real worker."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone

from census_coord.celery import app
from institutions.selectors import campaign_get_active
from reminders.models import Notification, Reminder
from tests.core.test_celery_worker import ROOT, _database_url
from tests.factories import InstitutionFactory, OfficerFactory, ResponsibleStaffFactory
from tests.institutions.factories import SeminarFactory


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_tasks_are_routed_to_their_queues():
    assert _queue_of("reminders.tasks.reminders_evaluate_and_send") == "reminders"
    assert _queue_of("reminders.tasks.department_digest_send") == "reminders"
    assert _queue_of("respondents.tasks.respondent_list_import") == "imports"
    assert _queue_of("census_coord.ping") == "default"


def test_beat_schedules_registered_tasks_and_limits_fit_the_visibility_timeout():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_TASK_SERIALIZER == "json"


@pytest.fixture
def reminders_worker(transactional_db):
    """A real worker process on the ``reminders`` queue, against the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "census_coord.settings.test",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "DATABASE_URL": _database_url(),
    }
    command = [sys.executable, "-m", "celery", "-A", "census_coord", "worker", "--pool=solo"]
    command += ["--loglevel=WARNING", "-Q", "reminders", "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.celery_worker
def test_beat_task_sent_by_name_runs_on_a_real_worker(transactional_db, request):
    campaign = campaign_get_active()
    # A seminar tomorrow (real time: the worker's clock is not frozen).
    SeminarFactory(campaign=campaign, date=timezone.localdate() + dt.timedelta(days=1))
    institution = InstitutionFactory()
    ResponsibleStaffFactory(institution=institution)
    officer = OfficerFactory(institution=institution)
    request.getfixturevalue("reminders_worker")

    app.conf.task_always_eager = False
    try:
        result = app.send_task(settings.CELERY_BEAT_SCHEDULE["reminders-evaluate-hourly"]["task"])
        assert result.get(timeout=60) == {"due": 1, "sent": 1, "failed": 0}
    finally:
        app.conf.task_always_eager = True
    reminder = Reminder.objects.get(recipient=officer)
    assert reminder.sent_at is not None
    assert reminder.lead_days == 1
    assert Notification.objects.filter(recipient=officer).count() == 1
