"""Audit rows of imports, the same from the page, the admin, the API and the worker.

An import leaves two rows, each written by the service in its transaction: the upload
(``import_job_create``: who handed in which job; the rows are not known yet) and, when
the worker succeeds, the import itself with the number of rows written, attributed to
the uploader. A REST batch of rows leaves one. Error reports quote people's rows: the
entry point records a download of one as an export. The file's own name is never
recorded (people name files after people).
"""

from __future__ import annotations

from typing import Any

from accounts.types import Actor
from audit.entry import record_read
from audit.models import AuditAction
from audit.services import audit_record
from respondents.importing.pipeline import Outcome
from respondents.models import ImportJob, RespondentList


def _job_extra(job: ImportJob) -> dict[str, Any]:
    return {"respondent_list": job.respondent_list_id, "source": job.source, "mode": job.mode}


def audit_import_queued(*, actor: Actor, job: ImportJob) -> None:
    """A file was accepted and queued as ``job``."""
    audit_record(
        request_or_actor=actor,
        action=AuditAction.IMPORT,
        obj=job,
        extra={**_job_extra(job), "stage": "queued", "file_size": job.file_size},
    )


def audit_import_done(*, job: ImportJob, outcome: Outcome) -> None:
    """The worker wrote the rows of ``job`` (inside the import's transaction)."""
    audit_record(
        request_or_actor=job.created_by,
        action=AuditAction.IMPORT,
        obj=job,
        record_count=outcome.rows_added,
        extra={
            **_job_extra(job),
            "stage": "imported",
            "rows_total": outcome.rows_total,
            "rows_skipped": outcome.rows_skipped,
            "rows_removed": outcome.rows_removed,
        },
    )


def audit_batch_created(*, actor: Actor, respondent_list: RespondentList, outcome: Outcome) -> None:
    """A REST client appended a batch of rows (inside the batch's transaction)."""
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        object_type="respondents.respondent",
        record_count=outcome.rows_added,
        institution=respondent_list.institution_id,
        extra={
            "batch": True,
            "respondent_list": respondent_list.pk,
            "rows_total": outcome.rows_total,
            "rows_skipped": outcome.rows_skipped,
        },
    )


def audit_import_viewed(*, request: Any, job: ImportJob) -> None:
    """The job's page, with the first errors (people's rows) shown on it."""
    record_read(request, obj=job, record_count=len(job.errors_preview or []))


def audit_import_errors(*, request: Any, job: ImportJob, file_format: str) -> None:
    """A download of the job's error report."""
    record_read(
        request,
        AuditAction.EXPORT,
        obj=job,
        record_count=job.error_count,
        extra={"report": "import_errors", "format": file_format},
    )
