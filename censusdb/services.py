"""Writes of the census-database import: the export's job, matching, applying, the review.

An export runs in one transaction. On PostgreSQL it runs through ``censusdb.bulk_import``:
the file by ``COPY``, the row checks and name keys in SQL generated from the Python rules,
matching and deciding on the staged rows, each record written once. Elsewhere (SQLite,
the embedded demo; small data) it runs in set-based steps with a constant number of
queries per batch of rows:

1. the file streams through the list import's readers into a temporary staging table
   (PostgreSQL ``COPY``), every row checked and given its matching keys
   (``respondents.matching``);
2. one upsert keeps each form once per campaign by its form or registration number: an
   unchanged row (same content hash) changes nothing, a changed one is matched again;
3. matching in SQL, tier after tier (IIN; name and birth date in the institution, then
   region-wide), the first tier with any candidate deciding (``matching.decision``);
4. the matches are decided in SQL and applied at once through
   ``enumeration_record_bulk`` (source: census database), except where an officer
   recorded an outcome: an agreeing one is left as it is, a disagreeing one goes to the
   review queue with both sides;
5. the job's counts and audit (``_finish``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.types import Actor
from audit.models import AuditAction
from audit.services import audit_record
from census_coord import clock
from census_coord.kz_ids import has_valid_check_digit
from census_coord.policy import require
from censusdb import bulk_import, columns
from censusdb.models import (
    CensusCandidate,
    CensusExport,
    CensusExportSource,
    CensusExportState,
    CensusMethod,
    CensusRecord,
    CensusReview,
    RecordState,
    ReviewKind,
    ReviewState,
)
from censusdb.reconciliation import reconciliation_refresh
from censusdb.rules import (
    _METHODS,
    PREVIEW_ERRORS,
    _completed_at,
    _error,
    _family_sql,
    _officer_side_sql,
    listed_people,
    record_upsert,
)
from enumeration.choices import EnumerationMethod, EnumerationSource, EnumerationStatus
from enumeration.models import Enumeration
from enumeration.selectors import critical_date
from enumeration.services import (
    REGISTRATION_NUMBER,
    EnumerationUpdate,
    enumeration_bulk_table,
    enumeration_record_batch,
    enumeration_record_bulk,
    method_window,
)
from institutions.models import Campaign, Institution
from institutions.selectors import campaign_get_active
from respondents.importing import readers
from respondents.importing.supervision import JobHeartbeat
from respondents.importing.vocabulary import choice_value
from respondents.matching import MatchKind, MatchScope, name_keys
from respondents.models import Respondent
from respondents.validation import parse_date

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
MAX_API_ROWS = 10_000
APPLY_BATCH = 1000  # records a batch where the apply cannot be set-based (SQLite)
# Advisory lock namespace of census export jobs (list imports use 17017).
LOCK_NAMESPACE = 19019
STAGE = "census_export_stage"
CANDIDATES = "census_export_candidates"
PEOPLE = "census_export_people"
WITH_IIN = "census_export_with_iin"
STAGE_COLUMNS = (
    "line",
    "form_number",
    "iin",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "method",
    "completed_at",
    "tablet_ref",
    "bin",
    "exact_key",
    "variant_key",
    "content_hash",
)
_DIGITS = re.compile(r"^[0-9]{12}$")


class ExportRefused(Exception):
    """The export as a whole cannot be read; ``message`` is translated."""


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- creating the job --------------------------------------------------------------------


def _file_hash(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    while chunk := handle.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):  # dates and moments as ISO, read back exactly
        return value.isoformat()
    return str(value)


def rows_as_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """Rows pushed over REST as the CSV file the job reads (the same pipeline as a file)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([columns.english_header(name) for name in columns.FIELDS])
    for row in rows:
        writer.writerow([_cell_text(row.get(name)) for name in columns.FIELDS])
    return out.getvalue().encode("utf-8")


@transaction.atomic
def census_export_create(
    *,
    actor: Actor,
    file: File | None = None,
    file_name: str = "",
    rows: Sequence[Mapping[str, Any]] | None = None,
    campaign: Campaign | None = None,
    enqueue: bool = True,
) -> CensusExport:
    """Accept an export of the census database (a file, or REST rows) and queue its job.

    The file is checked at once for size (the list import's limits); the rest of its checks
    and every row are the job's. The job is handed to a worker after the commit.
    """
    require(actor, "censusdb.import")
    if rows is not None:
        if not rows:
            raise ValidationError(_("Send at least one row."), code="rows_empty")
        if len(rows) > MAX_API_ROWS:
            raise ValidationError(
                ngettext(
                    "Send at most %(count)d row at a time.",
                    "Send at most %(count)d rows at a time.",
                    MAX_API_ROWS,
                )
                % {"count": MAX_API_ROWS},
                code="too_many_rows",
            )
        file = ContentFile(rows_as_csv(rows))
        file_name = file_name or "census-db-rows.csv"
        source = CensusExportSource.API
    elif file is not None:
        source = CensusExportSource.FILE
        file_name = file_name or getattr(file, "name", "") or "census-db.csv"
    else:
        raise ValidationError(_("Choose the export file."), code="file_required")
    try:
        readers.check_size(file.size or 0)
    except readers.FileRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from None
    content_hash, size = _file_hash(file)
    export = CensusExport(
        campaign=campaign or campaign_get_active(),
        created_by=actor,
        source=source,
        file_name=Path(file_name).name[:255],
        file_size=size,
        content_hash=content_hash,
    )
    export.file.save("export.bin", file, save=False)
    export.save()
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CREATE,
        obj=export,
        extra={"source": source, "size": size},
    )
    if enqueue:  # the demo runs its export itself
        transaction.on_commit(lambda: census_export_enqueue(export_id=export.pk))
    return export


