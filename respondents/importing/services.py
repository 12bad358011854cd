"""Writes of bulk imports: upload a file as a job, run a job, post a batch of rows.

Every entry point (officer page, admin, REST, command line) goes through these, and they
check who may write to the list with the same rules as ``respondents.services``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.types import Actor
from census_coord import clock
from census_coord.errors import service_error_message
from census_coord.policy import require
from census_coord.unavailable import DATABASE_CONNECTION_ERRORS
from institutions.campaigns import campaign_require_open
from respondents.choices import EDITABLE_STATUSES
from respondents.importing import readers
from respondents.importing.audit import (
    audit_batch_created,
    audit_import_done,
    audit_import_queued,
)
from respondents.importing.pipeline import ColumnLabels, Outcome, Staging, error_item, rows_load
from respondents.importing.supervision import JobHeartbeat, import_job_enqueue, lost_message
from respondents.importing.throttling import BUSY_CODE, import_busy_message
from respondents.models import ImportJob, ImportMode, ImportSource, ImportState, RespondentList
from respondents.models.imports import ACTIVE_STATES, FINISHED_STATES
from respondents.services import _check_status, _locked
from respondents.validation import RowError

logger = logging.getLogger(__name__)

BATCH_MAX_ROWS = 10_000
HASH_CHUNK = 1024 * 1024


class RowsRejected(Exception):
    """A batch of rows refused as a whole; ``errors`` names every row and column."""

    def __init__(self, errors: list[RowError], message: str) -> None:
        super().__init__(message)
        self.errors = errors
        self.message = message


class ImportFailed(Exception):
    """An import broke for a reason other than its file; the message holds no row values."""


class ImportInterrupted(Exception):
    """The database went away mid-import: nothing was written, the task retries later."""


# Errors of the connection, not of the data (a restart, a network cut): worth a retry.
CONNECTION_ERRORS = DATABASE_CONNECTION_ERRORS


class _Rejected(Exception):
    def __init__(self, outcome: Outcome, report: Path | None) -> None:
        super().__init__("rejected")
        self.outcome = outcome
        self.report = report


def _check_writable(actor: Actor, respondent_list: RespondentList, mode: str) -> None:
    campaign_require_open(respondent_list)
    require(actor, "import.start", respondent_list)
    _check_status(respondent_list, EDITABLE_STATUSES)
    if mode not in ImportMode.values:
        raise ValidationError(
            {"mode": ValidationError(_("Choose append or replace."), code="choice_invalid")}
        )


def _file_hash(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    while chunk := handle.read(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


@transaction.atomic
def import_job_create(
    *,
    actor: Actor,
    respondent_list: RespondentList,
    upload: IO[bytes],
    file_name: str,
    mode: str = ImportMode.APPEND,
    source: str = ImportSource.PAGE,
    enqueue: bool = True,
) -> ImportJob:
    """Keep an uploaded file as a queued import job and hand it to a worker after commit.

    The list must be one the actor may edit now and have no other import queued or
    running (``import_in_progress``: the views answer 429); the size limit is checked at
    once, the content when the job runs.
    """
    # No row lock here: an import running on this list holds it, and the upload must not
    # wait for it. The job checks again under the lock when it runs.
    respondent_list = RespondentList.objects.get(pk=respondent_list.pk)
    _check_writable(actor, respondent_list, mode)
    content_hash, size = _file_hash(upload)
    # What the first bytes tell (empty, too large, not a list file, a password, a zip
    # bomb) is refused now, in the uploader's language, before any job exists.
    with translation.override(_language_of(actor)):
        try:
            readers.check_size(size)
            readers.file_kind(upload, file_name or "")
        except readers.FileRefused as refused:
            raise ValidationError(
                {"file": ValidationError(refused.message, code=refused.code)}
            ) from None
        finally:
            upload.seek(0)
    job = ImportJob(
        respondent_list=respondent_list,
        created_by=actor,
        source=source,
        mode=mode,
        file_name=Path(file_name or "upload").name[:255],
        file_size=size,
        content_hash=content_hash,
    )
    if ImportJob.objects.filter(respondent_list=respondent_list, state__in=ACTIVE_STATES).exists():
        raise ValidationError(import_busy_message(), code=BUSY_CODE)
    job.file.save(content_hash, File(upload), save=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # two uploads at once: the constraint lets one through
        job.file.delete(save=False)
        raise ValidationError(import_busy_message(), code=BUSY_CODE) from None
    audit_import_queued(actor=actor, job=job)
    if enqueue:
        # A broker outage does not refuse the upload: the job waits for the sweeper.
        transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    return job


def _estimate_rows(path: Path) -> int | None:
    """Rows below the header of a CSV file (for the progress bar); a spreadsheet's count
    is unknown. Quoted line breaks make it an estimate, which is all a bar needs."""
    with path.open("rb") as handle:
        if handle.read(4) == b"PK\x03\x04":
            return None
        handle.seek(0)
        lines = 0
        last = b""
        while chunk := handle.read(HASH_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last not in (b"", b"\n"):
        lines += 1  # the last line has no line break
    return max(lines - 1, 1)


def _language_of(actor: Actor) -> str:
    return getattr(actor, "language", "") or translation.get_language() or settings.LANGUAGE_CODE


def _write_report(staging: Staging, labels: ColumnLabels) -> Path:
    """Every error of a refused import as a JSON file: row (the file's line), field, the
    column as the file names it and its letter, code, message."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json", delete=False) as handle:
        handle.write("[")
        for index, error in enumerate(staging.errors()):
            handle.write(",\n" if index else "\n")
            json.dump(error_item(error, labels), handle, ensure_ascii=False)
        handle.write("\n]\n")
    return Path(handle.name)


