"""Import jobs that never get stuck without saying so (issue 17, items 3-5).

Three pieces, each small:

- ``import_job_enqueue`` hands a job to the broker and records when (``enqueued_at``).
  When Redis is away it fails fast and leaves ``enqueued_at`` empty: the upload is still
  accepted, and the page says "waiting for a worker".
- ``JobHeartbeat`` is the running import's second connection. It holds a PostgreSQL
  advisory lock for as long as the run lives (a killed worker's lock goes with its
  connection), and moves ``heartbeat_at`` and the progress counters at every batch.
- ``import_jobs_sweep`` (a beat task every IMPORT_SWEEP_SECONDS, and
  ``manage.py import_jobs_sweep``) hands over again the queued jobs no worker took, and
  re-queues the running jobs whose heartbeat stopped and whose lock nobody holds — or
  fails them once IMPORT_MAX_LOST_ATTEMPTS runs were lost (a file that kills its worker).

Why a sweeper and not a separate outbox table: the job row already is the outbox. A
queued job with no ``enqueued_at`` is a message not yet sent; the sweeper is the relay,
and the task it sends is idempotent, so sending twice is harmless.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from census_coord import clock
from respondents.models import ImportJob, ImportState

logger = logging.getLogger(__name__)

# First key of the two-key advisory lock: "respondent import job" (second key: its id).
LOCK_NAMESPACE = 17017
# A redelivered task may start a moment before the killed run's connection is gone.
CLAIM_WAIT = "10s"


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def lost_message() -> str:
    count = settings.IMPORT_MAX_LOST_ATTEMPTS
    return ngettext(
        "The import stopped %(count)d time without finishing (its worker was stopped, "
        "perhaps for lack of memory), so it is not tried again. Nothing was imported. Split "
        "the file into smaller ones or ask the department to look at it.",
        "The import stopped %(count)d times without finishing (its worker was stopped, "
        "perhaps for lack of memory), so it is not tried again. Nothing was imported. Split "
        "the file into smaller ones or ask the department to look at it.",
        count,
    ) % {"count": count}


def requeued_message() -> str:
    return _("The worker running this import stopped; the import was started again.")


class ImportRunner(Protocol):
    """What enqueuing needs of the Celery task that runs a job: ``delay`` and its app."""

    app: Any

    def delay(self, job_id: int) -> object: ...


# The task that runs a job, registered by RespondentsConfig.ready() from respondents.tasks:
# the tasks import this module, this module never imports them (no circle).
_RUNNER: dict[str, ImportRunner] = {}


def import_runner_register(runner: ImportRunner) -> None:
    """Name the task ``import_job_enqueue`` hands jobs to (``respondent_import_run``)."""
    _RUNNER["run"] = runner


def _runner() -> ImportRunner:
    try:
        return _RUNNER["run"]
    except KeyError:
        raise ImproperlyConfigured(
            "No import runner: respondents.apps.RespondentsConfig.ready() registers it."
        ) from None


def import_job_enqueue(*, job_id: int) -> bool:
    """Hand the job to a worker; False when the broker is unreachable (the job stays
    queued and the sweeper tries again). Never raises for a broker outage."""
    runner = _runner()
    if runner.app.conf.task_always_eager:
        # In-process: the "worker" is this call, and it finishes the job before returning.
        ImportJob.objects.filter(pk=job_id).update(enqueued_at=clock.wall_now())
        runner.delay(job_id)
        return True
    try:
        runner.delay(job_id)
    except Exception as exc:  # kombu/redis raise many kinds; any of them means "not sent"
        logger.warning("import job %s: broker unreachable (%s)", job_id, type(exc).__name__)
        return False
    ImportJob.objects.filter(pk=job_id).update(enqueued_at=clock.wall_now())
    return True


class JobHeartbeat:
    """The running import's own connection: its claim on the job and its progress.

    On a second connection so that the counters are seen while the import's transaction
    is open, and never lock the job row that transaction reads.
    """

    def __init__(
        self, job_id: int, *, table: str | None = None, namespace: int = LOCK_NAMESPACE
    ) -> None:
        # ``table`` and ``namespace``: another kind of import job (the census-database
        # export) keeps its own rows and locks, with the same heartbeat.
        self.job_id = job_id
        self.table = table or ImportJob._meta.db_table
        self.namespace = namespace
        self.connection = None
        if _is_postgresql():
            self.connection = connections.create_connection("default")

    def claim(self) -> bool:
        """Hold the job's advisory lock until ``close``; False if another run holds it."""
        if self.connection is None:
            return True
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{CLAIM_WAIT}'")
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [self.namespace, self.job_id])
                cursor.execute("SET lock_timeout = 0")
        except OperationalError:
            return False
        return True

    def __call__(self, rows: int) -> None:
        self.record("rows_processed", rows)

    def beat(self) -> None:
        self.record(None, None)

    def record(self, column: str | None, value: int | None) -> None:
        if self.connection is None:
            return
        assignments = "heartbeat_at = now()" + (f", {column} = %s" if column else "")
        params = [value, self.job_id] if column else [self.job_id]
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET {assignments} "  # noqa: S608
                    "WHERE id = %s",
                    params,
                )
        except DatabaseError:
            logger.warning("import job %s: progress not recorded", self.job_id)

    def close(self) -> None:
        if self.connection is not None:
            # If the server is gone already, so is the lock.
            with contextlib.suppress(DatabaseError):
                self.connection.close()