# The task that runs an export: censusdb.tasks imports this module, so the task is
# registered here by CensusDbConfig.ready() instead of imported (no circle).
_RUNNER: dict[str, Any] = {}


def census_export_runner_register(task: Any) -> None:
    """Name the Celery task ``census_export_enqueue`` hands exports to."""
    _RUNNER["run"] = task


def census_export_enqueue(*, export_id: int) -> bool:
    """Hand the job to a worker; False when the broker is unreachable (never raises)."""
    try:
        task = _RUNNER["run"]
    except KeyError:
        raise ImproperlyConfigured(
            "No census export runner: censusdb.apps.CensusDbConfig.ready() registers it."
        ) from None
    try:
        task.delay(export_id)
    except Exception as exc:  # kombu/redis raise many kinds; any of them means "not sent"
        logger.warning("census export %s: broker unreachable (%s)", export_id, type(exc).__name__)
        return False
    return True


# --- running the job ---------------------------------------------------------------------


@dataclass
class _Counts:
    processed: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    applied: int = 0
    confirmed: int = 0
    queued: int = 0
    not_listed: int = 0


def census_export_run(*, export_id: int) -> CensusExport:
    """Run the export's job to its end: all of it, or nothing and a message.

    Idempotent: a finished job is returned as it is, and running an export again (or
    another export with the same rows) changes nothing.
    """
    with transaction.atomic():
        export = CensusExport.objects.select_for_update().get(pk=export_id)
        if export.is_finished:
            return export
        export.state = CensusExportState.RUNNING
        export.started_at = clock.wall_now()
        export.save(update_fields=["state", "started_at"])
    heartbeat = JobHeartbeat(export_id, table=CensusExport._meta.db_table, namespace=LOCK_NAMESPACE)
    if not heartbeat.claim():
        heartbeat.close()
        return export
    errors: list[dict[str, Any]] = []
    counts = _Counts()
    try:
        with transaction.atomic():
            _export_import(export, counts=counts, errors=errors, heartbeat=heartbeat)
            _finish(export, counts=counts, errors=errors, state=CensusExportState.DONE)
            committing = time.monotonic()
        # The commit apart (the deferred checks of whatever foreign keys are still deferred).
        logger.info("census export %s: commit %.1fs", export_id, time.monotonic() - committing)
    except ExportRefused as refused:
        _finish(
            export,
            counts=_Counts(),
            errors=errors,
            state=CensusExportState.FAILED,
            message=str(refused),
        )
    except readers.FileRefused as refused:
        _finish(
            export,
            counts=_Counts(),
            errors=errors,
            state=CensusExportState.FAILED,
            message=refused.message,
        )
    except Exception:
        logger.exception("census export %s failed", export_id)
        _finish(
            export,
            counts=_Counts(),
            errors=errors,
            state=CensusExportState.FAILED,
            message=_("The import failed; nothing was changed. Try again or ask for help."),
        )
    finally:
        heartbeat.close()
    export.refresh_from_db()
    return export


def _finish(
    export: CensusExport,
    *,
    counts: _Counts,
    errors: list[dict[str, Any]],
    state: str,
    message: str = "",
) -> None:
    export.state = state
    export.finished_at = clock.wall_now()
    export.rows_processed = counts.processed
    export.rows_new, export.rows_updated = counts.new, counts.updated
    export.rows_unchanged, export.rows_invalid = counts.unchanged, counts.invalid
    export.applied, export.confirmed = counts.applied, counts.confirmed
    export.queued, export.not_listed = counts.queued, counts.not_listed
    export.errors_preview = errors[:PREVIEW_ERRORS]
    export.message = (message or _success_message(counts))[:500]
    export.save()
    audit_record(
        request_or_actor=export.created_by,
        action=AuditAction.CHANGE,
        obj=export,
        record_count=counts.new + counts.updated,
        extra={
            "state": state,
            "new": counts.new,
            "updated": counts.updated,
            "applied": counts.applied,
            "queued": counts.queued,
        },
    )


def _success_message(counts: _Counts) -> str:
    return (
        _(
            "Forms read: %(processed)d (new %(new)d, changed %(updated)d, unchanged "
            "%(unchanged)d, with errors %(invalid)d). Recorded on lists: %(applied)d; agreeing "
            "with officers: %(confirmed)d; for review: %(queued)d; on no list: %(not_listed)d."
        )
        % counts.__dict__
    )


