"""The import pipeline: files as people make them, all-or-nothing, idempotent re-upload."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from respondents.choices import ListStatus
from respondents.importing.services import import_job_create, import_job_run
from respondents.models import ImportJob, ImportMode, ImportState, ListSize, Respondent
from tests.respondents.factories import RespondentFactory, RespondentListFactory, make_iin
from tests.respondents.import_files import EN_HEADER, csv_bytes, person, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


def run(actor, respondent_list, data: bytes, name: str = "list.csv", mode=ImportMode.APPEND):
    job = import_job_create(
        actor=actor,
        respondent_list=respondent_list,
        upload=io.BytesIO(data),
        file_name=name,
        mode=mode,
        enqueue=False,
    )
    return import_job_run(job_id=job.pk)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_every_encoding_and_separator_is_imported(officer_a, list_a, encoding, delimiter):
    if encoding == "cp1251":  # Windows-1251 has no Kazakh letters: Russian names only
        rows = [person(n, surname="Петров", given_name="Иван") for n in (1, 3, 5)]
    else:
        rows = [person(n) for n in (1, 2, 3)]
    job = run(officer_a, list_a, csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert (job.rows_total, job.rows_added) == (3, 3)
    assert list_a.respondents.count() == 3
    assert list_a.respondents.filter(sex="male", citizenship="citizen").exists()


def test_iso_dates_english_headers_and_title_rows(officer_a, list_a):
    data = csv_bytes(
        [person(1, iso=True), person(2, iso=True)],
        header=EN_HEADER,
        delimiter=",",
        titles=["Respondent list as of 1 June 2021", ""],
    )
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    row = list_a.respondents.get(unit="1")
    assert row.birth_date == dt.date(1925, 4, 24)
    assert row.search_text.startswith("қасымов")


def test_xlsx_with_title_rows_kazakh_headers_and_date_cells(officer_a, list_a):
    rows = [person(n) for n in (1, 2)]
    rows[0][3] = dt.date(1925, 4, 24)  # a real date cell
    born = dt.date(2005, 3, 1)
    rows.append(person(3, birth_date=born, iin=int(make_iin(born, "male"))))  # numeric IIN
    data = xlsx_bytes(rows, titles=["Тізім", "1 маусымдағы жағдай бойынша"])
    job = run(officer_a, list_a, data, name="тізім.xlsx")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert list_a.respondents.count() == 3
    assert list_a.respondents.filter(iin__startswith="05").exists()


def test_file_with_any_invalid_row_changes_nothing_and_reports_every_error(officer_a, list_a):
    RespondentFactory(respondent_list=list_a, surname="Бар")
    first = person(1)
    rows = [first, person(2, surname="R2D2", sex="?"), person(3), list(first)]
    rows[2][6] = "123"
    job = run(officer_a, list_a, csv_bytes(rows))
    assert job.state == ImportState.REJECTED
    assert list_a.respondents.count() == 1
    found = {(e["row"], e["field"], e["code"]) for e in job.errors_preview}
    assert found == {
        (3, "surname", "name_invalid"),
        (3, "sex", "choice_invalid"),
        (4, "iin", "iin_format"),
        (5, "iin", "duplicate_iin"),
    }
    assert job.error_count == 4
    report = json.loads(job.error_report.read())
    assert [item["row"] for item in report] == [3, 3, 4, 5]
    assert set(report[0]) == {"row", "field", "column", "letter", "code", "message"}
    assert (report[0]["column"], report[0]["letter"]) == ("Фамилия", "A")
    assert (report[2]["column"], report[2]["letter"]) == ("ИИН", "G")


def test_reupload_of_the_same_file_adds_nothing_and_says_so(officer_a, list_a):
    data = csv_bytes([person(n) for n in (1, 2, 3)])
    officer_a.language = "en"
    officer_a.save()
    first = run(officer_a, list_a, data)
    second = run(officer_a, list_a, data)
    assert (first.rows_added, second.rows_added, second.rows_skipped) == (3, 0, 3)
    assert second.state == ImportState.SUCCEEDED
    assert "already imported" in second.message
    assert list_a.respondents.count() == 3


def test_append_adds_only_new_people_and_replace_swaps_the_list(officer_a, list_a):
    one, two = person(1), person(2)
    run(officer_a, list_a, csv_bytes([one, two]))
    grown = run(officer_a, list_a, csv_bytes([one, two, person(3)]))
    assert (grown.rows_added, grown.rows_skipped) == (1, 2)
    replaced = run(officer_a, list_a, csv_bytes([person(7)]), mode=ImportMode.REPLACE)
    assert (replaced.rows_added, replaced.rows_removed) == (1, 3)
    assert list(list_a.respondents.values_list("unit", flat=True)) == ["7"]


def test_a_repeat_found_after_batches_were_written_leaves_the_list_as_it_was(
    officer_a, list_a, monkeypatch
):
    # Clean batches are written as they come; a repeat is only known at the end.
    monkeypatch.setattr("respondents.importing.pipeline.BATCH_ROWS", 2)
    run(officer_a, list_a, csv_bytes([person(n) for n in (1, 2, 3)]))
    rows = [person(n) for n in (4, 5, 6, 7, 8)]
    for mode in (ImportMode.APPEND, ImportMode.REPLACE):
        job = run(officer_a, list_a, csv_bytes([*rows, rows[0]]), mode=mode)
        assert job.state == ImportState.REJECTED
        assert (job.rows_added, job.rows_removed) == (0, 0)
        assert [(e["row"], e["code"]) for e in job.errors_preview] == [(7, "duplicate_iin")]
        assert sorted(list_a.respondents.values_list("unit", flat=True)) == ["1", "2", "3"]
        assert ListSize.objects.get(respondent_list=list_a).rows == 3
    grown = run(officer_a, list_a, csv_bytes([person(n) for n in (1, 2, 3, 4, 5, 6)]))
    assert (grown.rows_added, grown.rows_skipped) == (3, 3)
    assert list(list_a.respondents.order_by("pk").values_list("unit", flat=True)) == [
        "1", "2", "3", "4", "5", "6"
    ]  # fmt: skip


def test_people_without_iin_are_matched_on_names_and_birth_date(officer_a, list_a):
    row = person(1, iin="", citizenship="stateless")
    job = run(officer_a, list_a, csv_bytes([row, [*row[:8], "9"]]))
    assert job.state == ImportState.REJECTED
    assert job.errors_preview[0]["code"] == "duplicate_person"
    run(officer_a, list_a, csv_bytes([row]))
    again = run(officer_a, list_a, csv_bytes([row]))
    assert (again.rows_added, again.rows_skipped) == (0, 1)


def test_officer_cannot_import_into_another_institution_or_a_submitted_list(
    officer_a, institution_b, list_a
):
    list_b = RespondentListFactory(institution=institution_b)
    with pytest.raises(PermissionDenied):
        run(officer_a, list_b, csv_bytes([person(1)]))
    list_a.status = ListStatus.SUBMITTED
    list_a.save()
    with pytest.raises(ValidationError):
        run(officer_a, list_a, csv_bytes([person(1)]))


def test_department_may_import_into_any_draft_list(department_user, list_a):
    job = run(department_user, list_a, csv_bytes([person(1)]))
    assert job.state == ImportState.SUCCEEDED


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "file_empty"),
        (b"\xd0\xcf\x11\xe0 old excel", "a.xls", "file_type"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "file_format"),
    ],
)
def test_files_that_are_no_list_are_refused_before_a_job(officer_a, list_a, data, name, code):
    with pytest.raises(ValidationError) as refused:
        run(officer_a, list_a, data, name=name)
    assert refused.value.error_dict["file"][0].code == code
    assert not ImportJob.objects.exists()
    assert not Respondent.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"just some text\r\nno header here\r\n", "header_missing"),
        ("Фамилия;Имя;Пол\r\nА;Б;М\r\n".encode(), "columns_missing"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_error(officer_a, list_a, data, code):
    job = run(officer_a, list_a, data, name="a.csv")
    assert job.state == ImportState.REJECTED
    assert job.errors_preview[0]["code"] == code
    assert job.message
    assert not Respondent.objects.exists()


def test_limits_on_size_and_rows_are_configurable(officer_a, list_a):
    data = csv_bytes([person(n) for n in (1, 2, 3)])
    with override_settings(RESPONDENT_IMPORT_MAX_ROWS=2):
        job = run(officer_a, list_a, data)
    assert job.errors_preview[0]["code"] == "too_many_rows"
    with override_settings(RESPONDENT_IMPORT_MAX_BYTES=100), pytest.raises(ValidationError):
        run(officer_a, list_a, data)
    assert not Respondent.objects.exists()


def test_xlsx_zip_bomb_is_refused_before_reading(officer_a, list_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        run(officer_a, list_a, buffer.getvalue(), name="bomb.xlsx")
    assert refused.value.error_dict["file"][0].code == "xlsx_unsafe"


def test_xlsx_with_a_huge_dimension_tag_is_read_by_its_rows(officer_a, list_a):
    data = xlsx_bytes([person(1)])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<dimension ref="A1:I5"/>', b'<dimension ref="A1:XFD1048576"/>'
                )
            archive.writestr(item, content)
    job = run(officer_a, list_a, buffer.getvalue(), name="big.xlsx")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert job.rows_added == 1


def test_job_is_rejected_when_the_list_was_submitted_before_it_ran(officer_a, list_a):
    job = import_job_create(
        actor=officer_a,
        respondent_list=list_a,
        upload=io.BytesIO(csv_bytes([person(1)])),
        file_name="late.csv",
        enqueue=False,
    )
    list_a.status = ListStatus.SUBMITTED
    list_a.save()
    job = import_job_run(job_id=job.pk)
    assert job.state == ImportState.REJECTED
    assert job.errors_preview[0]["code"] == "list_status"
    assert not list_a.respondents.exists()


def test_job_messages_are_in_the_uploaders_language(officer_a, list_a):
    officer_a.language = "ru"
    officer_a.save()
    job = run(officer_a, list_a, csv_bytes([person(1, surname="X1")]))
    assert job.message.startswith("Найдена 1 ошибка")


def test_windows_1251_file_with_russian_names_far_below_an_ascii_header(officer_a, list_a):
    plain = {"surname": "Ivanov", "given_name": "Ivan", "sex": "male", "citizenship": "citizen"}
    ascii_rows = [person(n, residence_status="permanent", **plain) for n in range(1, 4001, 2)]
    data = csv_bytes(
        [*ascii_rows, person(4001, surname="Петров", given_name="Иван")],
        header=EN_HEADER,
        encoding="cp1251",
    )
    assert data[: 64 * 1024].isascii()
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert list_a.respondents.filter(surname="Петров").exists()
