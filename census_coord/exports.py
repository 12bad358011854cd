"""CSV and XLSX responses for every export in the application.

Every cell passes through ``neutralise`` so that a value a person typed (a name, a note)
can never run as a spreadsheet formula when the file is opened (OWASP ASVS 1.2.10).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    if value is None:
        return ""
    if hasattr(value, "__html__") or not isinstance(value, str | int | float | dt.date | bool):
        value = str(value)
    return neutralise(value)


def xlsx_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = ""
) -> HttpResponse:
    """An XLSX download with a bold header row; written in constant memory per row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(sheet_title or "Sheet1")[:31])
    header_font = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_cell(str(header)))
        cell.font = header_font
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM, so Excel in kk/ru locales reads it right)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow([_cell(str(h)) for h in headers])
        for row in rows:
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
