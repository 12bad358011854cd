"""Celery tasks of respondent lists: thin, they take ids and call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from respondents.importing.services import ImportInterrupted, import_files_purge, import_job_run
from respondents.importing.supervision import import_jobs_sweep as _sweep
from respondents.list_paper_jobs import list_paper_job_run


# Routed to the "imports" queue by CELERY_TASK_ROUTES (settings), like every import task.
@shared_task(bind=True, name="respondents.tasks.respondent_import_run")
def respondent_import_run(self: Any, job_id: int) -> str:
    """Run one import job. Idempotent: a finished job is left alone, a job another run
    holds is left to it, and a job whose worker died is re-run from scratch (its rows
    were rolled back with the connection); acks_late and reject-on-worker-lost make the
    broker deliver it again, and the sweeper re-queues it if the whole worker went away.

    A database outage mid-way is retried with a growing delay (IMPORT_DATABASE_RETRIES
    times from IMPORT_RETRY_BACKOFF_SECONDS); after that the sweeper takes over."""
    try:
        return import_job_run(job_id=job_id, after_database_error=self.request.retries > 0).state
    except ImportInterrupted as exc:
        countdown = settings.IMPORT_RETRY_BACKOFF_SECONDS * 2**self.request.retries
        raise self.retry(
            exc=exc, countdown=countdown, max_retries=settings.IMPORT_DATABASE_RETRIES
        ) from None


# Routed to "default" (settings): it must not wait behind a long import.
@shared_task(name="respondents.tasks.import_jobs_sweep")
def import_jobs_sweep() -> dict[str, list[int]]:
    """Hand stuck import jobs to a worker again (beat, every IMPORT_SWEEP_SECONDS).
    Idempotent: a second sweep finds nothing left to do."""
    result = _sweep()
    return {"handed_over": result.handed_over, "requeued": result.requeued, "failed": result.failed}


# Not an import: on the default queue (its name does not match the imports route).
@shared_task(name="respondents.tasks.retention_files_purge")
def retention_files_purge() -> int:
    """Delete uploaded files of finished imports past their retention (beat, daily).
    Idempotent: a second run finds nothing more to delete."""
    return len(import_files_purge())


# Routed to the "imports" queue (CELERY_TASK_ROUTES): minutes of CPU for a large list.
@shared_task(name="respondents.tasks.list_paper_render")
def list_paper_render(job_id: int) -> str | None:
    """Render and store one list's paper. Idempotent: a finished job is left alone, and a
    job re-delivered after its worker died is rendered again (the file is replaced)."""
    job = list_paper_job_run(job_id=job_id)
    return job.state if job else None