def _finish(job: ImportJob, *, state: str, outcome: Outcome | None, message: str) -> None:
    job.state = state
    job.finished_at = clock.wall_now()
    job.message = message[:500]
    if outcome is not None:
        job.rows_total = outcome.rows_total
        job.rows_processed = outcome.rows_total
        job.rows_added = outcome.rows_added
        job.rows_skipped = outcome.rows_skipped
        job.rows_removed = outcome.rows_removed
        job.error_count = outcome.error_count
        job.errors_preview = outcome.errors_preview
    job.save()


def _refusal(code: str, message: str) -> Outcome:
    error = RowError(field="", code=code, message=message)
    return Outcome(error_count=1, errors_preview=[error_item(error, None)])


def _lines_text(lines: Sequence[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:10])
    return f"{shown}, …" if len(lines) > 10 else shown


def _success_message(job: ImportJob, outcome: Outcome, table: readers.Table) -> str:
    notes = []
    if table.skipped_lines:
        notes.append(
            _(
                "Lines under the list that are not people (totals, signatures, dates) were "
                "skipped: %(lines)s."
            )
            % {"lines": _lines_text(table.skipped_lines)}
        )
    if table.example_lines:
        notes.append(
            _("The template's example row was left out (line %(lines)s).")
            % {"lines": _lines_text(table.example_lines)}
        )
    return " ".join([_counts_message(job, outcome), *notes])


def _counts_message(job: ImportJob, outcome: Outcome) -> str:
    if outcome.rows_added == 0:
        earlier = (
            ImportJob.objects.filter(
                respondent_list_id=job.respondent_list_id,
                content_hash=job.content_hash,
                state=ImportState.SUCCEEDED,
            )
            .exclude(pk=job.pk)
            .order_by("-finished_at")
            .first()
        )
        if earlier is not None and earlier.finished_at:
            return _(
                "This file was already imported on %(date)s: every row is on the list, "
                "nothing was added."
            ) % {"date": timezone.localtime(earlier.finished_at).strftime("%d.%m.%Y %H:%M")}
        return _("Every row of the file is already on the list: nothing was added.")
    return _("Rows added: %(added)d; already on the list: %(skipped)d; replaced: %(removed)d.") % {
        "added": outcome.rows_added,
        "skipped": outcome.rows_skipped,
        "removed": outcome.rows_removed,
    }


def import_job_run(*, job_id: int, after_database_error: bool = False) -> ImportJob:
    """Import a queued job's file: every row or none. Safe to run again at any time.

    A finished job is left as it is, and so is a job another live run holds. A job found
    "running" with nobody holding it lost its run (the worker died; its transaction was
    rolled back with the connection), so it starts again from a list without any of its
    rows — unless IMPORT_MAX_LOST_ATTEMPTS runs were lost already: then it fails with a
    message instead of killing one more worker. ``after_database_error`` says the run
    before ended with a database error (a task retry), which is not a lost run.

    Raises ``ImportInterrupted`` when the database goes away mid-way (nothing is written;
    the caller retries later). Messages are in the uploader's language.
    """
    try:
        user = ImportJob.objects.select_related("created_by").get(pk=job_id).created_by
    except CONNECTION_ERRORS:
        connection.close()
        raise ImportInterrupted(f"import job {job_id}: database unavailable") from None
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        heartbeat = JobHeartbeat(job_id)
        try:
            if not heartbeat.claim():
                # Another delivery of the same task is running it: leave it to that one.
                return ImportJob.objects.get(pk=job_id)
            return _import_job_run(
                job_id=job_id, heartbeat=heartbeat, after_database_error=after_database_error
            )
        except CONNECTION_ERRORS:
            connection.close()
            logger.warning("import job %s interrupted: database unavailable", job_id)
            raise ImportInterrupted(f"import job {job_id}: database unavailable") from None
        finally:
            heartbeat.close()


