"""Validate rows in batches, stage them, and write them to a list as they come: all or nothing.

Rows are checked one by one with ``validation.validate_row`` (no database access). Each
batch is copied, with its ``duplicate_keys``, into a temporary table (PostgreSQL's COPY,
or plain inserts on SQLite, the embedded default) and, while no error has been found, one
``INSERT ... SELECT`` writes it to the list, leaving out the rows whose key is already on
the list (so the same file uploaded twice adds nothing). On PostgreSQL a thread does this
while the next batch is checked, so the rules in Python and the writes in the database
overlap. Repeats inside the file are found at the end by one GROUP BY over the staged keys
and worded by ``validation.duplicate_error``, so the memory used does not grow with the row
count. Errors are staged too and read back in row order for the report. Into a list
without rows (or *replace*), clean batches are COPYed straight into the list instead
(``rows_load``: the list's unique indexes stand for repeated IINs and references, and a
file that meets one is read again the careful way).

Callers run ``rows_load`` inside a transaction holding the list's row lock and roll back
when it reports errors: the rows written before an error was found (a repeat is only known
at the end) go with the transaction.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import operator
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import ngettext

from census_coord import clock
from census_coord.db import constraints_immediate
from respondents import row_schema
from respondents.importing.vocabulary import COLUMN_NEEDED_BY
from respondents.models import ImportMode, Respondent, RespondentList
from respondents.validation import (
    RowError,
    duplicate_error,
    duplicate_keys,
    duplicate_reference_error,
    reference_on_list_error,
    search_text,
    validate_row,
)

BATCH_ROWS = 5000
PREVIEW_ERRORS = 100
KEY_SEPARATOR = "\x1f"

STAGE = "respondent_import_stage"
BATCH = "respondent_import_batch"
EXISTING = "respondent_import_existing"
ERRORS = "respondent_import_errors"

# The row's fields (``respondents.row_schema``) as stored, and the search text.
VALUE_COLUMNS = (*row_schema.FIELD_NAMES, "search_text")
DATE_COLUMNS = frozenset(row_schema.DATE_FIELDS)
# A staged row: its number, its duplicate key, its external reference (repeats of either
# are found set-wise at the end), then the values.
KEY_COLUMNS = ("row_number", "dup_key", "external_ref")
BATCH_COLUMNS = ("row_number", "dup_key", *VALUE_COLUMNS)
_REF_INDEX = BATCH_COLUMNS.index("external_ref")
_IIN_INDEX = BATCH_COLUMNS.index("iin")
_ROW_VALUES = operator.itemgetter(*row_schema.FIELD_NAMES)
ERROR_COLUMNS = ("seq", "row_number", "field", "code", "message")
# A row copied straight into the list: its values, then what every row of the import has.
DIRECT_COLUMNS = (
    *VALUE_COLUMNS,
    "respondent_list_id",
    "departure_reason",
    "created_at",
    "updated_at",
)
_NOT_TEXT = frozenset({"row_number", "respondent_list_id", "created_at", "updated_at"})
UNIQUE_VIOLATION = "23505"


@dataclass
class Outcome:
    """What an import did, or would have done: counts and the first errors."""

    rows_total: int = 0
    rows_added: int = 0
    rows_skipped: int = 0
    rows_removed: int = 0
    error_count: int = 0
    errors_preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0


def key_text(key: tuple[str, ...]) -> str:
    return KEY_SEPARATOR.join(key)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class ReadAgain(Exception):
    """The rows copied straight into the list cannot stand: ``rows_load`` rolls them back
    and reads the file again. ``refused``: the file is refused whatever else it holds (a
    row error came after copied batches), so the second reading only stages keys."""

    def __init__(self, *, refused: bool) -> None:
        super().__init__()
        self.refused = refused


def _copy_payload(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as COPY's CSV (a date as it is: ISO); built by the validating thread, so that
    the staging thread only waits for the server."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _copy_sql(table: str, columns: Sequence[str]) -> str:
    # Text columns: an empty field is '' (not NULL); a date stays NULL.
    not_null = ", ".join(c for c in columns if c not in DATE_COLUMNS and c not in _NOT_TEXT)
    return (
        f"COPY {table} ({', '.join(columns)}) FROM STDIN "
        f"WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
    )


class _CopyWriter(threading.Thread):
    """Runs the staging statements in order while the caller validates the next batches.

    The Python row rules and PostgreSQL's COPY and INSERT used to take turns; psycopg2
    releases the GIL while the server works, so with a thread they overlap (on two cores,
    up to the longer of the two instead of their sum). Only this thread uses the
    connection while it holds work; the queue is short, so memory stays a few batches.
    """

    def __init__(self) -> None:
        super().__init__(name="import-copy", daemon=True)
        self.work: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        while (step := self.work.get()) is not None:
            if self.error is None:
                try:
                    step()
                except BaseException as exc:  # handed to the caller's thread below
                    self.error = exc
            self.work.task_done()

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error


class Staging:
    """The temporary tables of one import, on the current connection and transaction."""

    def __init__(self) -> None:
        self.cursor = connection.cursor()
        self.error_seq = 0
        self.rows_written = 0
        # Whether a row already on the list has an external reference (staged for append).
        self.existing_references = False
        # Rows on the list when the import began (append), and whether clean batches are
        # copied straight into it (``rows_load``).
        self.existing_rows = 0
        self.direct = False
        # Whether a copied batch left the keys of its rows with an IIN unstaged; the keys
        # of copied rows without one, gathered for fewer statements.
        self.keys_left_out = False
        self.keys_pending: list[tuple[Any, ...]] = []
        self.writer: _CopyWriter | None = None

    @contextlib.contextmanager
    def copying_in_background(self) -> Iterator[None]:
        """Within the block, staging statements are run by a thread (PostgreSQL only); on
        leaving it every one has run, or the first error is raised."""
        if not _is_postgresql():
            yield
            return
        self.writer = writer = _CopyWriter()
        writer.start()
        try:
            yield
        finally:
            self.writer = None
            writer.work.put(None)
            writer.join()
        writer.raise_error()

    @contextlib.contextmanager
    def in_this_thread(self) -> Iterator[None]:
        """Within the block the caller may use the connection itself (the ORM): the thread,
        if any, has run everything handed to it and is given nothing more."""
        writer = self.writer
        if writer is None:
            yield
            return
        writer.work.join()
        writer.raise_error()
        self.writer = None
        try:
            yield
        finally:
            self.writer = writer

    def _run(self, step: Callable[..., None], *args: Any) -> None:
        if self.writer is None:
            step(*args)
            return
        self.writer.raise_error()
        self.writer.work.put(functools.partial(step, *args))

    def create(self) -> None:
        self.error_seq = self.rows_written = self.existing_rows = 0
        self.existing_references = self.direct = self.keys_left_out = False
        self.keys_pending = []
        text = "text NOT NULL DEFAULT ''"
        on_commit = " ON COMMIT DROP" if _is_postgresql() else ""
        keys = f"row_number integer NOT NULL, dup_key {text}"
        values = ", ".join(
            f"{name} date" if name in DATE_COLUMNS else f"{name} {text}" for name in VALUE_COLUMNS
        )
        for table, columns in (
            (STAGE, f"{keys}, external_ref {text}"),
            (BATCH, f"{keys}, {values}"),
            (EXISTING, f"dup_key {text}, external_ref {text}"),
            (
                ERRORS,
                f"seq integer NOT NULL, row_number integer, field {text}, code {text}, "
                f"message {text}",
            ),
        ):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")
            self.cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns}){on_commit}")
        if _is_postgresql():
            # Grouping a million staged keys in the default 4 MB of work memory spills to
            # disk; SET LOCAL raises it for this transaction only.
            self.cursor.execute("SET LOCAL work_mem = '256MB'")

    def drop(self) -> None:
        for table in (STAGE, BATCH, EXISTING, ERRORS):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def copy(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._run(self._copy_now, table, columns, rows)

    def execute(self, sql: str) -> None:
        self._run(self.cursor.execute, sql)

    def stage(self, rows: Sequence[Sequence[Any]], *, respondent_list_id: int | None) -> None:
        """Stage the keys of a batch (``BATCH_COLUMNS``) and, given the list, write the rows
        whose key is not on it yet (``rows_written`` counts them)."""
        if not rows:
            return
        if respondent_list_id is None:
            self.keys_flush()
            self.copy(STAGE, KEY_COLUMNS, [(row[0], row[1], row[_REF_INDEX]) for row in rows])
        elif self.direct:
            now = clock.wall_now().isoformat()
            tail = (respondent_list_id, "", now, now)
            # The list's unique indexes refuse a repeated IIN or reference among the copied
            # rows; only the keys no index knows (names and birth date) are staged.
            pending = self.keys_pending
            pending.extend((row[0], row[1], row[_REF_INDEX]) for row in rows if not row[_IIN_INDEX])
            self.keys_left_out = self.keys_left_out or len(pending) < len(rows)
            keys = ""
            if len(pending) >= BATCH_ROWS:
                keys, self.keys_pending = _copy_payload(pending), []
            self._run(
                self._copy_direct, _copy_payload((*row[2:], *tail) for row in rows), keys, len(rows)
            )
        else:
            self._run(self._write_now, rows, respondent_list_id)

    def keys_flush(self) -> None:
        """Stage the keys gathered from copied batches (before any other keys, and at the end)."""
        pending, self.keys_pending = self.keys_pending, []
        self.copy(STAGE, KEY_COLUMNS, pending)

    def _copy_direct(self, values: str, keys: str, count: int) -> None:
        """COPY a clean batch straight into the list (no staged copy of its values, no
        ``INSERT ... SELECT``), then the keys of its rows without an IIN. Only for a list
        that held no row when the import began (or was emptied by *replace*): no row of
        the file can be on it already. A repeat inside the file that the list's unique
        indexes refuse stops the COPY and raises ``ReadAgain``."""
        try:
            self._copy_text(Respondent._meta.db_table, DIRECT_COLUMNS, values)
        except Exception as exc:
            if getattr(exc, "pgcode", None) == UNIQUE_VIOLATION:
                raise ReadAgain(refused=False) from None  # the error quotes the row's values
            raise
        if keys:
            self._copy_text(STAGE, KEY_COLUMNS, keys)
        self.rows_written += count

    def _copy_text(self, table: str, columns: Sequence[str], text: str) -> None:
        # One read of the whole payload: each read of a file-like object takes the GIL.
        self.cursor.copy_expert(_copy_sql(table, columns), io.StringIO(text), size=len(text) + 1)

    def _write_now(self, rows: Sequence[Sequence[Any]], respondent_list_id: int) -> None:
        # TRUNCATE, not DELETE: a temporary table is never vacuumed, and the dead rows
        # of every earlier batch would be scanned again.
        self.cursor.execute(f"{'TRUNCATE' if _is_postgresql() else 'DELETE FROM'} {BATCH}")
        self._copy_now(BATCH, BATCH_COLUMNS, rows)
        keys = ", ".join(KEY_COLUMNS)
        self.cursor.execute(f"INSERT INTO {STAGE} ({keys}) SELECT {keys} FROM {BATCH}")  # noqa: S608
        columns = ", ".join(VALUE_COLUMNS)
        selected = ", ".join(f"b.{name}" for name in VALUE_COLUMNS)
        now = clock.wall_now()
        # A repeat of an earlier row's IIN (or of an external reference the list or an
        # earlier row has) meets the list's unique index: it is left out here (ON
        # CONFLICT) and refused as a repeat once the batches are staged.
        self.cursor.execute(
            f"INSERT INTO {Respondent._meta.db_table} (respondent_list_id, {columns}, "  # noqa: S608
            f"departure_reason, created_at, updated_at) SELECT %s, {selected}, '', %s, %s "
            f"FROM {BATCH} b WHERE NOT EXISTS "
            f"(SELECT 1 FROM {EXISTING} e WHERE e.dup_key = b.dup_key) "
            "ORDER BY b.row_number ON CONFLICT DO NOTHING",
            [respondent_list_id, now, now],
        )
        self.rows_written += self.cursor.rowcount

    def _copy_now(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if _is_postgresql():
            self._copy_text(table, columns, _copy_payload(rows))
        else:
            marks = ", ".join(["%s"] * len(columns))
            self.cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                rows,
            )

    def add_errors(self, errors: Iterable[RowError]) -> None:
        rows = []
        for error in errors:
            self.error_seq += 1
            rows.append((self.error_seq, error.row, error.field, error.code, error.message))
        self.copy(ERRORS, ERROR_COLUMNS, rows)

    def errors(self) -> Iterator[RowError]:
        """Every staged error in row order (errors of the file as a whole first)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT row_number, field, code, message FROM {ERRORS} "  # noqa: S608
                "ORDER BY row_number NULLS FIRST, seq"
                if _is_postgresql()
                else f"SELECT row_number, field, code, message FROM {ERRORS} "  # noqa: S608
                "ORDER BY row_number IS NOT NULL, row_number, seq"
            )
            while chunk := cursor.fetchmany(BATCH_ROWS):
                for row, field_name, code, message in chunk:
                    yield RowError(field=field_name, code=code, message=message, row=row)

    def repeated_rows(self) -> Iterator[tuple[int, str, int]]:
        """(row, key, first row) of every staged row whose key an earlier row holds."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.row_number, s.dup_key, f.first_row FROM {STAGE} s "  # noqa: S608
                f"JOIN (SELECT dup_key, MIN(row_number) AS first_row FROM {STAGE} "
                "WHERE dup_key <> '' GROUP BY dup_key HAVING COUNT(*) > 1) f "
                "ON f.dup_key = s.dup_key WHERE s.row_number > f.first_row "
                "ORDER BY s.row_number"
            )
            while chunk := cursor.fetchmany(BATCH_ROWS):
                yield from chunk

    def repeated_references(self) -> Iterator[tuple[int, int]]:
        """(row, first row) of every staged row whose external reference an earlier row has."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.row_number, f.first_row FROM {STAGE} s "  # noqa: S608
                f"JOIN (SELECT external_ref, MIN(row_number) AS first_row FROM {STAGE} "
                "WHERE external_ref <> '' GROUP BY external_ref HAVING COUNT(*) > 1) f "
                "ON f.external_ref = s.external_ref WHERE s.row_number > f.first_row "
                "ORDER BY s.row_number"
            )
            while chunk := cursor.fetchmany(BATCH_ROWS):
                yield from chunk

    def references_on_list(self) -> Iterator[int]:
        """Rows, first of their reference in the file, that would be added (their person is
        not on the list) with an external reference a person on the list has."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.row_number FROM {STAGE} s WHERE s.external_ref <> '' "  # noqa: S608
                f"AND EXISTS (SELECT 1 FROM {EXISTING} e WHERE e.external_ref = s.external_ref) "
                f"AND NOT EXISTS (SELECT 1 FROM {EXISTING} e WHERE e.dup_key = s.dup_key) "
                f"AND NOT EXISTS (SELECT 1 FROM {STAGE} f WHERE f.external_ref = s.external_ref "
                "AND f.row_number < s.row_number) ORDER BY s.row_number"
            )
            while chunk := cursor.fetchmany(BATCH_ROWS):
                for (number,) in chunk:
                    yield number


def _stage_existing(staging: Staging, respondent_list: RespondentList) -> None:
    """The keys of rows already on the list, computed by the same rule as the file's."""
    rows = (
        Respondent.objects.filter(respondent_list=respondent_list)
        .order_by()
        .values("surname", "given_name", "iin", "birth_date", "external_ref")
        .iterator(chunk_size=BATCH_ROWS)
    )
    columns = ("dup_key", "external_ref")
    batch: list[tuple[str, str]] = []
    for values in rows:
        staging.existing_rows += 1
        if values["external_ref"]:
            staging.existing_references = True
        batch.extend((key_text(key), values["external_ref"]) for key in duplicate_keys(values))
        if len(batch) >= BATCH_ROWS:
            staging.copy(EXISTING, columns, batch)
            batch = []
    staging.copy(EXISTING, columns, batch)
    if _is_postgresql():
        staging.execute(f"CREATE INDEX ON {EXISTING} (dup_key)")
        staging.execute(f"CREATE INDEX ON {EXISTING} (external_ref) WHERE external_ref <> ''")


