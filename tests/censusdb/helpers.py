"""Helpers of the census-database tests: an export file from rows, and running it."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.files.base import ContentFile

from censusdb import services
from censusdb.models import CensusExport

HEADER = [
    "Form number", "IIN", "Surname", "Given name", "Patronymic", "Birth date", "Sex",
    "Method", "Completed at", "Tablet", "BIN",
]  # fmt: skip


def form(number: str, person: Any = None, **values: Any) -> dict[str, Any]:
    """One export row, by default for ``person`` (a Respondent) with their IIN."""
    row = {
        "Form number": number,
        "IIN": getattr(person, "iin", ""),
        "Surname": getattr(person, "surname", ""),
        "Given name": getattr(person, "given_name", ""),
        "Patronymic": "",
        "Birth date": f"{person.birth_date:%d.%m.%Y}" if person is not None else "",
        "Sex": "",
        "Method": "online",
        "Completed at": "20.09.2021 10:30",
        "Tablet": "",
        "BIN": person.respondent_list.institution.bin if person is not None else "",
    }
    row.update(values)
    return row


def export_file(rows: list[dict[str, Any]], *, delimiter: str = ";") -> ContentFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return ContentFile(out.getvalue().encode("utf-8-sig"), name="export.csv")


def run_export(actor: Any, rows: list[dict[str, Any]]) -> CensusExport:
    export = services.census_export_create(
        actor=actor, file=export_file(rows), file_name="export.csv"
    )
    return services.census_export_run(export_id=export.pk)