def _import_job_start(*, job_id: int, after_database_error: bool) -> ImportJob | None:
    """Mark the job running (one more attempt); None when there is nothing to run."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return None
        if job.state == ImportState.RUNNING and not after_database_error:
            job.lost_attempts += 1
        if job.lost_attempts >= settings.IMPORT_MAX_LOST_ATTEMPTS:
            _finish(job, state=ImportState.FAILED, outcome=None, message=lost_message())
            logger.error("import job %s failed: %d runs lost", job_id, job.lost_attempts)
            return None
        job.state = ImportState.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = clock.wall_now()
        job.rows_processed = 0
        job.save(
            update_fields=[
                "state",
                "attempts",
                "lost_attempts",
                "started_at",
                "heartbeat_at",
                "rows_processed",
            ]
        )
        return job


def _table_rows(table: readers.Table) -> Iterator[tuple[int, Mapping[str, Any]]]:
    return ((number, values) for number, values, _cells in table.rows)


def _import_job_run(
    *, job_id: int, heartbeat: JobHeartbeat, after_database_error: bool
) -> ImportJob:
    job = _import_job_start(job_id=job_id, after_database_error=after_database_error)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    progress = heartbeat
    try:
        with transaction.atomic():
            respondent_list = _locked(job.respondent_list)
            job = ImportJob.objects.get(pk=job_id)
            if job.is_finished:  # another delivery finished it while we waited for the lock
                return job
            try:
                _check_writable(job.created_by, respondent_list, job.mode)
            except PermissionDenied:
                raise _Rejected(
                    _refusal("not_allowed", _("You may not change this list.")), None
                ) from None
            except ValidationError as error:
                raise _Rejected(
                    _refusal("list_status", service_error_message(error)), None
                ) from None
            path = Path(job.file.path)
            total = _estimate_rows(path)
            if total is not None:
                progress.record("rows_total", total)
            try:
                table = readers.open_table(path, job.file_name)
                staging = Staging()
                labels = table.column_labels()
                # The rows once more, from a fresh reading (rows_load may need them twice);
                # the table read last tells the lines it skipped.
                tables, file_name = [table], job.file_name

                def rows_again() -> Iterator[tuple[int, Mapping[str, Any]]]:
                    tables.append(readers.open_table(path, file_name))
                    return _table_rows(tables[-1])

                outcome, _errors = rows_load(
                    staging=staging,
                    respondent_list=respondent_list,
                    rows=_table_rows(table),
                    mode=job.mode,
                    progress=progress,
                    labels=labels,
                    absent=table.absent,
                    header_name=readers.header_name,
                    rows_again=rows_again,
                )
                table = tables[-1]
            except readers.FileRefused as refused:
                raise _Rejected(_refusal(refused.code, refused.message), None) from None
            if not outcome.is_valid:
                raise _Rejected(outcome, _write_report(staging, labels))
            if outcome.rows_total == 0:
                raise _Rejected(
                    _refusal("no_rows", _("The file has no rows below the header.")), None
                )
            staging.drop()
            _finish(
                job,
                state=ImportState.SUCCEEDED,
                outcome=outcome,
                message=_success_message(job, outcome, table),
            )
            # In the import's transaction: the rows and their audit row commit together.
            audit_import_done(job=job, outcome=outcome)
            return job
    except _Rejected as rejected:
        job = ImportJob.objects.get(pk=job_id)
        if rejected.report is not None:
            with rejected.report.open("rb") as handle:
                job.error_report.save(
                    f"respondent-imports/{job.respondent_list_id}/errors-{job.pk}.json",
                    File(handle),
                    save=False,
                )
            rejected.report.unlink()
        outcome = rejected.outcome
        message = (
            outcome.errors_preview[0]["message"]
            if outcome.errors_preview and outcome.errors_preview[0]["row"] is None
            else ngettext(
                "%(count)d error found: nothing was imported. Correct the file and upload again.",
                "%(count)d errors found: nothing was imported. Correct the file and upload again.",
                outcome.error_count,
            )
            % {"count": outcome.error_count}
        )
        _finish(job, state=ImportState.REJECTED, outcome=outcome, message=message)
        return job
    except CONNECTION_ERRORS:
        raise  # the database is away: writing "failed" needs it too; the caller retries
    except Exception as exc:
        # Database errors quote row values (an IIN, a name): neither the log nor the task
        # result may carry them, so only the kind of error goes on.
        logger.error("import job %s failed: %s", job_id, type(exc).__name__)
        job = ImportJob.objects.get(pk=job_id)
        _finish(
            job,
            state=ImportState.FAILED,
            outcome=None,
            message=_("The import failed because of an error on the server; nothing was imported."),
        )
        raise ImportFailed(f"import job {job_id} failed ({type(exc).__name__})") from None


@transaction.atomic
def respondents_batch_create(
    *,
    actor: Actor,
    respondent_list: RespondentList,
    rows: Sequence[Mapping[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Append a batch of rows (the REST client's JSON) to a list: all of them or none.

    Rows already on the list (the same IIN, or the same names and birth date without one)
    are left as they are, so posting the same batch twice adds nothing.
    """
    respondent_list = _locked(respondent_list)
    _check_writable(actor, respondent_list, ImportMode.APPEND)
    if len(rows) > BATCH_MAX_ROWS:
        raise ValidationError(
            ngettext(
                "At most %(limit)d row in one batch; upload a file for more.",
                "At most %(limit)d rows in one batch; upload a file for more.",
                BATCH_MAX_ROWS,
            )
            % {"limit": BATCH_MAX_ROWS},
            code="batch_too_large",
        )
    staging = Staging()
    numbered: Iterable[tuple[int, Mapping[str, Any]]] = enumerate(rows, start=1)
    with transaction.atomic():
        outcome, _errors = rows_load(
            staging=staging,
            respondent_list=respondent_list,
            rows=numbered,
            mode=ImportMode.APPEND,
            progress=progress,
            rows_again=lambda: enumerate(rows, start=1),
        )
        if not outcome.is_valid:
            errors = list(staging.errors())
            raise RowsRejected(
                errors,
                ngettext(
                    "%(count)d error found: nothing was added.",
                    "%(count)d errors found: nothing was added.",
                    len(errors),
                )
                % {"count": len(errors)},
            )
        audit_batch_created(actor=actor, respondent_list=respondent_list, outcome=outcome)
    staging.drop()
    return outcome


