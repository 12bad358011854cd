"""Formula cells are neutralised in every export, django-import-export's included."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from census_coord.export_formats import SafeCSV, SafeXLSX

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def hostile_institution(institution_a):
    institution_a.name_kk = HOSTILE[0]
    institution_a.head_name = HOSTILE[1]
    institution_a.address = HOSTILE[2]
    institution_a.head_position = HOSTILE[3]
    institution_a.phone = HOSTILE[4]
    institution_a.name_ru = HOSTILE[5]
    institution_a.save()
    return institution_a


def _export(client, file_format: int):
    url = reverse("admin:institutions_institution_export")
    return client.post(
        url,
        {"format": str(file_format), "resource": "0", "export_items": [], **_all_fields()},
    )


def _all_fields():
    from institutions.resources import InstitutionResource

    names = InstitutionResource.Meta.fields
    return {f"institutionresource_{name}": "on" for name in names}


def _cells(values):
    return [str(value) for value in values if value not in (None, "")]


@pytest.mark.parametrize("format_index", [0, 1])
def test_admin_export_neutralises_formulas(
    client_for, department_user, hostile_institution, format_index
):
    response = _export(client_for(department_user), format_index)
    assert response.status_code == 200, response.content[:500]
    if format_index == 0:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        cells = [cell for row in rows for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = _cells(cell for row in sheet.iter_rows(values_only=True) for cell in row)
        # XML reading turns a carriage return into a line feed; the apostrophe stays.
        cells = [cell.replace("\n", "\r") for cell in cells]
    for value in HOSTILE:
        assert "'" + value in cells, value
        assert value not in cells


def test_every_admin_exports_only_through_the_safe_formats():
    for model_admin in admin.site._registry.values():
        formats = getattr(model_admin, "export_formats", None)
        if formats is not None:
            assert set(formats) <= {SafeCSV, SafeXLSX}, type(model_admin).__name__
