"""Downloads of an import: the error report (JSON, XLSX) and the templates.

The XLSX error report is the user's own file with an error column added and the wrong
cells marked (a fill and a comment), so it can be corrected in place and uploaded again:
an XLSX is copied as it is (other sheets, styles, formulas kept); a CSV or ODS file, or a
workbook too large to copy in memory, is written out row by row at the same rows and
column letters.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from census_coord.uploads import XLSX
from respondents.importing import readers
from respondents.importing.vocabulary import (
    CHOICES,
    EXAMPLE_BIRTH_DATE,
    EXAMPLE_CHOICES,
    EXAMPLE_IIN,
    EXAMPLE_VALUES,
    HEADERS,
    REQUIRED_HEADERS,
    VALUE_WORDS,
    template_headers,
)
from respondents.models import ImportJob
from respondents.validation import FIELDS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Larger workbooks are not copied in memory (openpyxl holds every cell): written row by row.
IN_PLACE_MAX_BYTES = 2 * 1024 * 1024  # about 40,000 people
# Larger files get a report of their rows with errors only (a whole million-row file
# would take minutes to write while the user waits).
ALL_ROWS_MAX = 100_000
ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
REQUIRED_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
AUTHOR = "census"
TEMPLATE_ROWS = 1000


def job_errors(job: ImportJob) -> list[dict[str, Any]]:
    """Every error of a job: the stored report, or the preview for a file refused whole."""
    if job.error_report:
        with job.error_report.open("rb") as handle:
            return json.load(handle)
    return [
        {
            "row": e["row"],
            "field": e["field"],
            "column": e.get("column", ""),
            "letter": e.get("letter", ""),
            "code": e["code"],
            "message": e["message"],
        }
        for e in job.errors_preview
    ]


def errors_json_response(job: ImportJob) -> HttpResponseBase:
    filename = f"import-{job.pk}-errors.json"
    response: HttpResponseBase
    if job.error_report:
        response = FileResponse(
            job.error_report.open("rb"), content_type="application/json", filename=filename
        )
    else:
        response = HttpResponse(
            json.dumps(job_errors(job), ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _located(error: dict[str, Any]) -> str:
    """``D “Дата рождения”: message``: the column as the user's file names it."""
    letter, column = error.get("letter") or "", error.get("column") or ""
    if letter and column:
        return f"{letter} {readers.quoted(column)}: {error['message']}"
    return str(error["message"])


def errors_xlsx_response(job: ImportJob) -> HttpResponse:
    """The uploaded file with an error column and its wrong cells marked."""
    by_row: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for error in job_errors(job):
        by_row[error["row"]].append(error)
    table = None
    if job.file:
        try:
            table = readers.open_table(Path(job.file.path), job.file_name)
        except readers.FileRefused:
            table = None
    output = io.BytesIO()
    if table is not None and table.kind == XLSX and job.file.size <= IN_PLACE_MAX_BYTES:
        _mark_workbook(Path(job.file.path), table, by_row).save(output)
    else:
        _rebuilt_workbook(table, by_row, all_rows=job.rows_total <= ALL_ROWS_MAX).save(output)  # type: ignore[operator]  # a finished job has its total
    stem = Path(job.file_name).stem or "import"
    response = HttpResponse(output.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="import-{job.pk}-errors.xlsx"; '
        f"filename*=UTF-8''{_quote(stem)}-{_quote(_('errors'))}.xlsx"
    )
    response["Cache-Control"] = "no-store"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _comment(text: str) -> Comment:
    comment = Comment(text[:2000], AUTHOR)
    comment.width, comment.height = 320, 120
    return comment


