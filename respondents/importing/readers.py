"""Read a CSV or XLSX file of respondent rows as people make them, in constant memory.

CSV: UTF-8, UTF-8 with BOM or Windows-1251 (detected), ``,``, ``;`` or tab separated
(detected from the header row). XLSX: the first sheet, read in openpyxl's streaming mode
after the zip container is checked (members, uncompressed size, compression ratio); the
sheet's dimension tag is never trusted. Both may have title rows above the header: the
header is the first row naming at least three known columns.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from census_coord.uploads import (
    CSV,
    XLSX,
    UploadLimits,
    upload_check_size,
    upload_validate,
)
from respondents.importing.vocabulary import (
    CHOICES,
    REQUIRED_HEADERS,
    match_headers,
    normalise_header,
    value_lookup,
)
from respondents.validation import FIELDS

# Title rows above the header: at most this many are looked through.
HEADER_SEARCH_ROWS = 30
SNIFF_BYTES = 64 * 1024
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_RATIO = 200
XLSX_RATIO_MIN_MEMBER_BYTES = 1024 * 1024
# The shared upload checks' codes, as this import's stable (documented) codes.
UPLOAD_CODES = {
    "upload_empty": "file_empty",
    "upload_too_large": "file_too_large",
    "upload_type": "file_type",
    "upload_corrupt": "file_format",
    "upload_archive_limit": "xlsx_unsafe",
    "upload_encoding": "file_encoding",
    "upload_too_many_rows": "too_many_rows",
}
# Gaps of empty rows in a sheet are skipped, but not forever (a lone cell at row 1,048,576).
MAX_EMPTY_ROWS_IN_A_ROW = 10_000


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``code`` is stable, ``message`` translated."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Table:
    """The header found in a file and an iterator of (file row number, raw values)."""

    columns: dict[int, str]
    header_cells: list[str]
    rows: Iterator[tuple[int, dict[str, Any], list[Any]]]


def max_bytes() -> int:
    return int(getattr(settings, "RESPONDENT_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "RESPONDENT_IMPORT_MAX_ROWS", 1_000_000))


def import_limits() -> UploadLimits:
    """The shared upload rules with this import's higher limits (settings). Rows are
    counted by ``_rows`` while the file streams, so the shared check does not count them."""
    return UploadLimits(
        max_bytes=max_bytes(),
        max_rows=None,
        max_zip_members=XLSX_MAX_MEMBERS,
        max_uncompressed_bytes=int(
            getattr(settings, "RESPONDENT_IMPORT_MAX_UNCOMPRESSED_BYTES", 20 * max_bytes())
        ),
        max_compression_ratio=XLSX_MAX_RATIO,
        ratio_min_member_bytes=XLSX_RATIO_MIN_MEMBER_BYTES,
        max_whole_part_bytes=int(
            getattr(settings, "RESPONDENT_IMPORT_MAX_XLSX_PART_BYTES", 64 * 1024 * 1024)
        ),
    )


def _refused(error: ValidationError) -> FileRefused:
    code = UPLOAD_CODES.get(error.code or "", "file_format")
    return FileRefused(code, " ".join(error.messages))


def check_size(size: int) -> None:
    """Refuse an empty or too large file at once (before it is stored and queued)."""
    try:
        upload_check_size(size, import_limits())
    except ValidationError as error:
        raise _refused(error) from None


def file_kind(handle: IO[bytes], name: str) -> str:
    """``xlsx`` or ``csv``: type by content, size and zip limits by the shared upload rules
    (``census_coord.uploads``); then what is the import's own: old ``.xls`` files get a
    hint, and text files must be named as CSV (or not named)."""
    head = handle.read(8)
    handle.seek(0)
    suffix = Path(name).suffix.lower()
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            "file_type", _("Old Excel files (.xls) cannot be read; save the file as XLSX or CSV.")
        )
    try:
        kind = upload_validate(handle, allowed=(XLSX, CSV), limits=import_limits())
    except ValidationError as error:
        raise _refused(error) from None
    if kind == XLSX and suffix in (".xlsx", ".xlsm", ""):
        return "xlsx"
    if kind == CSV and suffix in (".csv", ".txt", ""):
        return "csv"
    raise FileRefused("file_type", _("Upload a CSV or XLSX file."))


def open_table(path: Path, name: str) -> Table:
    """The file's header and rows; raises ``FileRefused`` for anything that cannot be read."""
    with path.open("rb") as handle:
        kind = file_kind(handle, name)
        head = handle.read(SNIFF_BYTES)
    if kind == "xlsx":
        return _xlsx_table(path)
    return _csv_table(path, head)


# --- CSV ---------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1251.

    The whole file is checked, a megabyte at a time: a file with an English header and
    Russian names further down must not be taken for UTF-8 from its first lines.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        head = handle.read(len(codecs.BOM_UTF8))
        try:
            decoder.decode(head)
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1251"
    return "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"


