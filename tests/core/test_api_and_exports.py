import csv
import io

import pytest
from openpyxl import load_workbook

from census_coord.exports import csv_response, neutralise, xlsx_response


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served_without_cdn(client_for, department_user):
    client = client_for(department_user)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_api_errors_share_one_shape(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    body = response.json()
    assert set(body) == {"code", "message", "errors"}


@pytest.mark.parametrize("value", ["=1+1", "+7 701", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_are_left_alone():
    assert neutralise("Әлия") == "Әлия"
    assert neutralise(-2) == -2


def test_xlsx_and_csv_exports_neutralise_cells():
    rows = [['=HYPERLINK("x")', 1]]
    response = xlsx_response(filename="x.xlsx", headers=["a", "b"], rows=rows)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    streamed = csv_response(filename="x.csv", headers=["a", "b"], rows=rows)
    text = b"".join(streamed.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == '\'=HYPERLINK("x")'