def _clean_row(
    line: int, values: Mapping[str, Any]
) -> tuple[tuple[Any, ...] | None, list[dict[str, Any]]]:
    """The staged values of one export row, or its errors."""
    errors: list[dict[str, Any]] = []
    form_number = str(values["form_number"] or "").strip()
    if not REGISTRATION_NUMBER.match(form_number):
        errors.append(
            _error(line, "form_number", _("Use only Latin letters, digits and hyphens (up to 32)."))
        )
    iin = str(values["iin"] or "").strip()
    if iin and len(iin) < 12 and iin.isdigit():
        iin = iin.zfill(12)  # a numeric spreadsheet cell lost its leading zeros
    if iin and not (_DIGITS.match(iin) and has_valid_check_digit(iin)):
        errors.append(_error(line, "iin", _("The IIN is not a valid 12-digit number.")))
    surname = str(values["surname"] or "").strip()[:100]
    given_name = str(values["given_name"] or "").strip()[:100]
    if not surname or not given_name:
        errors.append(_error(line, "surname", _("Enter the surname and the given name.")))
    birth_date = None
    if values["birth_date"] not in ("", None):
        birth_date = parse_date(values["birth_date"])
        if birth_date is None:
            errors.append(_error(line, "birth_date", _("Enter the birth date as DD.MM.YYYY.")))
    method = _METHODS.get(str(values["method"] or "").strip().casefold())
    if method is None:
        errors.append(_error(line, "method", _("Give the method: online or tablet.")))
    completed_at = _completed_at(values["completed_at"])
    if completed_at is None:
        errors.append(
            _error(line, "completed_at", _("Enter when the form was completed (DD.MM.YYYY HH:MM)."))
        )
    bin_value = str(values["bin"] or "").strip()
    if bin_value and len(bin_value) < 12 and bin_value.isdigit():
        bin_value = bin_value.zfill(12)
    if bin_value and not _DIGITS.match(bin_value):
        errors.append(_error(line, "bin", _("The BIN is not a 12-digit number.")))
    if errors:
        return None, errors
    sex_text = str(values["sex"] or "").strip()
    sex = (choice_value("sex", sex_text) or "") if sex_text else ""
    keys = name_keys(surname, given_name, birth_date) if not iin else None
    patronymic = str(values["patronymic"] or "").strip()[:100]
    tablet = str(values["tablet"] or "").strip()[:64]
    if completed_at is None or method is None:  # checked above; for the type checker
        return None, errors
    content = [form_number, iin, surname, given_name, patronymic,
               birth_date.isoformat() if birth_date else "", sex, method,
               completed_at.astimezone(dt.UTC).isoformat(), tablet, bin_value]  # fmt: skip
    content_hash = hashlib.sha256("\x1f".join(content).encode()).hexdigest()
    return (
        line, form_number, iin, surname, given_name, patronymic, birth_date, sex, method,
        completed_at, tablet, bin_value, keys.exact if keys else "", keys.variant if keys else "",
        content_hash,
    ), []  # fmt: skip


