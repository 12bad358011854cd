"""Files as institution staff really save them (Excel and LibreOffice in kk and ru locales).

Every file is built here; each test checks the rows stored, or the exact code and message
of a refusal, and that a refused file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from respondents.importing.reports import errors_xlsx_response, template_response
from respondents.importing.services import import_job_create, import_job_run
from respondents.importing.vocabulary import VALUE_WORDS, fold_value, value_lookup
from respondents.models import ImportJob, ImportState, Respondent
from tests.factories import api_client_key
from tests.respondents.factories import RespondentListFactory
from tests.respondents.import_files import (
    KK_HEADER,
    RU_HEADER,
    csv_bytes,
    encrypted,
    ods_bytes,
    person,
    unique_iin,
    with_cached_values,
    with_content,
    workbook_bytes,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def list_a(institution_a):
    return RespondentListFactory(institution=institution_a)


@pytest.fixture
def officer_ru(officer_a):
    officer_a.language = "ru"
    officer_a.save()
    return officer_a


def run(actor, respondent_list, data: bytes, name: str = "list.csv"):
    job = import_job_create(
        actor=actor,
        respondent_list=respondent_list,
        upload=io.BytesIO(data),
        file_name=name,
        enqueue=False,
    )
    return import_job_run(job_id=job.pk)


def refused_before_a_job(actor, respondent_list, data: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        run(actor, respondent_list, data, name=name)
    assert not ImportJob.objects.exists()
    return refused.value.error_dict["file"][0]


def stored(respondent_list) -> list[tuple[str, str]]:
    return list(respondent_list.respondents.order_by("unit").values_list("surname", "given_name"))


# --- 1. Excel's "Unicode Text" ------------------------------------------------------------


def test_excel_unicode_text_utf16_with_tabs_is_read(officer_a, list_a):
    data = csv_bytes([person(1), person(2)], header=KK_HEADER, delimiter="\t", encoding="utf-16")
    assert data[:2] == b"\xff\xfe"
    job = run(officer_a, list_a, data, name="тізім.txt")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert stored(list_a) == [("Қасымов", "Нұрлан"), ("Әлиева", "Айгүл")]


# --- 2. Kazakh letters lost to a code page ----------------------------------------------


def test_kazakh_letters_lost_in_a_code_page_are_refused_with_how_to_save(officer_ru, list_a):
    data = (
        csv_bytes([person(1), person(2)], header=KK_HEADER)
        .decode()
        .encode("cp1251", errors="replace")
    )
    job = run(officer_ru, list_a, data)
    assert job.state == ImportState.REJECTED
    assert job.errors_preview[0]["code"] == "letters_lost"
    assert "вопросительные знаки" in job.message
    assert "CSV UTF-8" in job.message
    assert not Respondent.objects.exists()


def test_lost_letters_in_names_under_a_russian_header_are_refused_too(officer_a, list_a):
    data = (
        csv_bytes([person(3, surname="Петров"), person(1)])
        .decode()
        .encode("cp1251", errors="replace")
    )
    job = run(officer_a, list_a, data)
    assert job.errors_preview[0]["code"] == "letters_lost"
    assert "(2-жол)" in job.message  # Н?рлан, in the officer's Kazakh
    assert not Respondent.objects.exists()


# --- 3. Look-alike letters ----------------------------------------------------------------


def test_latin_look_alikes_inside_cyrillic_names_are_stored_in_cyrillic(officer_a, list_a):
    header = [*RU_HEADER, "Страна гражданства"]
    rows = [
        [*person(1, surname="Kаcымов", given_name="Нұрлaн"), ""],  # Latin K, c, a
        # A Cyrillic о inside a Latin name.
        [*person(3, surname="Smith", given_name="Jоhn", citizenship="иностранец", iin=""), "UK"],
    ]
    job = run(officer_a, list_a, csv_bytes(rows, header=header))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert stored(list_a) == [("Касымов", "Нұрлан"), ("Smith", "John")]
    assert list_a.respondents.filter(search_text__startswith="касымов нұрлан").exists()


def test_a_word_mixing_scripts_beyond_look_alikes_is_a_row_error_naming_it(officer_a, list_a):
    job = run(officer_a, list_a, csv_bytes([person(1, surname="Ивanов")]))
    assert job.state == ImportState.REJECTED
    (error,) = job.errors_preview
    assert (error["code"], error["column"], error["letter"]) == (
        "name_mixed_script",
        "Фамилия",
        "A",
    )
    assert "Ивanов" in error["message"]
    assert not Respondent.objects.exists()


# --- 4. Optional columns ----------------------------------------------------------------


def test_a_file_without_residence_status_imports_everyone_as_permanent(officer_a, list_a):
    header = [name for name in RU_HEADER if name != "Статус проживания"]
    rows = [[v for i, v in enumerate(person(n)) if i != 7] for n in (1, 2)]
    job = run(officer_a, list_a, csv_bytes(rows, header=header))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert set(list_a.respondents.values_list("residence_status", flat=True)) == {"permanent"}


def test_a_missing_iin_column_is_one_file_message_naming_it_in_the_users_language(
    officer_ru, list_a
):
    header = [name for name in RU_HEADER if name != "ИИН"]
    rows = [[v for i, v in enumerate(person(n)) if i != 6] for n in range(1, 8)]
    job = run(officer_ru, list_a, csv_bytes(rows, header=header))
    assert job.state == ImportState.REJECTED
    assert job.error_count == 1
    (error,) = job.errors_preview
    assert (error["row"], error["field"], error["code"]) == (None, "iin", "column_missing")
    assert error["message"] == (
        "В файле нет столбца «ИИН»: 7 гражданам Казахстана нужен ИИН (или причина его "
        "отсутствия). Добавьте столбец; первые строки: 2, 3, 4, 5, 6."
    )
    assert not Respondent.objects.exists()


def test_a_missing_required_column_is_named_by_its_header_not_a_code(officer_ru, list_a):
    job = run(officer_ru, list_a, "Фамилия;Имя;Пол\r\nА;Б;М\r\n".encode())
    assert job.errors_preview[0]["code"] == "columns_missing"
    assert job.message == "В файле нет столбцов: «Дата рождения», «Гражданство»."


# --- 5. Values as people write them -----------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "citizenship", "status"),
    [
        ("мужчина", "Республика Казахстан", "постоянно проживающий"),
        ("ЕРКЕК", "Қазақстан Республикасы", "тұрақты тұратын"),
        ("муж.", "гражданин Республики Казахстан", "Постоянно проживает"),
        ("ер", "Казакстан Республикасы", "туракты"),  # Kazakh letters typed as Russian ones
        ("M", "PK", "permanent"),  # a Latin Р and К typed for РК
    ],
)
def test_fuller_spellings_of_every_choice_are_accepted(officer_a, list_a, sex, citizenship, status):
    row = person(1, sex=sex, citizenship=citizenship, residence_status=status)
    job = run(officer_a, list_a, csv_bytes([row]))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    saved = list_a.respondents.get()
    assert (saved.sex, saved.citizenship, saved.residence_status) == (
        "male",
        "citizen",
        "permanent",
    )


def test_female_and_temporary_forms_in_both_languages(officer_a, list_a):
    rows = [
        person(2, sex="женщина", residence_status="временно отсутствующая"),
        person(4, sex="әйел", residence_status="уақытша келген"),
        person(6, sex="Ж", residence_status="временно пребывающая"),
    ]
    job = run(officer_a, list_a, csv_bytes(rows))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert set(list_a.respondents.values_list("sex", "residence_status")) == {
        ("female", "temporarily_absent"),
        ("female", "temporarily_present"),
    }


def test_an_unknown_value_is_quoted_with_the_accepted_values(officer_ru, list_a):
    job = run(officer_ru, list_a, csv_bytes([person(1, residence_status="в отпуске")]))
    (error,) = job.errors_preview
    assert (error["code"], error["column"], error["letter"]) == (
        "choice_invalid",
        "Статус проживания",
        "H",
    )
    assert error["message"] == (
        "«в отпуске» — не из принятых значений: Постоянно проживающий; Временно "
        "отсутствующий; Временно проживающий или прибывший."
    )


def test_no_word_names_two_values_of_a_choice():
    for field, words in VALUE_WORDS.items():
        lookup = value_lookup(field)
        for value, spellings in words.items():
            for word in spellings:
                assert lookup[fold_value(word)] == value, (field, word)


# --- 6. ODS -----------------------------------------------------------------------------


def test_libreoffice_ods_is_read(officer_a, list_a):
    rows = [person(1), person(2)]
    rows[0][3] = dt.date(1925, 4, 24)  # a date cell
    data = ods_bytes(rows)
    job = run(officer_a, list_a, data, name="список.ods")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert list_a.respondents.get(unit="1").birth_date == dt.date(1925, 4, 24)
    assert list_a.respondents.count() == 2


def test_an_ods_with_an_error_names_its_cell(officer_a, list_a):
    job = run(officer_a, list_a, ods_bytes([person(1), person(2, sex="?")]), name="a.ods")
    (error,) = job.errors_preview
    assert (error["row"], error["letter"], error["column"]) == (3, "E", "Пол")


# --- 7. CSV and XLSX agree on IINs --------------------------------------------------------


def test_an_iin_that_lost_its_leading_zero_is_restored_in_csv_and_xlsx(
    officer_a, officer_b, institution_b, list_a
):
    born = dt.date(2005, 3, 1)
    iin = unique_iin(3, born, "male")
    assert iin.startswith("0")
    csv_row = person(3, birth_date="01.03.2005", iin=iin[1:])
    job = run(officer_a, list_a, csv_bytes([csv_row]))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert list_a.respondents.get().iin == iin
    other = RespondentListFactory(institution=institution_b)
    xlsx_row = person(3, birth_date=born, iin=int(iin))
    job = run(officer_b, other, xlsx_bytes([xlsx_row], header=RU_HEADER), name="a.xlsx")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert other.respondents.get().iin == iin


def test_an_iin_in_scientific_notation_says_to_format_the_column_as_text(officer_ru, list_a):
    job = run(officer_ru, list_a, csv_bytes([person(1, iin="8,50315E+11")]))
    (error,) = job.errors_preview
    assert error["code"] == "iin_scientific"
    assert "формат «Текстовый»" in error["message"]
    assert not Respondent.objects.exists()


# --- 8. Footer lines ----------------------------------------------------------------------


def test_footer_lines_under_the_list_are_skipped_and_reported(officer_ru, list_a):
    footer = [
        ["Итого: 2 человека", "", "", "", "", "", "", "", ""],
        ["Директор", "________", "Иванов И.И.", "", "", "", "", "", ""],
        ["", "", "", "01.06.2021", "", "", "", "", ""],
        ["М.П.", "", "", "", "", "", "", "", ""],
    ]
    job = run(officer_ru, list_a, csv_bytes([person(1), person(2), *footer]))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert job.rows_added == 2
    assert "пропущены: 4, 5, 6, 7" in job.message


def test_a_line_between_people_is_still_an_error(officer_a, list_a):
    rows = [person(1), ["Итого", "", "", "", "", "", "", "", ""], person(2)]
    job = run(officer_a, list_a, csv_bytes(rows))
    assert job.state == ImportState.REJECTED
    assert {error["row"] for error in job.errors_preview} == {3}


# --- 9. More of the same family ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "born"),
    [
        ("24/04/1925", dt.date(1925, 4, 24)),
        ("24.4.25", dt.date(1925, 4, 24)),
        ("24-04-1925", dt.date(1925, 4, 24)),
        ("24.04.1925 0:00:00", dt.date(1925, 4, 24)),
    ],
)
def test_dates_typed_in_other_common_forms(officer_a, list_a, typed, born):
    job = run(officer_a, list_a, csv_bytes([person(1, birth_date=typed)]))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert list_a.respondents.get().birth_date == born


def test_names_in_capitals_are_stored_in_the_usual_case(officer_a, list_a):
    row = person(1, surname="ҚАСЫМОВ-ИВАНОВ", given_name="НҰРЛАН", patronymic="О'НИЛ")
    job = run(officer_a, list_a, csv_bytes([row]))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    saved = list_a.respondents.get()
    assert (saved.surname, saved.given_name, saved.patronymic) == (
        "Қасымов-Иванов",
        "Нұрлан",
        "О'Нил",
    )


def test_the_list_on_a_later_sheet_with_hidden_rows_columns_and_formulas(officer_a, list_a):
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Титул"
    cover.append(["Список респондентов на 1 июня 2021 года"])
    sheet = workbook.create_sheet("Список")
    sheet.append([*RU_HEADER, "Возраст"])
    for number in (1, 2, 3):
        row = sheet.max_row + 1
        sheet.append([*person(number), f"=2021-YEAR(D{row})"])
    sheet.row_dimensions[3].hidden = True  # filtered out of view, still on the list
    sheet.column_dimensions["I"].hidden = True
    sheet["B4"] = '=PROPER("АЙГҮЛ")'  # a formula in a known column, with its value saved
    data = with_cached_values(workbook_bytes(workbook), {"B4": "Айгүл"}, sheet=2)
    job = run(officer_a, list_a, data, name="список.xlsx")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert job.rows_added == 3
    assert list_a.respondents.get(unit="3").given_name == "Айгүл"
    assert list_a.respondents.filter(unit="2").exists()  # the hidden row


def test_a_password_protected_workbook_is_refused_clearly(officer_ru, list_a):
    data = encrypted(xlsx_bytes([person(1)]), password="pass-1")
    refusal = refused_before_a_job(officer_ru, list_a, data, "список.xlsx")
    assert refusal.code == "file_encrypted"
    assert "защищена паролем" in refusal.messages[0]


def test_quoted_line_breaks_inside_csv_cells(officer_a, list_a):
    data = csv_bytes(
        [[*person(1), '"комната у окна\r\nвторой этаж"'], [*person(2), "x"], [*person(3), "2"]],
        header=[*RU_HEADER, "Примечание"],
    )
    job = run(officer_a, list_a, data)
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert list_a.respondents.get(unit="1").note == "комната у окна\r\nвторой этаж"
    assert job.rows_added == 3


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_comma_or_semicolon_on_a_file_of_one_person(officer_a, list_a, delimiter):
    header = ["Фамилия", "Имя", "Дата рождения", "Пол", "Гражданство", "ИИН"]
    row = [person(1)[i] for i in (0, 1, 3, 4, 5, 6)]
    job = run(officer_a, list_a, csv_bytes([row], header=header, delimiter=delimiter))
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert job.rows_added == 1


# --- 10. Refusals before a job, in the uploader's language --------------------------------


@pytest.mark.parametrize(
    ("data", "name", "code", "message"),
    [
        (b"", "a.csv", "file_empty", "Файл бос."),
        (b"%PDF-1.7 a scan", "a.pdf", "file_type", None),
        (b"\xd0\xcf\x11\xe0 old excel", "a.xls", "file_type", None),
        (b"Surname;Given name\r\n", "a.docx", "file_type", None),
    ],
)
def test_refusals_before_a_job_are_in_the_uploaders_language_with_a_code(
    officer_a, list_a, data, name, code, message
):
    officer_a.language = "kk"
    officer_a.save()
    with translation.override("en"):  # the request's language does not decide
        refusal = refused_before_a_job(officer_a, list_a, data, name)
    assert refusal.code == code
    with translation.override("kk"):
        text = str(refusal.messages[0])
    assert not text.isascii()
    if message:
        assert text == message


def test_api_upload_refusal_answers_with_the_code(client, officer_a, list_a):
    key = api_client_key(institution=officer_a.institution)
    token_a = {"HTTP_AUTHORIZATION": f"Token {key}"}
    upload = io.BytesIO(b"%PDF-1.7")
    upload.name = "a.pdf"
    response = client.post(
        f"/api/v1/respondent-lists/{list_a.pk}/uploads/", {"file": upload}, **token_a
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("file", "file_type")]


# --- 10. The error report is the user's own file -----------------------------------------


def test_the_xlsx_error_report_is_the_users_workbook_with_the_wrong_cells_marked(officer_a, list_a):
    rows = [person(1), person(2, sex="?"), person(3, birth_date="31.02.1950")]
    data = xlsx_bytes(rows, header=RU_HEADER, titles=["Список на 1 июня"])
    job = run(officer_a, list_a, data, name="список.xlsx")
    assert job.state == ImportState.REJECTED
    with translation.override("kk"):  # the downloader's language
        report = load_workbook(io.BytesIO(errors_xlsx_response(job).content))
    sheet = report.active
    assert sheet["A1"].value == "Список на 1 июня"  # the title row kept
    assert sheet["J3"].value == "Қателер"  # the error column after the header
    assert sheet["E5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["E5"].comment is not None
    assert sheet["J5"].value.startswith("E «Пол»: ")
    assert sheet["D6"].comment is not None
    assert "31.02.1950" in sheet["D6"].comment.text
    assert sheet["J4"].value is None  # a good row has no error
    assert sheet["A4"].fill.fgColor.rgb != sheet["E5"].fill.fgColor.rgb


def test_corrected_report_uploaded_again_imports(officer_a, list_a):
    rows = [person(1), person(2, sex="?")]
    job = run(officer_a, list_a, csv_bytes(rows))
    report = load_workbook(io.BytesIO(errors_xlsx_response(job).content))
    sheet = report.active
    assert sheet["E3"].comment is not None
    assert sheet["J1"].value
    sheet["E3"] = "Ж"
    corrected = workbook_bytes(report)
    again = run(officer_a, list_a, corrected, name="исправлено.xlsx")
    assert again.state == ImportState.SUCCEEDED, again.errors_preview
    assert again.rows_added == 2


def test_json_report_names_the_files_header_and_letter(officer_a, list_a):
    job = run(officer_a, list_a, xlsx_bytes([person(1, sex="x")]), name="a.xlsx")
    (item,) = json.loads(job.error_report.read())
    assert {k: item[k] for k in ("row", "field", "column", "letter", "code")} == {
        "row": 3,
        "field": "sex",
        "column": "Жынысы",
        "letter": "E",
        "code": "choice_invalid",
    }


# --- 11. The template teaches -----------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_template_has_an_example_marks_and_sheets_of_values_and_instructions(language):
    workbook = load_workbook(io.BytesIO(template_response(language=language, kind="xlsx").content))
    sheet, values, instructions = workbook.worksheets
    header = [cell.value for cell in sheet[1]]
    assert header[0].endswith(" *")  # surname is required
    assert not header[2].endswith("*")  # patronymic is not
    assert sheet["H2"].value == "900314400011"
    assert sheet["H2"].number_format == "@"
    assert sheet["H500"].number_format == "@"
    assert sheet.data_validations.dataValidation  # drop-downs of the choice columns
    assert values.max_row >= 4
    assert instructions.max_row >= 8
    if language != "en":
        assert not instructions["A1"].value.isascii()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_template_filled_in_imports_without_its_example_row(officer_a, list_a, kind):
    content = template_response(language="kk", kind=kind).content
    row = person(1)
    values = [row[0], row[1], "", row[3], "Ер", "Қазақстан азаматы", "", row[6], "",
              "Тұрақты тұратын", "1", ""]  # fmt: skip
    if kind == "csv":
        lines = content.decode("utf-8-sig").splitlines()
        data = ("\r\n".join([*lines, ";".join(values)]) + "\r\n").encode("utf-8-sig")
    else:
        workbook = load_workbook(io.BytesIO(content))
        for column, value in enumerate(values, start=1):  # typed under the example row
            workbook.active.cell(row=3, column=column, value=value)
        data = workbook_bytes(workbook)
    job = run(officer_a, list_a, data, name=f"template.{kind}")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert job.rows_added == 1
    assert "үлгі" in job.message.casefold()
    assert stored(list_a) == [("Қасымов", "Нұрлан")]


def test_an_ods_that_unpacks_to_too_much_is_refused_before_reading(officer_a, list_a):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", b" " * (20 * 1024 * 1024))
    refusal = refused_before_a_job(officer_a, list_a, buffer.getvalue(), "bomb.ods")
    assert refusal.code == "xlsx_unsafe"


def test_a_tiny_ods_that_places_a_cell_far_away_is_refused_before_calamine(officer_a, list_a):
    """A few hundred bytes that would make calamine build a grid of 10^9 cells."""
    data = ods_bytes([person(1)])
    far = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        "</table:table-row><table:table-row><table:table-cell "
        'table:number-columns-repeated="1000"/><table:table-cell office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
    )
    data = with_content(data, lambda xml: xml.replace("</table:table>", far))
    assert len(data) < 2000
    job = run(officer_a, list_a, data, name="sparse.ods")
    assert job.state == ImportState.REJECTED
    assert job.errors_preview[0]["code"] == "xlsx_unsafe"
    assert not Respondent.objects.exists()


def test_an_ods_with_libreoffices_trailing_empty_rows_is_read(officer_a, list_a):
    trailing = (
        '<table:table-cell table:number-columns-repeated="1014"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )
    data = with_content(
        ods_bytes([person(1), person(2)]),
        lambda xml: xml.replace("</table:table-row></table:table>", trailing),
    )
    job = run(officer_a, list_a, data, name="libre.ods")
    assert job.state == ImportState.SUCCEEDED, job.errors_preview
    assert job.rows_added == 2


# --- issue 16: pages name columns as the user's file does, never by field code ------------


def test_result_and_upload_pages_name_columns_by_the_files_header(client_for, officer_ru, list_a):
    from django.urls import reverse

    job = run(officer_ru, list_a, csv_bytes([person(1, sex="x", citizenship="марсианин")]))
    client = client_for(officer_ru)
    page = client.get(reverse("respondents:import_job", args=[job.pk])).content.decode()
    assert "E · Пол" in page
    assert "F · Гражданство" in page
    assert "«марсианин» — не из принятых значений" in page
    assert "<code>" not in page
    for code in ("sex", "citizenship", "residence_status"):
        assert f">{code}<" not in page
    upload = client.get(reverse("respondents:import_upload", args=[list_a.pk])).content.decode()
    assert "<code>" not in upload
    assert "Статус проживания" in upload


def test_a_large_files_report_holds_its_rows_with_errors_and_their_lines(
    officer_a, list_a, monkeypatch
):
    from respondents.importing import reports

    monkeypatch.setattr(reports, "IN_PLACE_MAX_BYTES", 0)
    monkeypatch.setattr(reports, "ALL_ROWS_MAX", 1)
    rows = [person(1), person(2), person(3, sex="?")]
    job = run(officer_a, list_a, xlsx_bytes(rows, header=RU_HEADER), name="big.xlsx")
    with translation.override("kk"):
        sheet = load_workbook(io.BytesIO(errors_xlsx_response(job).content)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert len(lines) == 2  # the header and the one row with an error
    assert lines[0][-2:] == ("Қателер", "Файлдағы жол")
    assert lines[1][-1] == 5  # its line in the file
    assert sheet["E2"].comment is not None  # still in its own column
