"""Celery tasks of the census-database import: thin, they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from censusdb.services import census_export_run


# Routed to the "imports" queue by CELERY_TASK_ROUTES (settings), like every import task.
@shared_task(name="censusdb.tasks.census_export_run_task", acks_late=True)
def census_export_run_task(export_id: int) -> str:
    """Run one census-database export. Idempotent: a finished export is left alone, a run
    another worker holds is left to it, and importing the same rows again changes nothing."""
    return census_export_run(export_id=export_id).state