def _db_value(value: Any) -> Any:
    """A date or moment as the database stores it (SQLite keeps them as text, in UTC)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _Stager:
    """Rows into a temporary table: COPY on PostgreSQL, plain inserts elsewhere."""

    def __init__(self, name: str, table_sql: str, names: Sequence[str]) -> None:
        self.name = name
        self.names = names
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({table_sql})")

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if _is_postgresql():
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                for row in rows:
                    writer.writerow(["\\N" if value is None else value for value in row])
                buffer.seek(0)
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                raw.copy_expert(
                    f"COPY {self.name} ({', '.join(self.names)}) FROM STDIN "
                    "WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
            else:
                marks = ", ".join(["%s"] * len(self.names))
                cursor.executemany(
                    f"INSERT INTO {self.name} ({', '.join(self.names)}) VALUES ({marks})",  # noqa: S608
                    [tuple(_db_value(value) for value in row) for row in rows],
                )


def _stage(
    export: CensusExport, *, counts: _Counts, errors: list[dict[str, Any]], heartbeat: Any
) -> None:
    table = readers.open_table(Path(export.file.path), export.file_name, columns.LAYOUT)
    stager = _Stager(
        STAGE,
        "line integer, form_number varchar(32), iin varchar(12), surname varchar(100), "
        "given_name varchar(100), patronymic varchar(100), birth_date date, sex varchar(8), "
        "method varchar(8), completed_at timestamp with time zone, tablet_ref varchar(64), "
        "bin varchar(12), exact_key varchar(240), variant_key varchar(240), "
        "content_hash varchar(64)",
        STAGE_COLUMNS,
    )
    batch: list[tuple[Any, ...]] = []
    for line, values, _cells in table.rows:
        counts.processed += 1
        row, row_errors = _clean_row(line, values)
        if row is None:
            counts.invalid += 1
            if len(errors) < PREVIEW_ERRORS:
                errors.extend(row_errors)
            continue
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            stager.write(batch)
            batch = []
            heartbeat(counts.processed)
    stager.write(batch)
    heartbeat(counts.processed)


def _t(model: Any) -> str:
    return str(model._meta.db_table)


def _upsert(export: CensusExport, *, counts: _Counts) -> None:
    """Keep each form once (the last line of a file wins); count new, changed, unchanged."""
    record = _t(CensusRecord)
    with connection.cursor() as cursor:
        # The same form twice in one file: the later line is the export's word.
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {STAGE} later "  # noqa: S608
            f"WHERE later.form_number = {STAGE}.form_number AND later.line > {STAGE}.line)"
        )
        cursor.execute(
            f"SELECT COUNT(*) FILTER (WHERE r.id IS NULL), "  # noqa: S608
            f"COUNT(*) FILTER (WHERE r.id IS NOT NULL AND r.content_hash <> s.content_hash), "
            f"COUNT(*) FILTER (WHERE r.content_hash = s.content_hash) "
            f"FROM {STAGE} s LEFT JOIN {record} r "
            f"ON r.campaign_id = %s AND r.form_number = s.form_number",
            [export.campaign_id],
        )
        counts.new, counts.updated, counts.unchanged = cursor.fetchone()
        # A form that changed is matched again: its open review is out of date.
        cursor.execute(
            f"DELETE FROM {_t(CensusReview)} WHERE state = 'open' AND record_id IN ("  # noqa: S608
            f"SELECT r.id FROM {record} r JOIN {STAGE} s ON r.form_number = s.form_number "
            f"WHERE r.campaign_id = %s AND r.content_hash <> s.content_hash)",
            [export.campaign_id],
        )
        now = clock.wall_now()
        insert, update = record_upsert(record)
        cursor.execute(
            f"{insert}SELECT %s, s.form_number, s.iin, s.surname, s.given_name, s.patronymic, "  # noqa: S608
            "s.birth_date, s.sex, s.method, s.completed_at, s.tablet_ref, s.bin, i.id, "
            "s.exact_key, s.variant_key, s.content_hash, %s, 'pending', '', '', NULL, %s "
            f"FROM {STAGE} s LEFT JOIN {_t(Institution)} i ON i.bin = s.bin AND s.bin <> '' "
            f"WHERE true {update} "  # a changed form is matched again: pending, no person
            f"WHERE {record}.content_hash <> excluded.content_hash",
            [export.campaign_id, export.pk, _db_value(now)],
        )


def _listed_people(campaign: Campaign) -> Iterator[tuple[Any, ...]]:
    """The listed people, with their name keys (the rule's, computed once here); a form
    without IIN may be a person the list knows with one."""
    rows = listed_people(campaign)
    for pk, surname, given_name, birth_date, institution_id, region_id in rows.iterator(
        chunk_size=BATCH_ROWS
    ):
        keys = name_keys(surname, given_name, birth_date)
        yield pk, institution_id, region_id, keys.exact, keys.variant


def _match(export: CensusExport) -> None:
    """Candidates for every pending record, tier by tier, then each record's decision."""
    campaign = export.campaign
    record, respondent = _t(CensusRecord), _t(Respondent)
    lists = _t(Respondent._meta.get_field("respondent_list").related_model)
    institution = _t(Institution)
    district = _t(Institution._meta.get_field("district").related_model)
    critical = critical_date(campaign)
    pending = f"c.campaign_id = {int(campaign.pk)} AND c.state = 'pending'"
    listed = (
        f"l.campaign_id = {int(campaign.pk)} AND l.status = 'accepted' "
        "AND (p.departed_on IS NULL OR p.departed_on >= %s)"
    )
    _Stager(
        CANDIDATES,
        "record_id bigint, respondent_id bigint, kind varchar(8), scope varchar(12)",
        (),
    )
    with connection.cursor() as cursor:
        # The forms with an IIN first into a temporary table of their own, analysed: the
        # records' statistics inside this transaction do not show the rows it just wrote,
        # and the planner then loops over the whole export once per listed person.
        cursor.execute(f"DROP TABLE IF EXISTS {WITH_IIN}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {WITH_IIN} AS SELECT c.id, c.iin, c.institution_id "  # noqa: S608
            f"FROM {record} c WHERE {pending} AND c.iin <> ''"
        )
        cursor.execute(f"ANALYZE {WITH_IIN}")
        cursor.execute(
            f"INSERT INTO {CANDIDATES} SELECT c.id, p.id, 'iin', "  # noqa: S608
            "CASE WHEN l.institution_id = c.institution_id THEN 'institution' ELSE 'region' END "
            f"FROM {WITH_IIN} c JOIN {respondent} p ON p.iin = c.iin "
            f"JOIN {lists} l ON l.id = p.respondent_list_id WHERE {listed}",
            [_db_value(critical)],
        )
        cursor.execute(f"DROP TABLE {WITH_IIN}")
        # Temporary tables get no statistics by themselves: index and analyse them, or the
        # planner loops over them (a million forms would take hours).
        cursor.execute(f"CREATE INDEX {CANDIDATES}_record ON {CANDIDATES} (record_id)")
        cursor.execute(f"CREATE INDEX {CANDIDATES}_person ON {CANDIDATES} (respondent_id)")
        cursor.execute(f"ANALYZE {CANDIDATES}")
        cursor.execute(
            f"SELECT 1 FROM {record} c WHERE {pending} AND c.iin = '' LIMIT 1"  # noqa: S608
        )
        if cursor.fetchone() is not None:
            people = _Stager(
                PEOPLE,
                "respondent_id bigint, institution_id bigint, region_id bigint, "
                "exact_key varchar(240), variant_key varchar(240)",
                ("respondent_id", "institution_id", "region_id", "exact_key", "variant_key"),
            )
            batch: list[tuple[Any, ...]] = []
            for person in _listed_people(campaign):
                batch.append(person)
                if len(batch) >= BATCH_ROWS:
                    people.write(batch)
                    batch = []
            people.write(batch)
            cursor.execute(f"CREATE INDEX {PEOPLE}_exact ON {PEOPLE} (exact_key)")
            cursor.execute(f"CREATE INDEX {PEOPLE}_variant ON {PEOPLE} (variant_key)")
            cursor.execute(f"ANALYZE {PEOPLE}")
            for kind, scope in (
                (MatchKind.EXACT, MatchScope.INSTITUTION),
                (MatchKind.VARIANT, MatchScope.INSTITUTION),
                (MatchKind.EXACT, MatchScope.REGION),
                (MatchKind.VARIANT, MatchScope.REGION),
            ):
                key = f"{kind}_key"
                where = (
                    "k.institution_id = c.institution_id"
                    if scope == MatchScope.INSTITUTION
                    else "(d.region_id IS NULL OR k.region_id = d.region_id)"
                )
                cursor.execute(
                    f"INSERT INTO {CANDIDATES} SELECT c.id, k.respondent_id, %s, %s "  # noqa: S608
                    f"FROM {record} c JOIN {PEOPLE} k ON k.{key} = c.{key} "
                    f"LEFT JOIN {institution} i ON i.id = c.institution_id "
                    f"LEFT JOIN {district} d ON d.id = i.district_id "
                    f"WHERE {pending} AND c.iin = '' AND c.{key} <> '' AND {where} "
                    f"AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} x WHERE x.record_id = c.id)",
                    [str(kind), str(scope)],
                )
        cursor.execute(f"ANALYZE {CANDIDATES}")
        # Nobody found: on no list. (NOT EXISTS, an anti-join: NOT IN over a million
        # candidates outgrows work_mem and scans them once per record.)
        cursor.execute(
            f"UPDATE {record} SET state = 'not_listed' WHERE campaign_id = %s "  # noqa: S608
            f"AND state = 'pending' AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} x "
            f"WHERE x.record_id = {record}.id)",
            [campaign.pk],
        )
        # One exact candidate whom no other form claims: the match to apply.
        cursor.execute(
            f"UPDATE {record} SET respondent_id = one.respondent_id, match_kind = one.kind, "  # noqa: S608
            "match_scope = one.scope FROM ("
            "SELECT record_id, MIN(respondent_id) AS respondent_id, MIN(kind) AS kind, "
            f"MIN(scope) AS scope FROM {CANDIDATES} GROUP BY record_id "
            "HAVING COUNT(*) = 1 AND MIN(kind) IN ('iin', 'exact')) one "
            f"WHERE {record}.id = one.record_id AND NOT EXISTS ("
            f"SELECT 1 FROM {CANDIDATES} other WHERE other.respondent_id = one.respondent_id "
            "AND other.record_id <> one.record_id) AND NOT EXISTS ("
            f"SELECT 1 FROM {record} done WHERE done.respondent_id = one.respondent_id "
            f"AND done.id <> one.record_id AND done.campaign_id = {record}.campaign_id "
            "AND done.state IN ('applied', 'confirmed'))"
        )
        # Everyone else with candidates: the Department decides, candidates side by side.
        now = clock.wall_now()
        cursor.execute(
            f"INSERT INTO {_t(CensusReview)} (record_id, kind, state, officer_side, note, "  # noqa: S608
            "created_at) SELECT c.id, CASE WHEN COUNT(*) > 1 THEN 'ambiguous' "
            "WHEN MIN(x.kind) = 'variant' THEN 'variant' ELSE 'ambiguous' END, 'open', '{}', "
            f"'', %s FROM {record} c JOIN {CANDIDATES} x ON x.record_id = c.id "
            f"WHERE {pending} AND c.respondent_id IS NULL GROUP BY c.id",
            [_db_value(now)],
        )
        cursor.execute(
            f"INSERT INTO {_t(CensusCandidate)} (review_id, respondent_id, kind, scope) "  # noqa: S608
            f"SELECT v.id, x.respondent_id, x.kind, x.scope FROM {CANDIDATES} x "
            f"JOIN {_t(CensusReview)} v ON v.record_id = x.record_id AND v.state = 'open' "
            f"JOIN {record} c ON c.id = x.record_id WHERE {pending} AND c.respondent_id IS NULL"
        )
        cursor.execute(
            f"UPDATE {record} SET state = 'review' WHERE campaign_id = %s "  # noqa: S608
            "AND state = 'pending' AND respondent_id IS NULL",
            [campaign.pk],
        )
        cursor.execute(f"DROP TABLE IF EXISTS {CANDIDATES}")
        cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE}")


