"""Celery tasks of respondent lists: thin, they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from respondents.importing.services import import_files_purge, import_job_run


# Routed to the "imports" queue by CELERY_TASK_ROUTES (settings), like every import task.
@shared_task(name="respondents.tasks.respondent_import_run")
def respondent_import_run(job_id: int) -> str:
    """Run one import job. Idempotent: a finished job is left alone, and a job whose
    worker died is re-run from scratch (its rows were rolled back with the connection);
    acks_late and reject-on-worker-lost make the broker deliver it again."""
    return import_job_run(job_id=job_id).state


# Not an import: on the default queue (its name does not match the imports route).
@shared_task(name="respondents.tasks.retention_files_purge")
def retention_files_purge() -> int:
    """Delete uploaded files of finished imports past their retention (beat, daily).
    Idempotent: a second run finds nothing more to delete."""
    return len(import_files_purge())