def _mark_workbook(
    path: Path, table: readers.Table, by_row: dict[int | None, list[dict[str, Any]]]
) -> Workbook:
    """The user's workbook as it is, with an error column and the wrong cells marked."""
    with path.open("rb") as handle:
        workbook = load_workbook(handle)  # formulas, styles and other sheets kept
    sheet = workbook[table.sheet_name] if table.sheet_name else workbook.worksheets[0]
    column = max(sheet.max_column, len(table.header_cells)) + 1
    header = sheet.cell(row=table.header_line, column=column, value=_("Errors"))
    header.font = Font(bold=True)
    header.fill = ERROR_FILL
    if None in by_row:
        header.comment = _comment("\n".join(e["message"] for e in by_row[None]))
    for row, errors in by_row.items():
        if row is None:
            continue
        cell = sheet.cell(row=row, column=column, value="; ".join(map(_located, errors)))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for error in errors:
            if error.get("letter"):
                marked = sheet[f"{error['letter']}{row}"]
                marked.fill = ERROR_FILL
                marked.comment = _comment(error["message"])
    sheet.column_dimensions[get_column_letter(column)].width = 60
    return workbook


def _rebuilt_workbook(
    table: readers.Table | None,
    by_row: dict[int | None, list[dict[str, Any]]],
    *,
    all_rows: bool,
) -> Workbook:
    """The file's rows at their own row numbers and letters, an error column after them.

    A CSV line N is row N of the sheet; with ``all_rows`` False (a very large file) only
    the rows with errors are written, and a last column gives each one's line.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors") if table is None else _("List"))
    if table is None:  # the file could not be read at all: its errors only
        sheet.append([_("Row"), _("Column"), _("Error")])
        for row, errors in sorted(by_row.items(), key=lambda item: item[0] or 0):
            for error in errors:
                sheet.append([row, error.get("column") or "", error["message"]])
        return workbook
    width = len(table.header_cells)
    extra = [_("Errors")] if all_rows else [_("Errors"), _("Line in the file")]
    written = 0
    if all_rows:
        while written < table.header_line - 1:  # title rows were above the header
            sheet.append([])
            written += 1
    header = [_text_cell(sheet, value) for value in table.header_cells]
    for value in extra:
        cell = _text_cell(sheet, value)
        cell.font = Font(bold=True)
        cell.fill = ERROR_FILL
        header.append(cell)
    if None in by_row:
        header[width].comment = _comment("\n".join(e["message"] for e in by_row[None]))
    sheet.append(header)
    written += 1
    for number, cells in _table_lines(table):
        line_errors = by_row.get(number)
        if not all_rows and not line_errors:
            continue
        if all_rows:
            while written < number - 1:  # blank lines, or a quoted cell over several
                sheet.append([])
                written += 1
        padded = [*cells, *[None] * (width - len(cells))][:width]
        line = [_text_cell(sheet, value) for value in padded]
        for error in line_errors or ():
            index = _letter_index(error.get("letter") or "")
            if index is not None and index < len(line):
                line[index].fill = ERROR_FILL
                line[index].comment = _comment(error["message"])
        line.append(_text_cell(sheet, "; ".join(map(_located, line_errors or ()))))
        if not all_rows:
            line.append(number)
        sheet.append(line)
        written += 1
    return workbook


def _table_lines(table: readers.Table) -> Iterator[tuple[int, list[Any]]]:
    for number, _values, cells in table.rows:
        yield number, cells


def _letter_index(letter: str) -> int | None:
    if not letter:
        return None
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def _text_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # the user's text, never a formula
    return cell


def _marked_headers(language: str) -> list[str]:
    """The template's header row: required columns marked with ``*`` (still matched)."""
    return [
        f"{header} *" if name in REQUIRED_HEADERS else header
        for name, header in zip(FIELDS, template_headers(language), strict=True)
    ]


def _example_row(language: str) -> list[str]:
    """The example person, every value written as the template's language writes it."""
    values = {**dict.fromkeys(FIELDS, ""), **EXAMPLE_VALUES[language]}
    values["birth_date"] = EXAMPLE_BIRTH_DATE
    values["iin"] = EXAMPLE_IIN
    for name, value in EXAMPLE_CHOICES.items():
        values[name] = str(CHOICES[name](value).label)
    return [values[name] for name in FIELDS]


