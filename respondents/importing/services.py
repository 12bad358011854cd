"""Writes of bulk imports: upload a file as a job, run a job, post a batch of rows.

Every entry point (officer page, admin, REST, command line) goes through these, and they
check who may write to the list with the same rules as ``respondents.services``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from respondents.choices import EDITABLE_STATUSES
from respondents.importing import readers
from respondents.importing.audit import audit_import_done
from respondents.importing.pipeline import ColumnLabels, Outcome, Staging, error_item, rows_load
from respondents.models import ImportJob, ImportMode, ImportSource, ImportState, RespondentList
from respondents.services import _locked, _require_list_editor, _require_status
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


class _Rejected(Exception):
    def __init__(self, outcome: Outcome, report: Path | None) -> None:
        super().__init__("rejected")
        self.outcome = outcome
        self.report = report


def _require_writable(actor: Any, respondent_list: RespondentList, mode: str) -> None:
    _require_list_editor(actor, respondent_list)
    _require_status(respondent_list, EDITABLE_STATUSES)
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
    actor: Any,
    respondent_list: RespondentList,
    upload: IO[bytes],
    file_name: str,
    mode: str = ImportMode.APPEND,
    source: str = ImportSource.PAGE,
    enqueue: bool = True,
) -> ImportJob:
    """Keep an uploaded file as a queued import job and hand it to a worker after commit.

    The list must be one the actor may edit now; the size limit is checked at once, the
    content when the job runs.
    """
    # No row lock here: an import running on this list holds it, and the upload must not
    # wait for it. The job checks again under the lock when it runs.
    respondent_list = RespondentList.objects.get(pk=respondent_list.pk)
    _require_writable(actor, respondent_list, mode)
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
    job.file.save(content_hash, File(upload), save=False)
    job.save()
    if enqueue:
        from respondents.tasks import respondent_import_run

        transaction.on_commit(lambda: respondent_import_run.delay(job.pk))
    return job


class _Progress:
    """Rows processed, written on a second connection so pages see it mid-transaction."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection = None
        if connection.vendor == "postgresql":
            self.connection = connections.create_connection("default")

    def __call__(self, rows: int) -> None:
        self.record("rows_processed", rows)

    def record(self, column: str, value: int) -> None:
        # Never the main transaction: it must not lock the job row this connection updates.
        if self.connection is None:
            return
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET {column} = %s "  # noqa: S608
                    "WHERE id = %s",
                    [value, self.job_id],
                )
        except DatabaseError:
            logger.warning("import job %s: progress not recorded", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _estimate_rows(path: Path) -> int | None:
    """Lines of a CSV file (for the progress bar); a spreadsheet's count is unknown."""
    with path.open("rb") as handle:
        if handle.read(4) == b"PK\x03\x04":
            return None
        handle.seek(0)
        lines = 0
        while chunk := handle.read(HASH_CHUNK):
            lines += chunk.count(b"\n")
    return max(lines, 1)


def _language_of(actor: Any) -> str:
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
    job.finished_at = timezone.now()
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


def import_job_run(*, job_id: int) -> ImportJob:
    """Import a queued job's file: every row or none. Safe to run again at any time.

    A finished job is left as it is. A job whose worker died mid-way is still "running"
    and its transaction was rolled back with the connection, so running it again starts
    from a list without any of its rows. Messages are in the uploader's language.
    """
    user = ImportJob.objects.select_related("created_by").get(pk=job_id).created_by
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        return _import_job_run(job_id=job_id)


def _import_job_run(*, job_id: int) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        job.state = ImportState.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.rows_processed = 0
        job.save(update_fields=["state", "attempts", "started_at", "rows_processed"])
    progress = _Progress(job.pk)
    try:
        with transaction.atomic():
            respondent_list = _locked(job.respondent_list)
            job = ImportJob.objects.get(pk=job_id)
            if job.is_finished:  # another delivery finished it while we waited for the lock
                return job
            try:
                _require_writable(job.created_by, respondent_list, job.mode)
            except PermissionDenied:
                raise _Rejected(
                    _refusal("not_allowed", _("You may not change this list.")), None
                ) from None
            except ValidationError as error:
                raise _Rejected(_refusal("list_status", " ".join(error.messages)), None) from None
            path = Path(job.file.path)
            total = _estimate_rows(path)
            if total is not None:
                progress.record("rows_total", total)
            try:
                table = readers.open_table(path, job.file_name)
                staging = Staging()
                labels = table.column_labels()
                outcome, _errors = rows_load(
                    staging=staging,
                    respondent_list=respondent_list,
                    rows=((number, values) for number, values, _cells in table.rows),
                    mode=job.mode,
                    progress=progress,
                    labels=labels,
                    absent=table.absent,
                    header_name=readers.header_name,
                )
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
            else _(
                "%(count)d errors found: nothing was imported. Correct the file and upload again."
            )
            % {"count": outcome.error_count}
        )
        _finish(job, state=ImportState.REJECTED, outcome=outcome, message=message)
        return job
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
    finally:
        progress.close()


@transaction.atomic
def respondents_batch_create(
    *,
    actor: Any,
    respondent_list: RespondentList,
    rows: Sequence[Mapping[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Append a batch of rows (the REST client's JSON) to a list: all of them or none.

    Rows already on the list (the same IIN, or the same names and birth date without one)
    are left as they are, so posting the same batch twice adds nothing.
    """
    respondent_list = _locked(respondent_list)
    _require_writable(actor, respondent_list, ImportMode.APPEND)
    if len(rows) > BATCH_MAX_ROWS:
        raise ValidationError(
            _("At most %(limit)d rows in one batch; upload a file for more.")
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
        )
        if not outcome.is_valid:
            errors = list(staging.errors())
            raise RowsRejected(
                errors,
                _("%(count)d errors found: nothing was added.") % {"count": len(errors)},
            )
    staging.drop()
    return outcome