def census_outcome(record: CensusRecord) -> EnumerationUpdate:
    """What the census database says of the record's person, as a stage-2 update."""
    method = (
        EnumerationMethod.TABLET
        if record.method == CensusMethod.TABLET
        else (EnumerationMethod.ONLINE_SELF)
    )
    day = timezone.localdate(record.completed_at)
    start, end = method_window(record.campaign, method)
    return EnumerationUpdate(
        respondent_id=record.respondent_id,
        status=EnumerationStatus.ENUMERATED,
        method=method,
        enumerated_on=day,
        tablet_kit_ref=record.tablet_ref if method == EnumerationMethod.TABLET else "",
        registration_number=record.form_number,
        window_override_reason=(
            "" if start <= day <= end else _("Completed on this date in the census database.")
        ),
    )


def _method_family(method: str) -> str:
    return (
        "online"
        if method in (EnumerationMethod.ONLINE_SELF, EnumerationMethod.ONLINE_ASSISTED)
        else method
    )


def officer_side(enumeration: Enumeration) -> dict[str, Any]:
    """An officer's outcome as the review shows it (codes and a date, no names)."""
    return {
        "status": enumeration.status,
        "method": enumeration.method,
        "reason": enumeration.reason,
        "enumerated_on": (
            enumeration.enumerated_on.isoformat() if enumeration.enumerated_on else ""
        ),
        "registration_number": enumeration.registration_number,
        "source": enumeration.source,
    }