def _csv_table(path: Path, head: bytes) -> Table:
    encoding = detect_encoding(path)
    sample = head.decode(encoding, errors="ignore")
    delimiter = _detect_delimiter(sample)
    handle = path.open("r", encoding=encoding, newline="")
    reader = csv.reader(handle, delimiter=delimiter)

    def lines() -> Iterator[tuple[int, list[Any]]]:
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError as exc:
            raise FileRefused(
                "file_encoding",
                _("The file is not text in UTF-8 or Windows-1251 (line %(line)d).")
                % {"line": reader.line_num + 1},
            ) from exc
        except csv.Error as exc:
            raise FileRefused(
                "file_format",
                _("Line %(line)d of the file cannot be read as CSV.") % {"line": reader.line_num},
            ) from exc
        finally:
            handle.close()

    return _table(lines())


def _detect_delimiter(sample: str) -> str:
    """The separator that splits the header row into the most known column names."""
    best, best_score = ";", (-1, -1)
    lines = sample.splitlines()[:HEADER_SEARCH_ROWS]
    for delimiter in (";", ",", "\t"):
        known = max(
            (
                len(match_headers(next(csv.reader([line], delimiter=delimiter), [])))
                for line in lines
            ),
            default=0,
        )
        score = (known, sum(line.count(delimiter) for line in lines[:3]))
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX --------------------------------------------------------------------------


def _xlsx_table(path: Path) -> Table:
    from openpyxl import load_workbook

    # The container was checked (members, size, ratio) by file_kind before this.
    # A handle, not the path: stored uploads have no .xlsx suffix for openpyxl to check.
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:
        handle.close()
        raise FileRefused("file_format", _("The XLSX file is damaged.")) from exc
    sheet = workbook.worksheets[0]
    # The dimension tag may claim a million columns; read what the rows really hold.
    sheet.reset_dimensions()

    def lines() -> Iterator[tuple[int, list[Any]]]:
        empty = 0
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if all(cell is None or cell == "" for cell in cells):
                    empty += 1
                    if empty > MAX_EMPTY_ROWS_IN_A_ROW:
                        return
                    continue
                empty = 0
                yield number, list(cells)
        finally:
            workbook.close()
            handle.close()

    return _table(lines())


# --- rows --------------------------------------------------------------------------


def _table(lines: Iterator[tuple[int, list[Any]]]) -> Table:
    for _index in range(HEADER_SEARCH_ROWS):
        try:
            _number, cells = next(lines)
        except StopIteration:
            break
        columns = match_headers(cells)
        if len(columns) >= 3:
            missing = [name for name in REQUIRED_HEADERS if name not in columns.values()]
            if missing:
                raise FileRefused(
                    "columns_missing",
                    _("The file has no column for: %(columns)s.") % {"columns": ", ".join(missing)},
                )
            header = ["" if cell is None else str(cell) for cell in cells]
            return Table(columns=columns, header_cells=header, rows=_rows(lines, columns))
    raise FileRefused(
        "header_missing",
        _("No header row found: name the columns as in the template (see the column list)."),
    )


def _rows(
    lines: Iterator[tuple[int, list[Any]]], columns: dict[int, str]
) -> Iterator[tuple[int, dict[str, Any], list[Any]]]:
    limit = max_rows()
    count = 0
    lookups = {name: dict(value_lookup(name)) for name in CHOICES}
    # Per column: its index and field; plain text columns take the fast path below.
    plain = [(index, name) for index, name in columns.items() if name not in lookups]
    special = [(index, name) for index, name in columns.items() if name in lookups]
    width = max(columns) + 1
    template = dict.fromkeys(FIELDS, "")
    for number, cells in lines:
        if not _has_content(cells):
            continue
        count += 1
        if count > limit:
            raise FileRefused(
                "too_many_rows",
                ngettext(
                    "The file has more than %(limit)d row.",
                    "The file has more than %(limit)d rows.",
                    limit,
                )
                % {"limit": limit},
            )
        if len(cells) < width:
            cells = [*cells, *[None] * (width - len(cells))]
        values = template.copy()
        for index, name in plain:
            cell = cells[index]
            # CSV cells are always text: strip them without the general conversion.
            values[name] = cell.strip() if type(cell) is str else cell_value(name, cell, lookups)
        for index, name in special:
            values[name] = cell_value(name, cells[index], lookups)
        yield number, values, cells


def _has_content(cells: list[Any]) -> bool:
    try:
        return bool("".join(cells).strip())
    except TypeError:  # spreadsheet cells: numbers, dates, None
        return any(cell is not None and str(cell).strip() for cell in cells)


def cell_value(name: str, cell: Any, lookups: dict[str, dict[str, str]]) -> Any:
    """A raw cell as the validation expects it: text, or a date from a spreadsheet."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime | dt.date):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and name == "iin":
        # A spreadsheet drops the leading zero of IINs of people born in 2000-2009.
        return str(cell).zfill(12)
    text = str(cell).strip()
    if name in lookups:
        lookup = lookups[name]
        found = lookup.get(text)
        if found is None:
            found = lookup.get(normalise_header(text), text)
            if len(lookup) < 10_000:  # a file spells a value a few ways: remember them
                lookup[text] = found
        return found
    return text
