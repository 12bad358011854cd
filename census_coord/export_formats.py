"""django-import-export formats that neutralise formula cells, like our own exports.

Used by every admin through ``IMPORT_EXPORT_FORMATS``; the library's own
``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only strips a leading ``=``.
"""

from __future__ import annotations

from typing import Any

from import_export.formats.base_formats import CSV, XLSX
from tablib import Dataset

from census_coord.exports import neutralise


def neutralise_dataset(dataset: Dataset) -> Dataset:
    """A copy of ``dataset`` with every text cell, headers included, made inert."""
    safe = Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = [neutralise(header) for header in dataset.headers]
    for row in dataset:
        safe.append([neutralise(cell) for cell in row])
    return safe


class SafeCSV(CSV):
    def export_data(self, dataset: Dataset, **kwargs: Any) -> Any:
        return super().export_data(neutralise_dataset(dataset), **kwargs)


class SafeXLSX(XLSX):
    def export_data(self, dataset: Dataset, **kwargs: Any) -> Any:
        return super().export_data(neutralise_dataset(dataset), **kwargs)