def _agrees(enumeration: Enumeration, update: EnumerationUpdate) -> bool:
    return (
        enumeration.status == EnumerationStatus.ENUMERATED
        and _method_family(enumeration.method) == _method_family(update.method)
        and enumeration.enumerated_on == update.enumerated_on
    )


def _conflict_open(record: CensusRecord, side: dict[str, Any], note: str = "") -> CensusReview:
    review = CensusReview.objects.create(
        record=record, kind=ReviewKind.CONFLICT, officer_side=side, note=note[:500]
    )
    CensusCandidate.objects.create(
        review=review,
        respondent_id=record.respondent_id or 0,  # a conflict has its person
        kind=record.match_kind or MatchKind.MANUAL,
        scope=record.match_scope or MatchScope.REGION,
    )
    return review


def _apply_in_batches(export: CensusExport, *, actor: Actor) -> None:
    """``_apply`` where there is no PostgreSQL (SQLite, ``make run``): the same decisions,
    a batch of records at a time through ``enumeration_record_batch``."""
    while True:
        records = list(
            CensusRecord.objects.filter(
                campaign=export.campaign, state=RecordState.PENDING, respondent__isnull=False
            )
            .select_related("campaign")
            .order_by("pk")[:APPLY_BATCH]
        )
        if not records:
            return
        existing = {
            e.respondent_id: e
            for e in Enumeration.objects.filter(
                respondent_id__in=[r.respondent_id for r in records]
            )
        }
        taken = dict(
            Enumeration.objects.filter(
                registration_number__in=[r.form_number for r in records]
            ).values_list("registration_number", "respondent_id")
        )
        to_write: list[tuple[CensusRecord, EnumerationUpdate]] = []
        for record in records:
            update = census_outcome(record)
            enumeration = existing.get(record.respondent_id or 0)
            owner = taken.get(record.form_number)
            if owner is not None and owner != record.respondent_id:
                record.state = RecordState.REVIEW
                side = officer_side(enumeration) if enumeration else {}
                _conflict_open(
                    record,
                    side,
                    _("This form number is already recorded for another person."),
                )
            elif (
                enumeration is None
                or enumeration.status == EnumerationStatus.PENDING
                or enumeration.source == EnumerationSource.CENSUS_DB
            ):
                to_write.append((record, update))
                record.state = RecordState.APPLIED
            elif _agrees(enumeration, update):
                record.state = RecordState.CONFIRMED
            else:
                record.state = RecordState.REVIEW
                _conflict_open(record, officer_side(enumeration))
        _write(to_write, actor=actor, existing=existing)
        by_state: dict[str, list[int]] = {}
        for record in records:
            by_state.setdefault(record.state, []).append(record.pk)
        for state, pks in by_state.items():  # one UPDATE per state, not a CASE per row
            CensusRecord.objects.filter(pk__in=pks).update(state=state)


def _write(
    to_write: list[tuple[CensusRecord, EnumerationUpdate]],
    *,
    actor: Actor,
    existing: Mapping[int, Enumeration],
) -> None:
    """One batch through the enumeration service. A row it refuses (a date outside the
    window the importing client may not accept, a certificate) goes to the review queue
    with the service's reason, and the rest is recorded."""
    while to_write:
        try:
            enumeration_record_batch(
                actor=actor,
                updates=[update for _record, update in to_write],
                source=EnumerationSource.CENSUS_DB,
            )
        except ValidationError as error:
            refused: dict[int, str] = {}
            for item in error.error_list:
                row = (item.params or {}).get("row")
                if isinstance(row, int) and 0 <= row < len(to_write):
                    refused.setdefault(row, " ".join(item.messages))
            if not refused:
                raise
            for row, message in refused.items():
                record = to_write[row][0]
                record.state = RecordState.REVIEW
                enumeration = existing.get(record.respondent_id or 0)
                _conflict_open(record, officer_side(enumeration) if enumeration else {}, message)
            to_write = [item for row, item in enumerate(to_write) if row not in refused]
            continue
        return


APPLY = "census_export_apply"
DECIDE = "census_export_decide"