def _list_foreign_key() -> str:
    """The name of the constraint tying a row to its list (Django names it by a hash)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = %s::regclass AND confrelid = %s::regclass",
            [Respondent._meta.db_table, RespondentList._meta.db_table],
        )
        return cursor.fetchone()[0]


@contextlib.contextmanager
def _list_checked_per_batch() -> Iterator[None]:
    """Within the block each written row's list is checked with its batch (PostgreSQL):
    immediately (``constraints_immediate``), so that the checks run on the staging thread
    while the next batch is validated instead of all at commit."""
    if not _is_postgresql():
        yield
        return
    with constraints_immediate(_list_foreign_key()):
        yield


def _list_prepare(staging: Staging, respondent_list: RespondentList, mode: str) -> int:
    """Before the first row is written: empty the list (replace; return how many rows it
    had) or stage the keys of its rows (append)."""
    with staging.in_this_thread():
        if mode == ImportMode.REPLACE:
            _total, deleted = Respondent.objects.filter(respondent_list=respondent_list).delete()
            return deleted.get(Respondent._meta.label, 0)
        _stage_existing(staging, respondent_list)
        return 0


def _staged_row(number: int, values: Mapping[str, Any]) -> tuple[Any, ...]:
    """``BATCH_COLUMNS`` of a checked row (a date as it is: COPY and SQLite write it ISO)."""
    keys = duplicate_keys(values)
    return (
        number,
        key_text(keys[0]) if keys else "",
        *_ROW_VALUES(values),
        search_text(values),
    )


# Column labels of a file: field -> (the file's own header, its Excel column letter).
ColumnLabels = Mapping[str, tuple[str, str]]


def error_item(error: RowError, labels: ColumnLabels | None) -> dict[str, Any]:
    """An error as shown and reported: its field, and the column as the file names it."""
    item = error.as_dict()
    item["column"], item["letter"] = (labels or {}).get(error.field, ("", ""))
    return item


class ErrorList:
    """Errors of an import: counted, the first kept for display, all staged for the report."""

    def __init__(self, staging: Staging, labels: ColumnLabels | None = None) -> None:
        self.staging = staging
        self.labels = labels
        self.count = 0
        self.preview: list[dict[str, Any]] = []

    def add(self, errors: Sequence[RowError]) -> None:
        if not errors:
            return
        self.count += len(errors)
        room = PREVIEW_ERRORS - len(self.preview)
        if room > 0:
            self.preview.extend(error_item(error, self.labels) for error in errors[:room])
        self.staging.add_errors(errors)


def _column_missing_error(name: str, rows: list[int], count: int, header: str) -> RowError:
    """One error for the file instead of one per person: a column some rows need is absent."""
    first = ", ".join(str(row) for row in rows)
    if name == "iin":
        message = ngettext(
            "The file has no column “%(column)s”: %(count)d citizen of Kazakhstan needs their "
            "IIN (or the reason there is none). Add the column; first rows: %(rows)s.",
            "The file has no column “%(column)s”: %(count)d citizens of Kazakhstan need their "
            "IIN (or the reason there is none). Add the column; first rows: %(rows)s.",
            count,
        )
    else:
        message = ngettext(
            "The file has no column “%(column)s”: %(count)d foreign citizen needs their "
            "country of citizenship. Add the column; first rows: %(rows)s.",
            "The file has no column “%(column)s”: %(count)d foreign citizens need their "
            "country of citizenship. Add the column; first rows: %(rows)s.",
            count,
        )
    return RowError(
        field=name,
        code="column_missing",
        message=message % {"column": header, "count": count, "rows": first},
    )


def _column_name(name: str, labels: ColumnLabels | None, header_name: Callable[[str], str]) -> str:
    """A column as the user knows it: the file's own header, else ``header_name``'s."""
    header = (labels or {}).get(name, ("", ""))[0]
    return header or header_name(name)


def _reference_repeats(staging: Staging, errors: ErrorList, *, column: str) -> None:
    """An external reference names one person in the list: a repeat inside the file, or
    a reference another person on the list has, is a row error naming ``column``."""
    found: list[RowError] = []
    for number, first in staging.repeated_references():
        found.append(duplicate_reference_error(number=number, other=first, column=column))
        if len(found) >= BATCH_ROWS:
            errors.add(found)
            found = []
    for number in staging.references_on_list() if staging.existing_references else ():
        found.append(reference_on_list_error(number=number, column=column))
        if len(found) >= BATCH_ROWS:
            errors.add(found)
            found = []
    errors.add(found)


Rows = Iterable[tuple[int, Mapping[str, Any]]]


def rows_load(
    *,
    staging: Staging,
    respondent_list: RespondentList,
    rows: Rows,
    mode: str,
    progress: Callable[[int], None] | None = None,
    labels: ColumnLabels | None = None,
    absent: frozenset[str] = frozenset(),
    header_name: Callable[[str], str] = str,
    rows_again: Callable[[], Rows] | None = None,
) -> tuple[Outcome, ErrorList]:
    """Validate and stage ``rows`` (file row number, raw values); write them while all valid.

    The caller holds the list's lock inside a transaction, and rolls back when the outcome
    has errors (what was written goes with it; the staged errors can still be read first).
    ``labels`` name the file's columns in errors; a column in ``absent`` that rows need
    (``COLUMN_NEEDED_BY``) is reported once, by ``header_name``, not once per row.

    Given ``rows_again`` (the same rows from the start) and a list that holds no rows
    (or *replace*), clean batches are copied straight into the list (PostgreSQL), and
    only the keys of rows without an IIN are staged: the list's unique indexes stand for
    the rest. COPY cannot leave a row out as ``INSERT ... ON CONFLICT DO NOTHING`` does:
    when a repeated IIN or external reference of the file meets such an index, everything
    this call did is rolled back (a savepoint: one, not one per batch) and the rows are
    read again and written by ``INSERT ... SELECT``, as without ``rows_again``. A row
    error after copied batches rolls back the same way, and the second reading, of a
    file refused anyway, stages every key and writes nothing. Such files are refused
    with the same errors either way; only their refusal takes longer.
    """
    load = functools.partial(
        _rows_load,
        staging=staging,
        respondent_list=respondent_list,
        mode=mode,
        labels=labels,
        absent=absent,
        header_name=header_name,
    )
    if rows_again is None or not _is_postgresql():
        return load(rows=rows, progress=progress, direct=False)
    reached = 0

    def progress_kept(count: int) -> None:
        # The second reading does not move the bar back.
        nonlocal reached
        reached = max(reached, count)
        if progress is not None:
            progress(reached)

    try:
        with transaction.atomic():
            return load(rows=rows, progress=progress_kept, direct=True)
    except ReadAgain as again:
        return load(rows=rows_again(), progress=progress_kept, direct=False, refused=again.refused)


def _rows_load(
    *,
    staging: Staging,
    respondent_list: RespondentList,
    rows: Rows,
    mode: str,
    progress: Callable[[int], None] | None,
    labels: ColumnLabels | None,
    absent: frozenset[str],
    header_name: Callable[[str], str],
    direct: bool,
    refused: bool = False,
) -> tuple[Outcome, ErrorList]:
    staging.create()
    errors = ErrorList(staging, labels)
    needed = {name: code for name, code in COLUMN_NEEDED_BY.items() if name in absent}
    needing: dict[str, list[int]] = {name: [] for name in needed}
    needing_count = dict.fromkeys(needed, 0)
    outcome = Outcome()
    reference_date = respondent_list.campaign.list_reference_date
    batch: list[tuple[Any, ...]] = []
    batch_errors: list[RowError] = []
    prepared = False
    removed = 0

    def hand_over() -> None:
        # Rows are written while none had an error; after the first one only their keys
        # are staged (for the repeats), and the transaction is rolled back in the end.
        nonlocal batch, batch_errors, prepared, removed
        clean = not (refused or errors.count or batch_errors or any(needing_count.values()))
        if not clean and staging.keys_left_out:
            # The keys of the rows copied so far are not all staged: read the file again.
            raise ReadAgain(refused=True)
        # Appending, the list's keys are staged even after an error, so that every
        # reference another person on the list has is reported with the rest.
        if batch and not prepared and (clean or mode != ImportMode.REPLACE):
            removed = _list_prepare(staging, respondent_list, mode)
            prepared = True
            staging.direct = direct and (mode == ImportMode.REPLACE or not staging.existing_rows)
        staging.stage(batch, respondent_list_id=respondent_list.pk if clean else None)
        errors.add(batch_errors)
        batch, batch_errors = [], []

    with _list_checked_per_batch(), staging.copying_in_background():
        for number, raw in rows:
            result = validate_row(raw, reference_date=reference_date, row_number=number)
            outcome.rows_total += 1
            if result.errors:
                if needed:
                    kept = []
                    for error in result.errors:
                        if needed.get(error.field) == error.code:
                            needing_count[error.field] += 1
                            if len(needing[error.field]) < 5:
                                needing[error.field].append(number)
                        else:
                            kept.append(error)
                    batch_errors.extend(kept)
                else:
                    batch_errors.extend(result.errors)
            batch.append(_staged_row(number, result.values))
            if len(batch) >= BATCH_ROWS:
                hand_over()
                if progress is not None:
                    progress(outcome.rows_total)
        hand_over()
        staging.keys_flush()
        errors.add(
            [
                _column_missing_error(name, rows, needing_count[name], header_name(name))
                for name, rows in needing.items()
                if rows
            ]
        )
    repeats: list[RowError] = []
    for number, key, first in staging.repeated_rows():
        repeats.append(duplicate_error(tuple(key.split(KEY_SEPARATOR)), number=number, other=first))
        if len(repeats) >= BATCH_ROWS:
            errors.add(repeats)
            repeats = []
    errors.add(repeats)
    if "external_ref" not in absent:
        _reference_repeats(
            staging, errors, column=_column_name("external_ref", labels, header_name)
        )
    outcome.error_count = errors.count
    outcome.errors_preview = sorted(errors.preview, key=lambda item: item["row"] or 0)
    if outcome.is_valid:
        outcome.rows_removed = removed
        outcome.rows_added = staging.rows_written
        outcome.rows_skipped = outcome.rows_total - outcome.rows_added
    return outcome, errors
