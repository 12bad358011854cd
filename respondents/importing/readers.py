"""Read a CSV, XLSX or ODS file of respondent rows as people make them, in constant memory.

CSV: UTF-8, UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode Text") or Windows-1251
(detected), ``,``, ``;`` or tab separated (detected from the header row), quoted line
breaks inside cells. XLSX: read in openpyxl's streaming mode after the zip container is
checked (members, uncompressed size, compression ratio); the sheet's dimension tag is never
trusted. ODS: read with python-calamine after the same container checks. In a workbook the
list is on the first sheet (visible sheets first) that has a header row. Title rows above
the header are skipped (the header is the first row naming at least three known columns),
and so are lines under the last person that are not people (totals, signatures, a stamp).
Every cell keeps its file line and column letter, so errors name them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl.utils import get_column_letter

from census_coord.uploads import (
    CSV,
    ODS,
    XLSX,
    UploadLimits,
    upload_check_size,
    upload_validate,
)
from respondents.importing.vocabulary import (
    CHOICES,
    COLUMN_DEFAULTS,
    EXAMPLE_IIN,
    EXAMPLE_SURNAMES,
    HEADERS,
    REQUIRED_HEADERS,
    choice_value,
    match_headers,
)
from respondents.row_schema import NAME_FIELDS
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
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
CFB_HEAD = b"\xd0\xcf\x11\xe0"  # OLE compound file: an old .xls, or an encrypted workbook
# A question mark touching a letter: what a code page without Kazakh letters leaves.
_LOST_LETTER_RE = re.compile(r"[^\W\d_]\?|\?[^\W\d_]")
# A line under the table with fewer of these filled is not a person (totals, signatures).
PERSON_FIELDS = ("birth_date", "sex", "citizenship")
# Gaps of empty rows in a sheet are skipped, but not forever (a lone cell at row 1,048,576).
MAX_EMPTY_ROWS_IN_A_ROW = 10_000
# The cells calamine may hold for one ODS sheet (about 60 bytes each): 150,000 people.
ODS_MAX_CELLS = 2_000_000


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``code`` is stable, ``message`` translated."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Table:
    """The header found in a file and an iterator of (file line, values, raw cells).

    ``skipped_lines`` (lines under the last person that are not people) and
    ``example_lines`` (the template's example row) are filled once the rows are read.
    """

    columns: dict[int, str]
    header_cells: list[str]
    rows: Iterator[tuple[int, dict[str, Any], list[Any]]]
    kind: str = CSV
    header_line: int = 1
    sheet_name: str = ""
    encoding: str = ""
    delimiter: str = ""
    skipped_lines: list[int] = field(default_factory=list)
    example_lines: list[int] = field(default_factory=list)

    @property
    def absent(self) -> frozenset[str]:
        """Fields the file has no column for."""
        return frozenset(FIELDS) - frozenset(self.columns.values())

    def column_labels(self) -> dict[str, tuple[str, str]]:
        """Field -> (the file's own header text, the Excel column letter)."""
        return {
            name: (self.header_cells[index].strip(), get_column_letter(index + 1))
            for index, name in self.columns.items()
        }


Rows = Iterator[tuple[int, dict[str, Any], list[Any]]]


@dataclass(frozen=True)
class Layout:
    """What one kind of file holds: how header cells name its columns, which columns it
    must have, how a column is called to the user, and how its lines become rows. The
    list import's is ``RESPONDENT_LAYOUT``; the census-database import brings its own and
    so shares every check of the file (type, size, zip limits, encodings, separators,
    sheets, title rows) and the row limit."""

    match: Callable[[list[Any]], dict[int, str]]
    required: Sequence[str]
    header_name: Callable[[str], str]
    rows: Callable[[Iterator[tuple[int, list[Any]]], Table], Rows]


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
    """``xlsx``, ``ods`` or ``csv``: type by content, size and zip limits by the shared
    upload rules (``census_coord.uploads``); then what is the import's own: an encrypted
    workbook and an old ``.xls`` get their own message, and text files must be named as
    CSV or text (or not named)."""
    head = handle.read(8)
    handle.seek(0)
    suffix = Path(name).suffix.lower()
    if head.startswith(CFB_HEAD):
        if _is_encrypted(handle):
            raise FileRefused(
                "file_encrypted",
                _(
                    "The workbook is protected with a password, so it cannot be read. Open "
                    "it in Excel, remove the password (File → Info → Protect Workbook → "
                    "Encrypt with Password, clear it), save and upload it again."
                ),
            )
        raise FileRefused(
            "file_type", _("Old Excel files (.xls) cannot be read; save the file as XLSX or CSV.")
        )
    if suffix == ".xls":
        raise FileRefused(
            "file_type", _("Old Excel files (.xls) cannot be read; save the file as XLSX or CSV.")
        )
    try:
        kind = upload_validate(handle, allowed=(XLSX, ODS, CSV), limits=import_limits())
    except ValidationError as error:
        raise _refused(error) from None
    if kind == XLSX and suffix in (".xlsx", ".xlsm", ""):
        return XLSX
    if kind == ODS and suffix in (".ods", ""):
        return ODS
    if kind == CSV and suffix in (".csv", ".txt", ".tsv", ""):
        return CSV
    raise FileRefused(
        "file_type", _("Upload a CSV, XLSX or ODS file; the file's name must end as its type.")
    )


def _is_encrypted(handle: IO[bytes]) -> bool:
    """An Office workbook with a password to open is a compound file holding an
    ``EncryptedPackage`` stream (MS-OFFCRYPTO); an old .xls holds a ``Workbook``."""
    import olefile

    try:
        with olefile.OleFileIO(handle) as compound:
            return bool(compound.exists("EncryptedPackage"))
    except OSError:
        return False
    finally:
        handle.seek(0)


def open_table(path: Path, name: str, layout: Layout | None = None) -> Table:
    """The file's header and rows; raises ``FileRefused`` for anything that cannot be read."""
    layout = layout or RESPONDENT_LAYOUT
    with path.open("rb") as handle:
        kind = file_kind(handle, name)
        head = handle.read(SNIFF_BYTES)
    if kind == XLSX:
        return _xlsx_table(path, layout)
    if kind == ODS:
        return _ods_table(path, layout)
    return _csv_table(path, head, layout)


# --- CSV ---------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-16 by its byte-order mark; UTF-8 (with or without BOM) when the whole file
    decodes as such; else Windows-1251.

    The whole file is checked, a megabyte at a time: a file with an English header and
    Russian names further down must not be taken for UTF-8 from its first lines.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        head = handle.read(len(codecs.BOM_UTF8))
        if head.startswith(UTF16_BOMS):
            return "utf-16"
        try:
            decoder.decode(head)
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1251"
    return "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"


def _csv_table(path: Path, head: bytes, layout: Layout) -> Table:
    encoding = detect_encoding(path)
    sample = head.decode(encoding, errors="ignore")
    delimiter = _detect_delimiter(sample, layout.match)
    handle = path.open("r", encoding=encoding, newline="")
    reader = csv.reader(handle, delimiter=delimiter)

    def lines() -> Iterator[tuple[int, list[Any]]]:
        try:
            # The line a row starts on (a quoted cell may span several lines).
            start = 1
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise FileRefused(
                "file_encoding",
                _("The file is not text in UTF-8, UTF-16 or Windows-1251 (line %(line)d).")
                % {"line": reader.line_num + 1},
            ) from exc
        except csv.Error as exc:
            raise FileRefused(
                "file_format",
                _("Line %(line)d of the file cannot be read as CSV.") % {"line": reader.line_num},
            ) from exc
        finally:
            handle.close()

    table = _table(lines(), kind=CSV, layout=layout)
    if table is None:
        handle.close()
        raise _no_header([sample.splitlines()[:HEADER_SEARCH_ROWS]])  # type: ignore[list-item]  # lines for rows
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _detect_delimiter(
    sample: str, match: Callable[[list[Any]], dict[int, str]] | None = None
) -> str:
    """The separator that splits the header row into the most known column names; on a
    tie (a short file), the one that splits the first lines into the most equal parts."""
    best, best_score = ";", (-1, -1, -1)
    lines = [line for line in sample.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    for delimiter in (";", ",", "\t"):
        split = list(csv.reader(lines, delimiter=delimiter))
        known = max((len((match or match_headers)(cells)) for cells in split), default=0)
        widths = [len(cells) for cells in split[:5]]
        steady = sum(width > 1 and width == widths[0] for width in widths)
        score = (known, steady, sum(widths))
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- XLSX --------------------------------------------------------------------------


def _xlsx_table(path: Path, layout: Layout) -> Table:
    from openpyxl import load_workbook

    # The container was checked (members, size, ratio) by file_kind before this.
    # A handle, not the path: stored uploads have no .xlsx suffix for openpyxl to check.
    # data_only: a formula cell gives the value Excel or LibreOffice computed and saved.
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:
        handle.close()
        raise FileRefused("file_format", _("The XLSX file is damaged.")) from exc
    sheets = sorted(workbook.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
    tops: list[list[list[Any]]] = []
    try:
        for sheet in sheets:
            # The dimension tag may claim a million columns; read what the rows hold.
            sheet.reset_dimensions()
            found = _table(
                _sheet_lines(sheet.iter_rows(values_only=True)), kind=XLSX, layout=layout
            )
            if found is not None:
                found.sheet_name = sheet.title
                found.rows = _closing(found.rows, workbook, handle)
                return found
            tops.append(_top_rows(sheet.iter_rows(values_only=True)))
    except FileRefused:
        workbook.close()
        handle.close()
        raise
    workbook.close()
    handle.close()
    raise _no_header(tops)


def _ods_table(path: Path, layout: Layout) -> Table:
    """An OpenDocument spreadsheet (LibreOffice), read by python-calamine.

    calamine builds each sheet as a dense grid in memory, from A1 to the last used cell;
    ``_check_ods_extent`` bounds that grid before calamine opens the file.
    """
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    _check_ods_extent(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = sorted(
            workbook.sheets_metadata, key=lambda meta: meta.visible != SheetVisibleEnum.Visible
        )
        tops: list[list[list[Any]]] = []
        for meta in sheets:
            sheet = workbook.get_sheet_by_name(meta.name)
            first_row, first_column = sheet.start or (0, 0)
            lead = [None] * first_column

            def offset(
                rows: Iterator[list[Any]], first_row: int = first_row, lead: list[Any] = lead
            ) -> Iterator[tuple[int, list[Any]]]:
                for number, cells in enumerate(rows, start=first_row + 1):
                    yield number, [*lead, *cells]

            found = _table(_numbered_lines(offset(sheet.iter_rows())), kind=ODS, layout=layout)
            if found is not None:
                found.sheet_name = meta.name
                return found
            tops.append(_top_rows(sheet.iter_rows()))
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused("file_format", _("The ODS file is damaged.")) from exc
    raise _no_header(tops)


def _check_ods_extent(path: Path) -> None:
    """Refuse an ODS whose used cells span more than ``ODS_MAX_CELLS`` on a sheet.

    A file of a few hundred bytes can place one cell at A1 and one a million rows or a
    thousand columns away (``number-rows-repeated``): calamine would then build a grid of
    hundreds of megabytes. Empty repeated rows and cells (LibreOffice writes them to the
    end of every sheet) cost nothing and are not counted. The parse streams.
    """
    import zipfile
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    too_large = FileRefused(
        "xlsx_unsafe",
        _("The spreadsheet spans too many cells to be read; save it as XLSX or CSV."),
    )
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            table = None
            row = last_row = width = 0
            for event, element in iterparse(content, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{table_ns}table":
                        table, row, last_row, width = element, 0, 0, 0
                    continue
                if tag == f"{table_ns}table-row":
                    repeat = int(element.get(f"{table_ns}number-rows-repeated", "1"))
                    column = used = 0
                    for cell in element:
                        span = int(cell.get(f"{table_ns}number-columns-repeated", "1"))
                        if len(cell) or cell.get(f"{office_ns}value-type"):
                            used = column + span
                        column += span
                    if used:
                        last_row, width = row + repeat, max(width, used)
                        if last_row * width > ODS_MAX_CELLS:
                            raise too_large
                    row += repeat
                    element.clear()
                    if table is not None:
                        table.clear()  # the rows read so far are no longer needed
    except (KeyError, ValueError, ParseError, DefusedXmlException, zipfile.BadZipFile) as exc:
        raise FileRefused("file_format", _("The ODS file is damaged.")) from exc


def _sheet_lines(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Any]]]:
    return _numbered_lines(enumerate(rows, start=1))


def _numbered_lines(rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, list[Any]]]:
    """Non-empty spreadsheet rows; gaps of empty rows are skipped, but not forever."""
    empty = 0
    for number, cells in rows:
        if all(cell is None or cell == "" for cell in cells):
            empty += 1
            if empty > MAX_EMPTY_ROWS_IN_A_ROW:
                return
            continue
        empty = 0
        yield number, list(cells)


def _closing(rows: Iterator[Any], *resources: Any) -> Iterator[Any]:
    try:
        yield from rows
    finally:
        for resource in resources:
            resource.close()


def _top_rows(rows: Iterator[Any]) -> list[list[Any]]:
    top = []
    for index, cells in enumerate(rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        top.append(list(cells))
    return top


# --- rows --------------------------------------------------------------------------


def _table(lines: Iterator[tuple[int, list[Any]]], *, kind: str, layout: Layout) -> Table | None:
    """The table whose header is among the first lines, or None when there is none."""
    for _index in range(HEADER_SEARCH_ROWS):
        try:
            number, cells = next(lines)
        except StopIteration:
            break
        columns = layout.match(cells)
        if len(columns) >= 3:
            header = ["" if cell is None else str(cell) for cell in cells]
            # Cells that named no column ("?кесіні? аты" for "Әкесінің аты"); a known
            # header with a question of its own ("ИИН (если есть?)") is no sign.
            _refuse_lost_letters([[c for i, c in enumerate(header) if i not in columns]])
            missing = [name for name in layout.required if name not in columns.values()]
            if missing:
                raise FileRefused(
                    "columns_missing",
                    _("The file has no column for: %(columns)s.")
                    % {"columns": ", ".join(quoted(layout.header_name(n)) for n in missing)},
                )
            table = Table(
                columns=columns, header_cells=header, rows=iter(()), kind=kind, header_line=number
            )
            table.rows = layout.rows(lines, table)
            return table
    return None


def quoted(text: str) -> str:
    """Text in the quotation marks of the active language (« » in kk and ru)."""
    return pgettext("quotation marks", "“%(text)s”") % {"text": text}


def header_name(field_name: str) -> str:
    """The template's header of a field in the active language (how the user knows it)."""
    language = (translation.get_language() or "en")[:2]
    return HEADERS[field_name].get(language, HEADERS[field_name]["en"])[0]


def _no_header(tops: list[list[list[Any]]]) -> FileRefused:
    _refuse_lost_letters(row for top in tops for row in top)
    return FileRefused(
        "header_missing",
        _(
            "No header row found: name the columns as in the template (see the column list). "
            "The first 30 rows of every sheet were searched."
        ),
    )


def _refuse_lost_letters(rows: Any, line: int | None = None) -> None:
    """Refuse a file whose text has ``?`` where letters belong: Kazakh letters lost when
    the file was saved in a code page that has none (Excel's plain "CSV")."""
    for cells in rows:
        if isinstance(cells, str):
            cells = [cells]
        for cell in cells:
            if isinstance(cell, str) and "?" in cell and _LOST_LETTER_RE.search(cell):
                raise FileRefused("letters_lost", _lost_letters_message(line))


def _lost_letters_message(line: int | None) -> str:
    if line is None:
        return _(
            "The file's header has question marks where letters belong: the Kazakh letters "
            "(ә, ғ, қ, ң, ө, ұ, ү, һ, і) were lost when it was saved as plain CSV in a code "
            "page without them. Open the original list and save it as “CSV UTF-8” or as an "
            "Excel workbook (XLSX), then upload that file."
        )
    return _(
        "The file has question marks where letters belong (line %(line)d): the Kazakh "
        "letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і) were lost when it was saved as plain CSV in a "
        "code page without them. Open the original list and save it as “CSV UTF-8” or as an "
        "Excel workbook (XLSX), then upload that file."
    ) % {"line": line}


def counted_lines(lines: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """The lines with any content, refused once there are more than ``max_rows()``."""
    limit = max_rows()
    count = 0
    for number, cells in lines:
        if not _has_content(cells):
            continue
        count += 1
        if count > limit:
            raise too_many_rows(limit)
        yield number, cells


def too_many_rows(limit: int) -> FileRefused:
    """The refusal of a file with more than ``limit`` rows (also raised by readers that
    count rows elsewhere, such as the census-DB import's COPY)."""
    return FileRefused(
        "too_many_rows",
        ngettext(
            "The file has more than %(limit)d row.",
            "The file has more than %(limit)d rows.",
            limit,
        )
        % {"limit": limit},
    )


def _rows(lines: Iterator[tuple[int, list[Any]]], table: Table) -> Rows:
    columns = table.columns
    lookups: dict[str, dict[str, str]] = {name: {} for name in CHOICES}
    # Per column: its index and field; plain text columns take the fast path below.
    plain = [(index, name) for index, name in columns.items() if name not in lookups]
    special = [(index, name, lookups[name]) for index, name in columns.items() if name in lookups]
    names = [name for name in NAME_FIELDS if name in columns.values()]
    width = max(columns) + 1
    template = dict.fromkeys(FIELDS, "")
    for name, default in COLUMN_DEFAULTS.items():
        if name not in columns.values():
            template[name] = default
    # Lines that are not people are held back until a person follows them (then they
    # are rows with errors) or the file ends (then they are footer lines, skipped).
    held: list[tuple[int, dict[str, Any], list[Any]]] = []
    people = 0
    for number, cells in counted_lines(lines):
        if len(cells) < width:
            cells = [*cells, *[None] * (width - len(cells))]
        values = template.copy()
        for index, name in plain:
            cell = cells[index]
            # CSV cells are always text: strip them without the general conversion.
            values[name] = cell.strip() if type(cell) is str else cell_value(name, cell, lookups)
        for index, name, lookup in special:
            # A file spells a value a few ways: each spelling, as the cell has it, once.
            cell = cells[index]
            found = lookup.get(cell) if type(cell) is str else None
            values[name] = found if found is not None else cell_value(name, cell, lookups)
        for name in names:
            if "?" in values[name]:
                _refuse_lost_letters([values[name]], line=number)
        if (bool(values["birth_date"]) + bool(values["sex"]) + bool(values["citizenship"])) < 2:
            held.append((number, values, cells))
            continue
        if values["iin"] == EXAMPLE_IIN and values["surname"] in EXAMPLE_SURNAMES:
            table.example_lines.append(number)
            continue
        if held:
            yield from held
            held.clear()
        people += 1
        yield number, values, cells
    if people:
        table.skipped_lines.extend(number for number, _values, _cells in held)
    else:
        yield from held


def _has_content(cells: list[Any]) -> bool:
    try:
        return bool("".join(cells).strip())
    except TypeError:  # spreadsheet cells: numbers, dates, None
        return any(cell is not None and str(cell).strip() for cell in cells)


def cell_value(name: str, cell: Any, lookups: dict[str, dict[str, str]]) -> Any:
    """A raw cell as the validation expects it: text, or a date from a spreadsheet.

    Choice values are matched once per spelling a file uses (``lookups`` remembers them);
    an unknown value is passed on as typed, for the row error to quote it.
    """
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime | dt.date):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    # A numeric IIN cell lost its leading zeros: validation puts them back (for CSV too).
    text = str(cell).strip()
    if name in lookups:
        lookup = lookups[name]
        found = lookup.get(text)
        if found is None:
            found = choice_value(name, text) or text
        if len(lookup) < 10_000:  # a file spells a value a few ways: remember them
            lookup[text] = found
            if isinstance(cell, str):
                lookup[cell] = found  # as the cell has it, spaces and all
        return found
    return text


RESPONDENT_LAYOUT = Layout(
    match=match_headers, required=REQUIRED_HEADERS, header_name=header_name, rows=_rows
)