def _apply(export: CensusExport, *, actor: Actor) -> None:
    """Record the matched outcomes, all at once, never over an officer's own record.

    Each matched record is decided in one statement: its form number recorded for someone
    else, or an officer's disagreeing outcome → a conflict for review (with the officer's
    side); an officer's agreeing outcome → confirmed; otherwise (no outcome, a pending one,
    or one the census database recorded) → written through ``enumeration_record_bulk``,
    whose refusals go to review with its reason.
    """
    if not _is_postgresql():
        _apply_in_batches(export, actor=actor)
        return
    campaign = export.campaign
    record, enumeration = _t(CensusRecord), _t(Enumeration)
    review, candidate = _t(CensusReview), _t(CensusCandidate)
    windows = {
        method: method_window(campaign, method)
        for method in (EnumerationMethod.ONLINE_SELF, EnumerationMethod.TABLET)
    }
    outside = _("Completed on this date in the census database.")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {DECIDE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {DECIDE} AS SELECT c.id AS record_id, c.respondent_id, "  # noqa: S608
            "c.form_number, c.match_kind, c.match_scope, c.tablet_ref, "
            "CASE WHEN c.method = %s THEN %s ELSE %s END AS method, "
            "(c.completed_at AT TIME ZONE %s)::date AS enumerated_on, "
            "e.id AS enumeration_id, e.status, e.method AS officer_method, "
            "e.enumerated_on AS officer_on, e.source, "
            f"CASE WHEN e.id IS NULL THEN '{{}}'::jsonb ELSE {_officer_side_sql('e')} END "
            "AS side, ''::varchar(12) AS decision, ''::varchar(500) AS note "
            f"FROM {record} c LEFT JOIN {enumeration} e ON e.respondent_id = c.respondent_id "
            "WHERE c.campaign_id = %s AND c.state = 'pending' AND c.respondent_id IS NOT NULL",
            [CensusMethod.TABLET, EnumerationMethod.TABLET, EnumerationMethod.ONLINE_SELF,
             timezone.get_current_timezone_name(), campaign.pk],
        )  # fmt: skip
        cursor.execute(f"CREATE INDEX ON {DECIDE} (record_id)")
        cursor.execute(f"ANALYZE {DECIDE}")
        cursor.execute(
            f"UPDATE {DECIDE} d SET decision = 'taken', note = %s WHERE EXISTS ("  # noqa: S608
            f"SELECT 1 FROM {enumeration} x WHERE x.registration_number = d.form_number "
            "AND x.registration_number <> '' "
            "AND x.respondent_id <> d.respondent_id)",
            [_("This form number is already recorded for another person.")[:500]],
        )
        cursor.execute(
            f"UPDATE {DECIDE} d SET decision = CASE "  # noqa: S608
            "WHEN d.enumeration_id IS NULL OR d.status = %s OR d.source = %s THEN 'write' "
            f"WHEN d.status = %s AND {_family_sql('d.officer_method')} = "
            f"{_family_sql('d.method')} AND d.officer_on = d.enumerated_on THEN 'confirm' "
            "ELSE 'conflict' END WHERE d.decision = ''",
            [EnumerationStatus.PENDING, EnumerationSource.CENSUS_DB, EnumerationStatus.ENUMERATED],
        )
        enumeration_bulk_table(APPLY)
        reason = ["CASE"]
        params: list[Any] = []
        for method, (start, end) in windows.items():
            reason.append("WHEN d.method = %s AND d.enumerated_on BETWEEN %s AND %s THEN ''")
            params += [method, _db_value(start), _db_value(end)]
        reason.append("ELSE %s END")
        params.append(outside[:500])
        cursor.execute(
            f"INSERT INTO {APPLY} (row_id, respondent_id, method, enumerated_on, "  # noqa: S608
            "tablet_kit_ref, registration_number, window_override_reason) "
            "SELECT d.record_id, d.respondent_id, d.method, d.enumerated_on, "
            f"CASE WHEN d.method = %s THEN d.tablet_ref ELSE '' END, d.form_number, "
            f"{' '.join(reason)} FROM {DECIDE} d WHERE d.decision = 'write'",
            [EnumerationMethod.TABLET, *params],
        )
    enumeration_record_bulk(actor=actor, campaign=campaign, table=APPLY)
    with connection.cursor() as cursor:
        # A row the service refused goes to the review queue with its reason.
        cursor.execute(
            f"UPDATE {DECIDE} d SET decision = 'refused', note = a.refusal FROM {APPLY} a "  # noqa: S608
            "WHERE a.row_id = d.record_id AND a.refusal IS NOT NULL"
        )
        cursor.execute(
            f"INSERT INTO {review} (record_id, kind, state, officer_side, note, created_at) "  # noqa: S608
            "SELECT d.record_id, %s, %s, d.side, d.note, %s FROM "
            f"{DECIDE} d WHERE d.decision IN ('taken', 'conflict', 'refused')",
            [ReviewKind.CONFLICT, ReviewState.OPEN, _db_value(clock.wall_now())],
        )
        cursor.execute(
            f"INSERT INTO {candidate} (review_id, respondent_id, kind, scope) "  # noqa: S608
            "SELECT v.id, d.respondent_id, COALESCE(NULLIF(d.match_kind, ''), %s), "
            f"COALESCE(NULLIF(d.match_scope, ''), %s) FROM {DECIDE} d "
            f"JOIN {review} v ON v.record_id = d.record_id AND v.state = %s "
            "WHERE d.decision IN ('taken', 'conflict', 'refused')",
            [MatchKind.MANUAL, MatchScope.REGION, ReviewState.OPEN],
        )
        cursor.execute(
            f"UPDATE {record} c SET state = CASE d.decision WHEN 'write' THEN %s "  # noqa: S608
            f"WHEN 'confirm' THEN %s ELSE %s END FROM {DECIDE} d WHERE c.id = d.record_id",
            [RecordState.APPLIED, RecordState.CONFIRMED, RecordState.REVIEW],
        )
        cursor.execute(f"DROP TABLE IF EXISTS {DECIDE}")
        cursor.execute(f"DROP TABLE IF EXISTS {APPLY}")


