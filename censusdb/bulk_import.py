"""The census-database import on PostgreSQL: the file at COPY speed, the rules in SQL.

``censusdb.services`` runs an export through here when the database is PostgreSQL (the
SQLite path of ``make run`` stays row by row there). Every step is one set-based statement
over temporary tables, whatever the number of rows, and each record is written once:

1. **read**: a CSV file goes straight into a table of text columns with ``COPY`` (its
   encoding, separator and header found by the list import's reader first); a workbook,
   or a CSV that ``COPY`` cannot take as it is (ragged or blank lines, UTF-16), streams
   its rows through the same reader into the same table;
2. **check**: the row checks as SQL over that table, giving the same row errors as
   ``services._clean_row``; the few spellings of dates, moments, methods and sexes are
   read by the Python rules themselves (one row per distinct spelling), the name keys
   and the IIN check digit by SQL generated from the Python tables
   (``respondents.matching.sql_*``, ``census_coord.kz_ids.check_digit_valid_sql``);
3. **classify**: the last line of each form, joined with the stored records: new,
   changed, unchanged (unchanged rows go no further);
4. **match and decide** on the staged rows: candidates tier after tier, each form's
   person, then the officer's record of that person (write, confirm, conflict), the
   writes through ``enumeration_record_bulk`` (its refusals to review);
5. **store**: one upsert of the records with their final state and person, then the
   review queue and its candidates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import psycopg2
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from census_coord import clock
from census_coord.db import constraints_immediate
from census_coord.kz_ids import check_digit_valid_sql
from census_coord.uploads import CSV
from censusdb import columns, rules
from censusdb.models import (
    CensusCandidate,
    CensusExport,
    CensusMethod,
    CensusRecord,
    CensusReview,
    ReviewKind,
    ReviewState,
)
from enumeration.choices import EnumerationMethod, EnumerationSource, EnumerationStatus
from enumeration.models import Enumeration
from enumeration.services import (
    REGISTRATION_NUMBER,
    enumeration_bulk_table,
    enumeration_record_bulk,
    method_window,
)
from institutions.models import Institution
from respondents import matching
from respondents.importing import readers
from respondents.importing.vocabulary import choice_value
from respondents.matching import MatchKind, MatchScope
from respondents.models import Respondent, RespondentNameKey
from respondents.validation import parse_date

RAW = "census_export_raw"
ROWS = "census_export_rows"
WORK = "census_export_work"
CANDIDATES = "census_export_candidates"
PEOPLE = "census_export_people"
MATCHES = "census_export_matches"
DECIDE = "census_export_decide"
APPLY = "census_export_apply"
QUEUE = "census_export_queue"
LISTED_COLUMNS = (
    "(respondent_id, surname, given_name, birth_date, institution_id, region_id, updated_at)"
)
LOOKUPS = ("birth_date", "completed_at", "method", "sex")
WORK_MEM = "128MB"  # the sorts and hashes of a million rows stay in memory
COPY_BATCH = 5000
_WS = matching.sql_text(matching.WHITESPACE)
_DIGITS12 = "'^[0-9]{12}$'"
_PADDABLE = "'^[0-9]{1,11}$'"
_CODEC = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "cp1251": "WIN1251"}
# The checks, in the order ``_clean_row`` reports them: (flag, field, message).
_CHECKS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("bad_form", "form_number",
     lambda: _("Use only Latin letters, digits and hyphens (up to 32).")),
    ("bad_iin", "iin", lambda: _("The IIN is not a valid 12-digit number.")),
    ("bad_name", "surname", lambda: _("Enter the surname and the given name.")),
    ("bad_birth", "birth_date", lambda: _("Enter the birth date as DD.MM.YYYY.")),
    ("bad_method", "method", lambda: _("Give the method: online or tablet.")),
    (
        "bad_completed",
        "completed_at",
        lambda: _("Enter when the form was completed (DD.MM.YYYY HH:MM)."),
    ),
    ("bad_bin", "bin", lambda: _("The BIN is not a 12-digit number.")),
)  # fmt: skip


def _t(model: Any) -> str:
    return str(model._meta.db_table)


def _execute(sql: str, params: Any = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def _table(name: str, sql: str, params: Any = None, *, analyse: bool = True) -> None:
    """A temporary table afresh from ``sql`` (a SELECT), analysed for the joins after it."""
    _execute(f"DROP TABLE IF EXISTS {name}")
    _execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
    if analyse:
        _execute(f"ANALYZE {name}")


def run(
    export: CensusExport,
    *,
    counts: Any,
    errors: list[dict[str, Any]],
    heartbeat: Any,
    timings: dict[str, float],
) -> None:
    """Import ``export`` (inside the caller's transaction); fills ``counts``, ``errors``."""
    _execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
    # The foreign keys checked by each statement, not millions of them queued for the
    # commit: every statement here writes parents before their children.
    with constraints_immediate():
        _run(export, counts=counts, errors=errors, heartbeat=heartbeat, timings=timings)


def _run(
    export: CensusExport,
    *,
    counts: Any,
    errors: list[dict[str, Any]],
    heartbeat: Any,
    timings: dict[str, float],
) -> None:
    for statement in matching.sql_functions():
        _execute(statement)
    started = time.monotonic()
    source = _read(export)
    heartbeat.beat()
    timings["read"] = time.monotonic() - started
    started = time.monotonic()
    _check(source, counts=counts, errors=errors)
    heartbeat(counts.processed)
    timings["checked"] = time.monotonic() - started
    started = time.monotonic()
    _classify(export, counts=counts)
    timings["classified"] = time.monotonic() - started
    started = time.monotonic()
    _candidates(export)
    _matches(export)
    heartbeat.beat()
    timings["matched"] = time.monotonic() - started
    started = time.monotonic()
    _decide(export)
    heartbeat.beat()
    timings["decided"] = time.monotonic() - started
    started = time.monotonic()
    _store(export)
    for name in (RAW, ROWS, WORK, CANDIDATES, PEOPLE, MATCHES, DECIDE, APPLY, QUEUE):
        _execute(f"DROP TABLE IF EXISTS {name}")
    timings["stored"] = time.monotonic() - started


# --- 1. read -------------------------------------------------------------------------------


class _Source:
    """Where the rows are: ``RAW``'s columns per field, and how a row's line is known."""

    def __init__(self, fields: dict[str, str], line: str, content: str = "true") -> None:
        self.fields = fields  # field -> SQL of its text ('' when the file has no column)
        self.line = line
        self.content = content  # SQL: the row has any content (else it is no row)


def _read(export: CensusExport) -> _Source:
    path = Path(export.file.path)
    table = readers.open_table(path, export.file_name, columns.LAYOUT)
    if table.kind == CSV and table.encoding in _CODEC:
        table.rows.close()  # type: ignore[attr-defined]  # a generator: closes the file
        try:
            with transaction.atomic():
                source = _copy_csv(path, table)
        except (DatabaseError, psycopg2.Error):  # COPY through the driver: its own errors
            source = None  # not a plain CSV for COPY (ragged rows, blank lines): by rows
        if source is not None:
            return source
        table = readers.open_table(path, export.file_name, columns.LAYOUT)
    return _copy_rows(table)


def _past_header(handle: IO[bytes], table: readers.Table) -> bool:
    """Put ``handle`` on the first line after the header; False when the lines up to the
    header do not read back as the reader's header (a header over several lines)."""
    if table.encoding == "utf-8-sig":
        handle.read(3)
    prefix = b"".join(handle.readline() for _line in range(table.header_line))
    if not prefix.endswith(b"\n"):
        return False
    text = prefix.decode(table.encoding.replace("-sig", ""), errors="replace")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=table.delimiter) if row]
    return bool(rows) and rows[-1] == table.header_cells