def _nobody_runs(job_id: int) -> bool:
    """True when no live run holds the job's advisory lock (checked, then released)."""
    if not _is_postgresql():
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job_id])
        (free,) = cursor.fetchone()
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job_id])
    return bool(free)


@dataclass
class SweepResult:
    """Ids of the jobs a sweep handed over again, re-queued after a lost run, or failed."""

    handed_over: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _lost_run_settle(job_id: int, *, limit: dt.datetime) -> str | None:
    """Re-queue (or fail) a running job whose run is gone; the new state, or None."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(skip_locked=True)
            .select_related("created_by")
            .filter(pk=job_id, state=ImportState.RUNNING)
            .first()
        )
        if job is None or (job.heartbeat_at or job.started_at or job.created_at) >= limit:
            return None
        if not _nobody_runs(job_id):
            # Alive but silent (a very long statement, or a hung worker): the page shows it
            # as stalled; re-running it now would only wait for the same rows.
            logger.warning("import job %s: no heartbeat, but its run is still connected", job_id)
            return None
        language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
        job.lost_attempts += 1
        with translation.override(language):
            if job.lost_attempts >= settings.IMPORT_MAX_LOST_ATTEMPTS:
                job.state = ImportState.FAILED
                job.finished_at = clock.wall_now()
                job.message = lost_message()[:500]
            else:
                job.state = ImportState.QUEUED
                job.enqueued_at = None
                job.message = requeued_message()[:500]
        job.save(update_fields=["state", "lost_attempts", "finished_at", "message", "enqueued_at"])
        return job.state


def import_jobs_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Hand over every job stuck without a worker; idempotent, any number may run at once.

    Queued jobs never handed to the broker (it was down), or handed over longer than
    IMPORT_STALL_SECONDS ago (the message was lost with a Redis restart) are sent again;
    running jobs without a heartbeat for that long whose run is gone are re-queued, or
    failed with a message after IMPORT_MAX_LOST_ATTEMPTS lost runs.
    """
    now = now or clock.wall_now()
    limit = now - dt.timedelta(seconds=settings.IMPORT_STALL_SECONDS)
    result = SweepResult()
    running = ImportJob.objects.filter(state=ImportState.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )
    for job_id in running.values_list("pk", flat=True):
        state = _lost_run_settle(job_id, limit=limit)
        if state == ImportState.FAILED:
            result.failed.append(job_id)
        elif state == ImportState.QUEUED:
            result.requeued.append(job_id)
    waiting = ImportJob.objects.filter(state=ImportState.QUEUED).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=limit)
    )
    for job_id in waiting.order_by("pk").values_list("pk", flat=True):
        if import_job_enqueue(job_id=job_id) and job_id not in result.requeued:
            result.handed_over.append(job_id)
    if result.handed_over or result.requeued or result.failed:
        logger.info(
            "import sweep: handed over %s, re-queued %s, failed %s",
            result.handed_over,
            result.requeued,
            result.failed,
        )
    return result