def _count_outcomes(export: CensusExport, counts: _Counts) -> None:
    """The export's outcome counts: its records' states now (new or changed forms)."""
    states = dict(
        CensusRecord.objects.filter(export=export)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    counts.applied = states.get(RecordState.APPLIED, 0)
    counts.confirmed = states.get(RecordState.CONFIRMED, 0)
    counts.queued = states.get(RecordState.REVIEW, 0)
    counts.not_listed = states.get(RecordState.NOT_LISTED, 0)


def _export_import(
    export: CensusExport, *, counts: _Counts, errors: list[dict[str, Any]], heartbeat: Any
) -> None:
    if _is_postgresql():  # the file at COPY speed, the rules in SQL, each record written once
        timings: dict[str, float] = {}
        bulk_import.run(export, counts=counts, errors=errors, heartbeat=heartbeat, timings=timings)
        started = time.monotonic()
        _count_outcomes(export, counts)
        reconciliation_refresh(campaign=export.campaign)  # the four-way counters, once a run
        timings["counted"] = time.monotonic() - started
        logger.info(
            "census export %s: %s",
            export.pk,
            ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in timings.items()),
        )
        return
    started = time.monotonic()
    _stage(export, counts=counts, errors=errors, heartbeat=heartbeat)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {STAGE}_form ON {STAGE} (form_number, line)")
        cursor.execute(f"ANALYZE {STAGE}")
    staged = time.monotonic()
    _upsert(export, counts=counts)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"ANALYZE {_t(CensusRecord)}")
    heartbeat.beat()
    upserted = time.monotonic()
    _match(export)
    heartbeat.beat()
    matched = time.monotonic()
    _apply(export, actor=export.created_by)
    _count_outcomes(export, counts)
    reconciliation_refresh(campaign=export.campaign)  # the four-way counters, once a run
    logger.info(
        "census export %s: staged %.1fs, upserted %.1fs, matched %.1fs, applied %.1fs",
        export.pk, staged - started, upserted - staged, matched - upserted,
        time.monotonic() - matched,
    )  # fmt: skip


# --- the Department's review -------------------------------------------------------------


@transaction.atomic
def census_review_resolve(
    *,
    actor: Actor,
    review: CensusReview,
    accept: bool,
    respondent_id: int | None = None,
    note: str = "",
) -> CensusReview:
    """Decide a review: accept a candidate (or, for a conflict, the census database's side)
    and record it through the enumeration services; or reject (nothing is recorded, the
    officer's outcome stays). Audited."""
    require(actor, "censusdb.review", review)
    review = (
        CensusReview.objects.select_for_update()
        .select_related("record__campaign")
        .get(pk=review.pk)
    )
    if review.state != ReviewState.OPEN:
        raise ValidationError(_("This review is decided already."), code="review_closed")
    record = review.record
    candidates = set(review.candidates.values_list("respondent_id", flat=True))
    if accept:
        chosen = (
            respondent_id
            if respondent_id is not None
            else (next(iter(candidates)) if len(candidates) == 1 else None)
        )
        if chosen is None or chosen not in candidates:
            raise ValidationError(
                {"respondent_id": _("Choose one of the candidates.")}, code="invalid_candidate"
            )
        record.respondent_id = chosen
        if review.kind != ReviewKind.CONFLICT:
            record.match_kind = MatchKind.MANUAL
        enumeration_record_batch(
            actor=actor, updates=[census_outcome(record)], source=EnumerationSource.CENSUS_DB
        )
        record.state = RecordState.APPLIED
        review.state, review.chosen_id = ReviewState.ACCEPTED, chosen
    else:
        record.state = RecordState.REJECTED
        review.state = ReviewState.REJECTED
    record.save(update_fields=["respondent", "match_kind", "state", "updated_at"])
    review.note = note.strip()[:500]
    review.resolved_by, review.resolved_at = actor, clock.now()
    review.save(update_fields=["state", "chosen", "note", "resolved_by", "resolved_at"])
    reconciliation_refresh(
        campaign=record.campaign,
        institution_ids={
            i
            for i in (
                record.institution_id,
                *review.candidates.values_list(
                    "respondent__respondent_list__institution_id", flat=True
                ),
            )
            if i is not None
        },
    )
    audit_record(
        request_or_actor=actor,
        action=AuditAction.CHANGE,
        obj=review,
        institution=record.institution_id,
        extra={"decision": review.state, "kind": review.kind},
    )
    return review