def _copy_csv(path: Path, table: readers.Table) -> _Source | None:
    width = len(table.header_cells)
    names = [f"c{index}" for index in range(width)]
    _execute(f"DROP TABLE IF EXISTS {RAW}")
    _execute(
        f"CREATE TEMPORARY TABLE {RAW} (line integer, n integer GENERATED ALWAYS AS IDENTITY, "
        + ", ".join(f"{name} text" for name in names)
        + ")"
    )
    delimiter = {"\t": "E'\\t'"}.get(table.delimiter, f"'{table.delimiter}'")
    with path.open("rb") as raw:
        if not _past_header(raw, table):
            return None
        handle = _Counting(raw)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {RAW} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, "
                f"DELIMITER {delimiter}, ENCODING '{_CODEC[table.encoding]}')",
                handle,
                size=1024 * 1024,
            )
            rows = cursor.cursor.rowcount
    header = int(table.header_line)
    # As many line breaks as rows: no quoted cell spans lines, row n is on line header + n.
    if handle.newlines + (handle.last not in (b"", b"\n")) != rows:
        breaks = " + ".join(
            f"COALESCE(length({name}) - length(replace({name}, E'\\n', '')), 0)" for name in names
        )
        _execute(
            f"UPDATE {RAW} r SET line = x.line FROM (SELECT n, {header} + n + COALESCE(SUM("  # noqa: S608
            f"{breaks}) OVER (ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
            f"AS line FROM {RAW}) x WHERE r.n = x.n"
        )
    fields = dict.fromkeys(columns.FIELDS, "''")
    for index, name in table.columns.items():
        fields[name] = f"COALESCE(c{index}, '')"
    content = f"btrim(concat({', '.join(names)}), {_WS}) <> ''"
    return _Source(fields, line=f"COALESCE(line, {header} + n)", content=content)


