"""Downloads of an import: the error report (JSON, XLSX) and the blank templates."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from census_coord.exports import neutralise, xlsx_response
from respondents.importing import readers
from respondents.importing.vocabulary import template_headers
from respondents.models import ImportJob

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def job_errors(job: ImportJob) -> list[dict[str, Any]]:
    """Every error of a job: the stored report, or the preview for a file refused whole."""
    if job.error_report:
        with job.error_report.open("rb") as handle:
            return json.load(handle)
    return [
        {"row": e["row"], "column": e["field"], "code": e["code"], "message": e["message"]}
        for e in job.errors_preview
    ]


def errors_json_response(job: ImportJob) -> HttpResponse:
    filename = f"import-{job.pk}-errors.json"
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


def errors_xlsx_response(job: ImportJob) -> HttpResponse:
    """The rows of the file that have errors, as uploaded, with an error column added."""
    by_row: dict[int | None, list[str]] = defaultdict(list)
    for error in job_errors(job):
        column = f"{error['column']}: " if error["column"] else ""
        by_row[error["row"]].append(f"{column}{error['message']}")
    header: list[str] = []
    rows: list[list[Any]] = [["", *by_row.pop(None)]] if None in by_row else []
    if by_row and job.file:
        try:
            table = readers.open_table(Path(job.file.path), job.file_name)
        except readers.FileRefused:
            table = None
        if table is not None:
            header = table.header_cells
            rows.extend(_rows_with_errors(table.rows, by_row, len(header)))
    return xlsx_response(
        filename=f"import-{job.pk}-errors.xlsx",
        headers=[_("Row"), *header, _("Errors")],
        rows=rows,
        sheet_title=_("Errors"),
    )


def _rows_with_errors(
    rows: Iterator[tuple[int, dict[str, Any], list[Any]]],
    by_row: dict[int | None, list[str]],
    width: int,
) -> Iterator[list[Any]]:
    for number, _values, cells in rows:
        messages = by_row.get(number)
        if messages:
            padded = [*cells, *[""] * (width - len(cells))][:width]
            yield [number, *padded, "; ".join(messages)]


def template_response(*, language: str, kind: str) -> HttpResponse:
    """A blank list in one language: the header row only, so it imports unchanged."""
    headers = template_headers(language)
    filename = f"respondents-template-{language}.{kind}"
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(headers)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "respondents"
        sheet.append([neutralise(header) for header in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(output.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