def template_response(*, language: str, kind: str) -> HttpResponse:
    """A list to fill in one language: the header (required columns marked), an example
    row the import leaves out; XLSX adds the IIN column as text, drop-down lists, a sheet
    of the accepted values and an instructions sheet."""
    with translation.override(language):
        headers = _marked_headers(language)
        example = _example_row(language)
        filename = f"respondents-template-{language}.{kind}"
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            writer.writerow(headers)
            writer.writerow(example)
            response = HttpResponse(
                ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8"
            )
        else:
            output = io.BytesIO()
            _template_workbook(language, headers, example).save(output)
            response = HttpResponse(output.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _template_workbook(language: str, headers: list[str], example: list[str]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("List")
    values_title = _("Accepted values")
    sheet.append(headers)
    sheet.append(example)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if name in REQUIRED_HEADERS else HEADER_FILL
        sheet.cell(row=2, column=index).font = Font(italic=True, color="808080")
        sheet.column_dimensions[letter].width = max(14, len(headers[index - 1]) + 4)
        if name == "iin":
            # Text, so that Excel keeps the leading zeros and all 12 digits.
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.cell(row=1, column=FIELDS.index("iin") + 1).comment = _comment(
        _("12 digits; the column is formatted as text so that leading zeros are kept.")
    )
    sheet.cell(row=2, column=1).comment = _comment(
        _("An example: replace it with the first person (it is left out if it stays).")
    )

    values = workbook.create_sheet(values_title)
    choice_fields = [name for name in FIELDS if name in CHOICES]
    for offset, name in enumerate(choice_fields):
        label_column = 2 * offset + 1
        values.cell(row=1, column=label_column, value=HEADERS[name][language][0])
        values.cell(row=1, column=label_column + 1, value=_("Also accepted"))
        for cell in (values.cell(row=1, column=c) for c in (label_column, label_column + 1)):
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        options = CHOICES[name].choices
        for row, (value, label) in enumerate(options, start=2):
            values.cell(row=row, column=label_column, value=str(label))
            words = [w for w in VALUE_WORDS[name].get(value, []) if not w.isascii()]
            also = values.cell(row=row, column=label_column + 1, value=", ".join(words))
            also.alignment = Alignment(wrap_text=True, vertical="top")
        values.column_dimensions[get_column_letter(label_column)].width = 34
        values.column_dimensions[get_column_letter(label_column + 1)].width = 48
        # A drop-down of the labels; other spellings are still accepted when typed.
        letter = get_column_letter(label_column)
        choice = DataValidation(
            type="list",
            formula1=f"'{values_title}'!${letter}$2:${letter}${len(options) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        sheet.add_data_validation(choice)
        column = get_column_letter(FIELDS.index(name) + 1)
        choice.add(f"{column}2:{column}{TEMPLATE_ROWS + 1}")

    instructions = workbook.create_sheet(_("Instructions"))
    instructions.column_dimensions["A"].width = 110
    lines = [
        _("How to fill in the list"),
        _("One row per person, starting under the header. Replace the example row."),
        _("Columns marked * are required; the others may be left empty or deleted."),
        _("Birth date as DD.MM.YYYY, for example 14.03.1990."),
        _(
            "IIN: 12 digits. The column is formatted as text so that Excel keeps leading "
            "zeros; paste IINs as values, keeping that format."
        ),
        _(
            "Sex, citizenship and residence status: choose from the drop-down list; the "
            "sheet “%(sheet)s” lists every spelling that is accepted."
        )
        % {"sheet": values_title},
        _("Country of citizenship: required for foreign citizens."),
        _("Reason IIN is missing: required for a citizen of Kazakhstan who has no IIN."),
        _("Residence status: if the column is deleted, everyone is a permanent resident."),
        _(
            "External reference: the person's number in your own records (optional); "
            "each number may appear only once in the list."
        ),
        _(
            "Save as an Excel workbook (XLSX) or as “CSV UTF-8”: a plain CSV in another "
            "code page loses the Kazakh letters."
        ),
        _(
            "If the file is refused, download the error report: it is your file with an "
            "error column and the wrong cells marked. Correct it and upload it again."
        ),
    ]
    for index, line in enumerate(lines, start=1):
        cell = instructions.cell(row=index, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True)
    instructions["A1"].font = Font(bold=True, size=13)
    return workbook