class _Counting:
    """A file as COPY reads it, counting its line breaks on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.newlines, self.last = handle, 0, b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        if chunk:
            self.newlines += chunk.count(b"\n")
            self.last = chunk[-1:]
        return chunk

    def readline(self, size: int = -1) -> bytes:  # psycopg2 asks for read() only
        return self.read(size)


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and name == "birth_date":
        return value.date().isoformat()
    if isinstance(value, dt.date):  # dates and moments as ISO, read back exactly
        return value.isoformat()
    return str(value)


def _copy_rows(table: readers.Table) -> _Source:
    names = [f"c{index}" for index in range(len(columns.FIELDS))]
    _execute(f"DROP TABLE IF EXISTS {RAW}")
    _execute(
        f"CREATE TEMPORARY TABLE {RAW} (line integer, "
        + ", ".join(f"{name} text" for name in names)
        + ")"
    )
    copy = f"COPY {RAW} (line, {', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"

    def batches() -> Iterator[io.StringIO]:
        buffer, writer, size = io.StringIO(), None, 0
        writer = csv.writer(buffer)
        for line, values, _cells in table.rows:
            writer.writerow([line, *(_cell(name, values[name]) for name in columns.FIELDS)])
            size += 1
            if size >= COPY_BATCH:
                buffer.seek(0)
                yield buffer
                buffer, size = io.StringIO(), 0
                writer = csv.writer(buffer)
        buffer.seek(0)
        yield buffer

    with connection.cursor() as cursor:
        for buffer in batches():
            cursor.cursor.copy_expert(copy, buffer)
    return _Source(
        {
            name: f"COALESCE({column}, '')"
            for name, column in zip(columns.FIELDS, names, strict=True)
        },
        line="line",
    )


# --- 2. check ------------------------------------------------------------------------------


def _lookups(source: _Source) -> None:
    """One small table per field whose distinct spellings the Python rules read."""
    readers_of: dict[str, Callable[[str], tuple[Any, ...]]] = {
        "birth_date": lambda text: _date_row(parse_date(text)),
        "completed_at": lambda text: _moment_row(rules._completed_at(text)),
        "method": lambda text: (rules._METHODS.get(text.casefold()),),
        "sex": lambda text: (choice_value("sex", text) or "",),
    }
    types = {
        "birth_date": "value date, iso text",
        "completed_at": "value timestamp with time zone, iso text",
        "method": "value text",
        "sex": "value text",
    }
    for name in LOOKUPS:
        table = f"census_export_{name}"
        _execute(f"DROP TABLE IF EXISTS {table}")
        _execute(f"CREATE TEMPORARY TABLE {table} (spelling text, {types[name]})")
        spellings = _execute(
            f"SELECT DISTINCT btrim({source.fields[name]}, {_WS}) FROM {RAW}"  # noqa: S608
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for (spelling,) in spellings:
            writer.writerow(
                [spelling, *("\\N" if v is None else v for v in readers_of[name](spelling))]
            )
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
        _execute(f"ANALYZE {table}")


def _date_row(day: dt.date | None) -> tuple[Any, ...]:
    return (None, None) if day is None else (day.isoformat(), day.isoformat())


def _moment_row(moment: dt.datetime | None) -> tuple[Any, ...]:
    if moment is None:
        return (None, None)
    return (moment.isoformat(), moment.astimezone(dt.UTC).isoformat())


def _check(source: _Source, *, counts: Any, errors: list[dict[str, Any]]) -> None:
    """``ROWS``: every row's cleaned values and which of ``_clean_row``'s checks it fails."""
    _lookups(source)
    f = {name: f"btrim({sql}, {_WS})" for name, sql in source.fields.items()}
    iin, bin_ = f["iin"], f["bin"]
    # As ``_clean_row`` cuts them: to the record's column widths.
    width = {
        name: int(getattr(CensusRecord._meta.get_field(name), "max_length", 0))
        for name in ("surname", "given_name", "patronymic", "tablet_ref")
    }
    cleaned = (
        f"SELECT {source.line} AS line, {f['form_number']} AS form_number, "  # noqa: S608
        f"CASE WHEN {iin} ~ {_PADDABLE} THEN lpad({iin}, 12, '0') ELSE {iin} END AS iin, "
        f"left({f['surname']}, {width['surname']}) AS surname, "
        f"left({f['given_name']}, {width['given_name']}) AS given_name, "
        f"left({f['patronymic']}, {width['patronymic']}) AS patronymic, "
        f"{f['birth_date']} AS birth_text, "
        f"{f['sex']} AS sex_text, {f['method']} AS method_text, "
        f"{f['completed_at']} AS completed_text, "
        f"left({f['tablet']}, {width['tablet_ref']}) AS tablet_ref, "
        f"CASE WHEN {bin_} ~ {_PADDABLE} THEN lpad({bin_}, 12, '0') ELSE {bin_} END AS bin "
        f"FROM {RAW} WHERE {source.content} OFFSET 0"  # computed once, not per use
    )
    pattern = matching.sql_text(REGISTRATION_NUMBER.pattern)
    _table(
        ROWS,
        "SELECT x.line, x.form_number, x.iin, x.surname, x.given_name, x.patronymic, "  # noqa: S608
        "b.value AS birth_date, COALESCE(b.iso, '') AS birth_iso, COALESCE(s.value, '') AS sex, "
        "m.value AS method, t.value AS completed_at, t.iso AS completed_iso, x.tablet_ref, "
        f"x.bin, x.form_number !~ {pattern} AS bad_form, "
        f"x.iin <> '' AND NOT CASE WHEN x.iin ~ {_DIGITS12} THEN "
        f"{check_digit_valid_sql('x.iin')} ELSE false END AS bad_iin, "
        "(x.surname = '' OR x.given_name = '') AS bad_name, "
        "(x.birth_text <> '' AND b.value IS NULL) AS bad_birth, "
        "m.value IS NULL AS bad_method, t.value IS NULL AS bad_completed, "
        f"(x.bin <> '' AND x.bin !~ {_DIGITS12}) AS bad_bin FROM ({cleaned}) x "
        "LEFT JOIN census_export_birth_date b ON b.spelling = x.birth_text "
        "LEFT JOIN census_export_completed_at t ON t.spelling = x.completed_text "
        "LEFT JOIN census_export_method m ON m.spelling = x.method_text "
        "LEFT JOIN census_export_sex s ON s.spelling = x.sex_text",
    )
    flags = [flag for flag, _field, _message in _CHECKS]
    invalid = " OR ".join(flags)
    processed, bad = _execute(
        f"SELECT count(*), count(*) FILTER (WHERE {invalid}) FROM {ROWS}"  # noqa: S608
    )[0]
    counts.processed, counts.invalid = processed, bad
    if processed > readers.max_rows():  # a file read by COPY (the reader counts its own)
        raise readers.too_many_rows(readers.max_rows())
    if bad:
        for line, *failed in _execute(
            f"SELECT line, {', '.join(flags)} FROM {ROWS} WHERE {invalid} "  # noqa: S608
            f"ORDER BY line LIMIT {int(rules.PREVIEW_ERRORS)}"
        ):
            if len(errors) >= rules.PREVIEW_ERRORS:
                break
            errors.extend(
                rules._error(line, field, message())
                for (_flag, field, message), fails in zip(_CHECKS, failed, strict=True)
                if fails
            )
    _execute(f"DELETE FROM {ROWS} WHERE {invalid}")  # noqa: S608


# --- 3. classify ---------------------------------------------------------------------------


def _classify(export: CensusExport, *, counts: Any) -> None:
    """``WORK``: the last line of each form with its keys, institution and stored record;
    the counts of new, changed and unchanged forms; only the new and changed stay."""
    record, institution = _t(CensusRecord), _t(Institution)
    district = _t(Institution._meta.get_field("district").related_model)
    plain_s, plain_g = matching.sql_plain("d.surname"), matching.sql_plain("d.given_name")
    content = ", ".join(
        f"d.{name}"
        for name in ("form_number", "iin", "surname", "given_name", "patronymic", "birth_iso",
                     "sex", "method", "completed_iso", "tablet_ref", "bin")
    )  # fmt: skip
    empty = "k.birth_date IS NULL OR k.surname = '' OR k.given_name = ''"
    exact, variant = matching.sql_keys("k.plain_s", "k.plain_g", "k.birth_date", empty=empty)
    keys = (
        f"SELECT d.*, CASE WHEN d.iin = '' THEN {plain_s} END AS plain_s, "  # noqa: S608
        f"CASE WHEN d.iin = '' THEN {plain_g} END AS plain_g, "
        f"encode(sha256(convert_to(concat_ws(chr(31), {content}), 'UTF8')), 'hex') AS hash "
        f"FROM {ROWS} d OFFSET 0"  # each name folded once
    )
    # The same form twice in one file: the later line is the export's word.
    _execute(
        f"DELETE FROM {ROWS} r USING (SELECT form_number, max(line) AS last FROM {ROWS} "  # noqa: S608
        "GROUP BY form_number HAVING count(*) > 1) twice "
        "WHERE r.form_number = twice.form_number AND r.line < twice.last"
    )
    _table(
        WORK,
        "SELECT k.line, k.form_number, k.iin, k.surname, k.given_name, k.patronymic, "  # noqa: S608
        "k.birth_date, k.sex, k.method, k.completed_at, k.tablet_ref, k.bin, k.hash, "
        "i.id AS institution_id, ds.region_id, r.id AS record_id, r.content_hash AS old_hash, "
        f"CASE WHEN k.iin = '' THEN {exact} ELSE '' END AS exact_key, "
        f"CASE WHEN k.iin = '' THEN {variant} ELSE '' END AS variant_key FROM ({keys}) k "
        f"LEFT JOIN {institution} i ON i.bin = k.bin AND k.bin <> '' "
        f"LEFT JOIN {district} ds ON ds.id = i.district_id "
        f"LEFT JOIN {record} r ON r.campaign_id = %s AND r.form_number = k.form_number",
        [export.campaign_id],
        analyse=False,
    )  # fmt: skip
    new, updated, unchanged = _execute(
        "SELECT count(*) FILTER (WHERE record_id IS NULL), "  # noqa: S608
        "count(*) FILTER (WHERE record_id IS NOT NULL AND old_hash <> hash), "
        f"count(*) FILTER (WHERE old_hash = hash) FROM {WORK}"
    )[0]
    counts.new, counts.updated, counts.unchanged = new, updated, unchanged
    if unchanged:
        _execute(f"DELETE FROM {WORK} WHERE old_hash = hash")  # noqa: S608
    if updated:
        # A form that changed is matched again: its open review is out of date.
        reviews = (
            f"SELECT v.id FROM {_t(CensusReview)} v JOIN {WORK} w ON w.record_id = v.record_id "  # noqa: S608
            "WHERE v.state = 'open'"
        )
        _execute(f"DELETE FROM {_t(CensusCandidate)} WHERE review_id IN ({reviews})")  # noqa: S608
        _execute(f"DELETE FROM {_t(CensusReview)} WHERE id IN ({reviews})")  # noqa: S608
        _execute(f"CREATE INDEX ON {WORK} (record_id)")
    _execute(f"ANALYZE {WORK}")


# --- 4. match and decide -------------------------------------------------------------------


def _listed_sql(export: CensusExport) -> tuple[str, list[Any]]:
    people = rules.listed_people(export.campaign, "updated_at")
    sql, params = people.query.sql_with_params()
    return sql, list(params)


def _candidates(export: CensusExport) -> None:
    """``CANDIDATES``: the listed people each form may be, by the first tier with any."""
    listed, params = _listed_sql(export)
    respondent = _t(Respondent)
    _table(
        CANDIDATES,
        "SELECT w.line, p.respondent_id, 'iin'::varchar(8) AS kind, "  # noqa: S608
        "(CASE WHEN p.institution_id = w.institution_id THEN 'institution' ELSE 'region' "
        "END)::varchar(12) AS scope "
        f"FROM {WORK} w JOIN {respondent} x ON x.iin = w.iin "
        f"JOIN ({listed}) p {LISTED_COLUMNS} ON p.respondent_id = x.id WHERE w.iin <> ''",
        params,
        analyse=False,
    )
    _execute(f"CREATE INDEX ON {CANDIDATES} (line)")
    _execute(f"ANALYZE {CANDIDATES}")
    if not _execute(f"SELECT 1 FROM {WORK} WHERE exact_key <> '' LIMIT 1"):  # noqa: S608
        return
    # The keys the duplicate check stored (``RespondentNameKey``, Python's, computed when
    # the list was submitted) where they are fresh; the others computed here, in SQL. Only
    # people born on a day some form without IIN names, and whose keys any form has.
    name_key = _t(RespondentNameKey)
    empty = (
        f"p.birth_date IS NULL OR btrim(p.surname, {_WS}) = '' OR btrim(p.given_name, {_WS}) = ''"
    )
    exact, variant = matching.sql_keys(
        matching.sql_plain("p.surname"),
        matching.sql_plain("p.given_name"),
        "p.birth_date",
        empty=empty,
    )  # computed only where no fresh key is stored (CASE evaluates lazily)
    _table(
        PEOPLE,
        "SELECT * FROM (SELECT p.respondent_id, p.institution_id, p.region_id, "  # noqa: S608
        f"CASE WHEN k.respondent_id IS NULL THEN {exact} ELSE k.exact_key END AS exact_key, "
        f"CASE WHEN k.respondent_id IS NULL THEN {variant} ELSE k.variant_key END "
        f"AS variant_key FROM ({listed}) p {LISTED_COLUMNS} LEFT JOIN {name_key} k "
        "ON k.respondent_id = p.respondent_id AND k.computed_at >= p.updated_at "
        f"WHERE p.birth_date IN (SELECT birth_date FROM {WORK} WHERE exact_key <> '') "
        f"OFFSET 0) people WHERE exact_key IN (SELECT exact_key FROM {WORK} "
        f"WHERE exact_key <> '') OR variant_key IN (SELECT variant_key FROM {WORK} "
        "WHERE variant_key <> '')",
        params,
        analyse=False,
    )  # fmt: skip
    _execute(f"CREATE INDEX ON {PEOPLE} (exact_key)")
    _execute(f"CREATE INDEX ON {PEOPLE} (variant_key)")
    _execute(f"ANALYZE {PEOPLE}")
    for kind, scope in matching.TIERS:
        key = f"{kind}_key"
        where = (
            "k.institution_id = w.institution_id"
            if scope == MatchScope.INSTITUTION
            else "(w.region_id IS NULL OR k.region_id = w.region_id)"
        )
        _execute(
            f"INSERT INTO {CANDIDATES} SELECT w.line, k.respondent_id, %s, %s "  # noqa: S608
            f"FROM {WORK} w JOIN {PEOPLE} k ON k.{key} = w.{key} "
            f"WHERE w.iin = '' AND w.{key} <> '' AND {where} "
            f"AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} x WHERE x.line = w.line)",
            [str(kind), str(scope)],
        )
    _execute(f"ANALYZE {CANDIDATES}")


def _matches(export: CensusExport) -> None:
    """``MATCHES``: per form with candidates, whether its one exact candidate is chosen
    (``matching.decision``: one candidate by IIN or exact name, whom no other form of the
    export claims and no other record has recorded or confirmed already)."""
    _execute(f"CREATE INDEX ON {CANDIDATES} (respondent_id)")
    _execute(f"ANALYZE {CANDIDATES}")
    record = _t(CensusRecord)
    _table(
        MATCHES,
        "SELECT g.*, (g.n = 1 AND g.kind IN ('iin', 'exact') AND claimed.respondent_id IS NULL "  # noqa: S608
        "AND NOT EXISTS ("
        f"SELECT 1 FROM {record} done WHERE done.respondent_id = g.respondent_id "
        "AND done.campaign_id = %s AND done.state IN ('applied', 'confirmed') "
        f"AND NOT EXISTS (SELECT 1 FROM {WORK} again WHERE again.record_id = done.id))"
        ") AS chosen FROM (SELECT line, MIN(respondent_id) AS respondent_id, "
        "MIN(kind) AS kind, MIN(scope) AS scope, COUNT(*) AS n "
        f"FROM {CANDIDATES} GROUP BY line) g "
        # A person another form of the export may be too (each form names a person once).
        f"LEFT JOIN (SELECT respondent_id FROM {CANDIDATES} GROUP BY respondent_id "
        "HAVING COUNT(*) > 1) claimed ON claimed.respondent_id = g.respondent_id",
        [export.campaign_id],
    )


def _decide(export: CensusExport) -> None:
    """``DECIDE``: for each chosen person, against the officer's record of them — written
    through ``enumeration_record_bulk`` (none, pending, or the census database's own),
    confirmed (agreeing), or a conflict for review (disagreeing; the form number recorded
    for someone else; refused by the service, with its reason)."""
    campaign = export.campaign
    enumeration = _t(Enumeration)
    family = rules._family_sql
    _table(
        DECIDE,
        "SELECT w.line, m.respondent_id, w.form_number, m.kind AS match_kind, "  # noqa: S608
        "m.scope AS match_scope, w.tablet_ref, "
        "CASE WHEN w.method = %s THEN %s ELSE %s END AS method, "
        "(w.completed_at AT TIME ZONE %s)::date AS enumerated_on, "
        "e.id AS enumeration_id, e.status, e.method AS officer_method, "
        "e.enumerated_on AS officer_on, e.source, "
        f"CASE WHEN e.id IS NULL THEN '{{}}'::jsonb ELSE {rules._officer_side_sql('e')} END "
        "AS side, "
        "COALESCE(x.respondent_id <> m.respondent_id, false) AS taken "
        f"FROM {WORK} w JOIN {MATCHES} m ON m.line = w.line AND m.chosen "
        f"LEFT JOIN {enumeration} e ON e.respondent_id = m.respondent_id "
        # The form's number recorded already (unique), for whom: a hash join, not a probe
        # per form.
        f"LEFT JOIN {enumeration} x ON x.registration_number = w.form_number "
        "AND x.registration_number <> ''",
        [CensusMethod.TABLET, EnumerationMethod.TABLET, EnumerationMethod.ONLINE_SELF,
         timezone.get_current_timezone_name()],
        analyse=False,
    )  # fmt: skip
    _execute(f"ALTER TABLE {DECIDE} ADD COLUMN decision varchar(12), ADD COLUMN note varchar(500)")
    # One pass (a rewrite of the temporary table, not of the records).
    _execute(
        f"UPDATE {DECIDE} d SET note = CASE WHEN d.taken THEN %s ELSE '' END, "  # noqa: S608
        "decision = CASE WHEN d.taken THEN 'taken' "
        "WHEN d.enumeration_id IS NULL OR d.status = %s OR d.source = %s THEN 'write' "
        f"WHEN d.status = %s AND {family('d.officer_method')} = {family('d.method')} "
        "AND d.officer_on = d.enumerated_on THEN 'confirm' ELSE 'conflict' END",
        [_("This form number is already recorded for another person.")[:500],
         EnumerationStatus.PENDING, EnumerationSource.CENSUS_DB, EnumerationStatus.ENUMERATED],
    )  # fmt: skip
    _execute(f"ANALYZE {DECIDE}")
    enumeration_bulk_table(APPLY)
    reason: list[str] = ["CASE"]
    params: list[Any] = []
    for method in (EnumerationMethod.ONLINE_SELF, EnumerationMethod.TABLET):
        start, end = method_window(campaign, method)
        reason.append("WHEN d.method = %s AND d.enumerated_on BETWEEN %s AND %s THEN ''")
        params += [method, start, end]
    reason.append("ELSE %s END")
    params.append(_("Completed on this date in the census database.")[:500])
    _execute(
        f"INSERT INTO {APPLY} (row_id, respondent_id, method, enumerated_on, "  # noqa: S608
        "tablet_kit_ref, registration_number, window_override_reason) "
        "SELECT d.line, d.respondent_id, d.method, d.enumerated_on, "
        "CASE WHEN d.method = %s THEN d.tablet_ref ELSE '' END, d.form_number, "
        f"{' '.join(reason)} FROM {DECIDE} d WHERE d.decision = 'write'",
        [EnumerationMethod.TABLET, *params],
    )
    enumeration_record_bulk(actor=export.created_by, campaign=campaign, table=APPLY)
    # A row the service refused goes to the review queue with its reason.
    _execute(
        f"UPDATE {DECIDE} d SET decision = 'refused', note = a.refusal FROM {APPLY} a "  # noqa: S608
        "WHERE a.row_id = d.line AND a.refusal IS NOT NULL"
    )


# --- 5. store ------------------------------------------------------------------------------


def _store(export: CensusExport) -> None:
    """The records, each written once with its final state and person; then the reviews."""
    record, review, candidate = _t(CensusRecord), _t(CensusReview), _t(CensusCandidate)
    now = clock.wall_now()
    insert, update = rules.record_upsert(record, alias="c")
    _execute(
        f"{insert}SELECT %s, w.form_number, w.iin, w.surname, w.given_name, "  # noqa: S608
        "w.patronymic, w.birth_date, w.sex, w.method, w.completed_at, w.tablet_ref, w.bin, "
        "w.institution_id, w.exact_key, "
        "w.variant_key, w.hash, %s, CASE WHEN m.line IS NULL THEN 'not_listed' "
        f"WHEN NOT (m.chosen) THEN 'review' WHEN d.decision = 'write' THEN 'applied' "
        "WHEN d.decision = 'confirm' THEN 'confirmed' ELSE 'review' END, "
        f"CASE WHEN m.chosen THEN m.kind ELSE '' END, "
        f"CASE WHEN m.chosen THEN m.scope ELSE '' END, "
        f"CASE WHEN m.chosen THEN m.respondent_id END, %s "
        f"FROM {WORK} w LEFT JOIN {MATCHES} m ON m.line = w.line "
        f"LEFT JOIN {DECIDE} d ON d.line = w.line {update}",
        [export.campaign_id, export.pk, now],
    )
    _execute(f"ANALYZE {record}")  # its own statistics, for the joins below
    # The review queue: several candidates or a variant spelling (the candidates side by
    # side), and the conflicts with an officer's record (the officer's side). Few rows:
    # gathered first, then given their record (by the form's unique index).
    conflict = "d.decision IN ('taken', 'conflict', 'refused')"
    _table(
        QUEUE,
        f"SELECT w.line, w.form_number, NULL::bigint AS record_id, NULL::bigint AS review_id, "  # noqa: S608
        f"d.line IS NOT NULL AND {conflict} AS conflict, "
        f"CASE WHEN d.line IS NOT NULL AND {conflict} THEN %s WHEN m.n > 1 THEN %s "
        "WHEN m.kind = 'variant' THEN %s ELSE %s END AS kind, "
        "COALESCE(d.side, '{}'::jsonb) AS side, COALESCE(d.note, '') AS note, "
        "d.respondent_id, COALESCE(NULLIF(d.match_kind, ''), %s) AS match_kind, "
        "COALESCE(NULLIF(d.match_scope, ''), %s) AS match_scope "
        f"FROM {WORK} w JOIN {MATCHES} m ON m.line = w.line "
        f"LEFT JOIN {DECIDE} d ON d.line = w.line WHERE NOT m.chosen OR {conflict}",
        [ReviewKind.CONFLICT, ReviewKind.AMBIGUOUS, ReviewKind.VARIANT, ReviewKind.AMBIGUOUS,
         MatchKind.MANUAL, MatchScope.REGION],
    )  # fmt: skip
    if not _execute(f"SELECT 1 FROM {QUEUE} LIMIT 1"):  # noqa: S608
        return
    _execute(
        f"UPDATE {QUEUE} q SET record_id = c.id FROM {record} c "  # noqa: S608
        "WHERE c.campaign_id = %s AND c.form_number = q.form_number",
        [export.campaign_id],
    )
    _execute(
        f"WITH opened AS (INSERT INTO {review} (record_id, kind, state, officer_side, note, "  # noqa: S608
        f"created_at) SELECT q.record_id, q.kind, %s, q.side, q.note, %s FROM {QUEUE} q "
        f"RETURNING id, record_id) UPDATE {QUEUE} q SET review_id = opened.id FROM opened "
        "WHERE opened.record_id = q.record_id",
        [ReviewState.OPEN, now],
    )
    _execute(f"ANALYZE {QUEUE}")
    _execute(
        f"INSERT INTO {candidate} (review_id, respondent_id, kind, scope) "  # noqa: S608
        f"SELECT q.review_id, x.respondent_id, x.kind, x.scope FROM {QUEUE} q "
        f"JOIN {CANDIDATES} x ON x.line = q.line WHERE NOT q.conflict"
    )
    _execute(
        f"INSERT INTO {candidate} (review_id, respondent_id, kind, scope) "  # noqa: S608
        f"SELECT q.review_id, q.respondent_id, q.match_kind, q.match_scope FROM {QUEUE} q "
        "WHERE q.conflict"
    )