def import_files_purge(
    *, now: dt.datetime | None = None, job_ids: Iterable[int] | None = None
) -> list[int]:
    """Delete the uploaded files and error reports of finished jobs kept long enough.

    They hold the people of a list. A job that imported its rows keeps its file
    ``IMPORT_FILE_RETENTION_DAYS`` (30) after it finished, a refused or failed one
    ``IMPORT_REFUSED_FILE_RETENTION_DAYS`` (7); ``job_ids`` names jobs whose files go
    now, whatever their age or state (a closed campaign's purge). The job row keeps its counts
    and message and records when the file went (``file_deleted_at``). Idempotent: a job
    whose file is gone is not looked at again, and a file already missing from the disk
    is no error. Returns the ids of the jobs whose files were deleted.
    """
    now = now or clock.wall_now()
    due = ImportJob.objects.filter(file_deleted_at__isnull=True)
    if job_ids is not None:
        due = due.filter(pk__in=list(job_ids))
    else:
        kept = dt.timedelta(days=int(getattr(settings, "IMPORT_FILE_RETENTION_DAYS", 30)))
        refused = dt.timedelta(days=int(getattr(settings, "IMPORT_REFUSED_FILE_RETENTION_DAYS", 7)))
        due = due.filter(finished_at__isnull=False, state__in=FINISHED_STATES).filter(
            Q(state=ImportState.SUCCEEDED, finished_at__lt=now - kept)
            | Q(state__in=(ImportState.REJECTED, ImportState.FAILED), finished_at__lt=now - refused)
        )
    purged = []
    for job_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.file_deleted_at is not None:
                continue
            for stored in (job.file, job.error_report):
                if stored:
                    stored.storage.delete(stored.name)  # no error when already gone
            job.file = ""
            job.error_report = ""
            job.file_deleted_at = now
            job.save(update_fields=["file", "error_report", "file_deleted_at"])
        purged.append(job_id)
    if purged:
        logger.info("import files deleted after retention: %d jobs", len(purged))
    return purged
