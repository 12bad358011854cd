"""One field schema of a respondent row (issue 14 item 5) and the external reference it
carries through every entry point (issue 19 item 1): the form, the file import (CSV and
XLSX) and the REST rows API."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from bench import import_bench
from respondents import services, validation
from respondents.api.serializers import RespondentInputSerializer, RespondentSerializer
from respondents.forms import ArrivalForm, RespondentForm
from respondents.importing import pipeline, readers, vocabulary
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportMode, ImportState, Respondent
from respondents.row_schema import FIELD_NAMES, PRINTED_FIELDS, ROW_FIELDS
from respondents.views import EXPORT_HEADERS
from tests.factories import api_client_key
from tests.respondents.factories import RespondentFactory, RespondentListFactory, row_data
from tests.respondents.import_files import KK_HEADER, RU_HEADER, csv_bytes, person, xlsx_bytes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
# What a row holds besides the schema's fields: its list, amendments and bookkeeping.
NOT_ROW_FIELDS = {
    "id",
    "respondent_list",
    "arrived_on",
    "departed_on",
    "departure_reason",
    "search_text",
    "created_at",
    "updated_at",
}


# --- the schema is the only list -------------------------------------------------------


def test_every_entry_point_reads_the_schemas_fields_in_its_order():
    names = list(FIELD_NAMES)
    assert list(RespondentForm.base_fields) == names
    assert list(ArrivalForm.base_fields)[: len(names)] == names
    assert list(RespondentInputSerializer().fields) == names
    output = list(RespondentSerializer().fields)
    assert output[1 : len(names) + 1] == names
    assert list(vocabulary.HEADERS) == names
    assert list(validation.FIELDS) == names
    assert list(services.ROW_FIELDS) == names
    assert list(pipeline.VALUE_COLUMNS) == [*names, "search_text"]
    assert import_bench._header() == names
    result = validation.validate_row(row_data(), reference_date=dt.date(2021, 10, 1))
    assert set(result.values) == set(names)
    assert len(vocabulary.template_headers("kk")) == len(names)


def test_the_paper_list_and_the_admin_show_the_printed_fields(institution_a):
    from respondents.admin import RespondentAdmin
    from respondents.list_paper import paper_rows

    printed = [field.name for field in PRINTED_FIELDS]
    assert list(RespondentAdmin.list_display) == [*printed, "respondent_list"]
    row = RespondentFactory(
        respondent_list=RespondentListFactory(institution=institution_a),
        citizenship="foreign",
        citizenship_country="Ресей",
        iin="",
        birth_date=dt.date(1990, 3, 14),
    )
    with translation.override("ru"):
        (cells,) = paper_rows([row])
    assert len(cells) == len(printed)
    assert cells[printed.index("birth_date")] == "14.03.1990"
    assert cells[printed.index("citizenship")].endswith("(Ресей)")
    assert cells[printed.index("iin")] == "—"


def test_the_model_has_no_row_field_the_schema_does_not_declare():
    stored = {field.name for field in Respondent._meta.get_fields() if field.concrete}
    assert stored - NOT_ROW_FIELDS == set(FIELD_NAMES)


def test_labels_are_the_models_verbose_names_in_every_language():
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            form = RespondentForm()
            export = [str(header) for header in EXPORT_HEADERS]
            for field in ROW_FIELDS:
                label = str(capfirst(Respondent._meta.get_field(field.name).verbose_name))
                assert str(form.fields[field.name].label) == label
                assert (label in export) == field.exported
    with translation.override("ru"):
        assert str(RespondentForm().fields["external_ref"].label) == "Внешний номер"
        assert str(RespondentForm().fields["iin_absent_reason"].label) == "Причина отсутствия ИИН"


def test_no_module_lists_the_row_fields_again():
    """A literal tuple, list or set naming five or more of the row's fields, anywhere in
    the application code or the import bench, is a second list of them."""
    fields = set(FIELD_NAMES)
    offenders = []
    files = [
        *ROOT.glob("respondents/**/*.py"),
        *ROOT.glob("enumeration/**/*.py"),
        ROOT / "bench" / "import_bench.py",
    ]
    for path in files:
        if "migrations" in path.parts or path.name == "row_schema.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                named = {
                    elt.value
                    for elt in node.elts
                    if isinstance(elt, ast.Constant) and elt.value in fields
                }
                if len(named) >= 5:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_required_columns_and_defaults_come_from_the_schema():
    required = ("surname", "given_name", "birth_date", "sex", "citizenship")
    assert required == vocabulary.REQUIRED_HEADERS
    assert vocabulary.COLUMN_DEFAULTS == {"residence_status": "permanent"}
    assert set(vocabulary.CHOICES) == {"sex", "citizenship", "residence_status"}
    with translation.override("kk"):
        assert readers.header_name("external_ref") == "Сыртқы сілтеме"


# --- external_ref through the form ------------------------------------------------------


def _form(data):
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def test_external_ref_through_the_form_trimmed_and_unique_in_the_list(client_for, officer_a):
    respondent_list = RespondentListFactory(institution=officer_a.institution)
    client = client_for(officer_a)
    add = reverse("respondents:row_add", args=[respondent_list.pk])
    page = client.get(add).content.decode()
    assert 'name="external_ref"' in page
    response = client.post(add, _form(row_data(external_ref="  ЖТ-0042 ")))
    assert response.status_code == 302
    row = respondent_list.respondents.get()
    assert row.external_ref == "ЖТ-0042"

    officer_a.language = "ru"
    officer_a.save()
    response = client.post(
        add, _form(row_data(surname="Петров", external_ref="ЖТ-0042")), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["external_ref"]
    assert errors == [f"Этот внешний номер уже есть в списке ({row.full_name})."]
    assert respondent_list.respondents.count() == 1

    # Editing the row keeps its own reference; another row may not take it.
    edit = reverse("respondents:row_edit", args=[respondent_list.pk, row.pk])
    assert client.post(edit, _form(row_data(external_ref="ЖТ-0042", unit="9"))).status_code == 302
    other = RespondentFactory(respondent_list=respondent_list, external_ref="ЖТ-0043")
    edit_other = reverse("respondents:row_edit", args=[respondent_list.pk, other.pk])
    data = {name: getattr(other, name) for name in FIELD_NAMES} | {"external_ref": "ЖТ-0042"}
    response = client.post(edit_other, _form(data))
    assert response.status_code == 200
    assert "external_ref" in response.context["form"].errors
    other.refresh_from_db()
    assert other.external_ref == "ЖТ-0043"


def test_an_external_ref_longer_than_64_is_refused_by_the_rules():
    result = validation.validate_row(
        row_data(external_ref="R" * 65), reference_date=dt.date(2021, 10, 1)
    )
    assert [(e.field, e.code) for e in result.errors] == [("external_ref", "external_ref_too_long")]
    ok = validation.validate_row(
        row_data(external_ref="R" * 64), reference_date=dt.date(2021, 10, 1)
    )
    assert ok.is_valid


# --- external_ref through the file import -----------------------------------------------


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


def _run(actor, respondent_list, data, name, mode=ImportMode.APPEND):
    job = import_job_create(
        actor=actor,
        respondent_list=respondent_list,
        upload=io.BytesIO(data),
        file_name=name,
        mode=mode,
        enqueue=False,
    )
    return import_job_run(job_id=job.pk)


# A CSV with Russian headers, a workbook with Kazakh ones, each naming the reference column.
FILES = [("csv", "Внешний номер"), ("xlsx", "Сыртқы сілтеме")]


def _file(kind, rows, *, header_word):
    if kind == "csv":
        return csv_bytes(rows, header=[*RU_HEADER, header_word]), "list.csv"
    return xlsx_bytes(rows, header=[*KK_HEADER, header_word]), "list.xlsx"


@pytest.mark.parametrize(("kind", "header_word"), FILES)
def test_a_file_with_external_refs_is_imported_and_reimported_without_change(
    officer_a, list_a, kind, header_word
):
    rows = [[*person(1), " A-1 "], [*person(2), "A-2"], [*person(3), ""]]
    data, name = _file(kind, rows, header_word=header_word)
    job = _run(officer_a, list_a, data, name)
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    refs = sorted(list_a.respondents.values_list("external_ref", flat=True))
    assert refs == ["", "A-1", "A-2"]
    again = _run(officer_a, list_a, data, name)
    assert again.state == ImportState.SUCCEEDED, again.errors_preview
    assert (again.rows_added, again.rows_skipped) == (0, 3)


@pytest.mark.parametrize(
    ("kind", "header_word", "language", "expected"),
    [
        (
            "csv",
            "Внешний номер",
            "ru",
            "Строка {line}: то же значение «Внешний номер», что в строке {first}.",
        ),
        (
            "xlsx",
            "Сыртқы сілтеме",
            "kk",
            "{line}-жол: «Сыртқы сілтеме» мәні {first}-жолдағымен бірдей.",
        ),
    ],
)
def test_a_reference_repeated_in_the_file_is_a_row_error_naming_the_column(
    officer_a, list_a, kind, header_word, language, expected
):
    officer_a.language = language
    officer_a.save()
    rows = [[*person(1), "A-1"], [*person(2), "A-2"], [*person(3), "A-1"]]
    data, name = _file(kind, rows, header_word=header_word)
    job = _run(officer_a, list_a, data, name)
    assert job.state == ImportState.REJECTED
    line = 4 if kind == "csv" else 5  # the CSV header is line 1; the sheet's is row 2
    first = line - 2
    errors = job.errors_preview
    assert [(e["row"], e["field"], e["code"], e["column"]) for e in errors] == [
        (line, "external_ref", "duplicate_external_ref", header_word)
    ]
    assert errors[0]["message"] == expected.format(line=line, first=first)
    assert not list_a.respondents.exists()


@pytest.mark.parametrize(("kind", "header_word"), FILES)
def test_a_reference_another_person_on_the_list_has_is_a_row_error(
    officer_a, list_a, kind, header_word
):
    officer_a.language = "ru"
    officer_a.save()
    RespondentFactory(respondent_list=list_a, surname="Петров", external_ref="A-7")
    rows = [[*person(1), "A-1"], [*person(2), "A-7"]]
    data, name = _file(kind, rows, header_word=header_word)
    job = _run(officer_a, list_a, data, name)
    assert job.state == ImportState.REJECTED
    line = 3 if kind == "csv" else 4
    errors = job.errors_preview
    assert [(e["row"], e["field"], e["code"], e["column"]) for e in errors] == [
        (line, "external_ref", "duplicate_external_ref", header_word)
    ]
    assert errors[0]["message"] == (
        f"Строка {line}: у другого человека в списке уже есть такое значение «{header_word}»."
    )
    assert list_a.respondents.count() == 1
    # Replacing the list: the reference is free again.
    replaced = _run(officer_a, list_a, data, name, mode=ImportMode.REPLACE)
    assert replaced.state == ImportState.SUCCEEDED, replaced.errors_preview
    assert sorted(list_a.respondents.values_list("external_ref", flat=True)) == ["A-1", "A-7"]


def test_a_reference_on_the_list_is_reported_with_the_files_other_errors(officer_a, list_a):
    RespondentFactory(respondent_list=list_a, surname="Петров", external_ref="A-7")
    rows = [[*person(1, birth_date="31.02.1990"), "A-1"], [*person(2), "A-7"]]
    data, name = _file("csv", rows, header_word="external_ref")
    job = _run(officer_a, list_a, data, name)
    assert job.state == ImportState.REJECTED
    assert [(e["row"], e["code"]) for e in job.errors_preview] == [
        (2, "date_invalid"),
        (3, "duplicate_external_ref"),
    ]
    assert "«external_ref»" in job.errors_preview[1]["message"]  # the file's own header


def test_a_too_long_reference_in_a_file_is_a_row_error(officer_a, list_a):
    data, name = _file("csv", [[*person(1), "R" * 65]], header_word="external_ref")
    job = _run(officer_a, list_a, data, name)
    assert job.state == ImportState.REJECTED
    assert [(e["row"], e["code"]) for e in job.errors_preview] == [(2, "external_ref_too_long")]


# --- external_ref through the REST rows API ---------------------------------------------


@pytest.fixture
def token_a(officer_a):
    return {"HTTP_AUTHORIZATION": f"Token {api_client_key(institution=officer_a.institution)}"}


def _json_row(**overrides):
    data = row_data(**overrides)
    data["birth_date"] = data["birth_date"].isoformat()
    return data


def test_rest_rows_carry_the_external_ref(client, token_a, list_a):
    base = f"{API}/respondent-lists/{list_a.pk}/respondents/"
    created = client.post(
        base, _json_row(external_ref=" 1C-0001 "), content_type="application/json", **token_a
    )
    assert created.status_code == 201, created.json()
    assert created.json()["external_ref"] == "1C-0001"
    url = f"{base}{created.json()['id']}/"
    assert client.get(url, **token_a).json()["external_ref"] == "1C-0001"

    taken = client.post(
        base,
        _json_row(surname="Петров", external_ref="1C-0001"),
        content_type="application/json",
        **token_a,
    )
    assert taken.status_code == 400
    assert [(e["field"], e["code"]) for e in taken.json()["errors"]] == [
        ("external_ref", "duplicate_external_ref")
    ]
    changed = client.patch(
        url, {"external_ref": "1C-0002"}, content_type="application/json", **token_a
    )
    assert changed.status_code == 200
    assert changed.json()["external_ref"] == "1C-0002"


def test_a_rest_batch_with_a_repeated_reference_is_refused_naming_the_row(client, token_a, list_a):
    url = f"{API}/respondent-lists/{list_a.pk}/respondents/batch/"
    rows = [
        _json_row(external_ref="X-1"),
        _json_row(surname="Петров", external_ref="X-2"),
        _json_row(surname="Иванов", external_ref="X-1"),
    ]
    response = client.post(url, {"rows": rows}, content_type="application/json", **token_a)
    assert response.status_code == 400
    body = response.json()
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (3, "external_ref", "duplicate_external_ref")
    ]
    assert "external_ref" in body["errors"][0]["message"]
    assert not list_a.respondents.exists()
    ok = client.post(url, {"rows": rows[:2]}, content_type="application/json", **token_a)
    assert ok.status_code == 201
    assert sorted(list_a.respondents.values_list("external_ref", flat=True)) == ["X-1", "X-2"]


def test_another_institution_cannot_reach_a_row_by_the_api(client, token_a, institution_b):
    list_b = RespondentListFactory(institution=institution_b)
    row = RespondentFactory(respondent_list=list_b, external_ref="B-1")
    url = f"{API}/respondent-lists/{list_b.pk}/respondents/{row.pk}/"
    assert client.get(url, **token_a).status_code == 404
    assert (
        client.patch(
            url, {"external_ref": "A-1"}, content_type="application/json", **token_a
        ).status_code
        == 404
    )
    row.refresh_from_db()
    assert row.external_ref == "B-1"
