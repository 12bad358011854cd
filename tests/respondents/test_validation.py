"""The row rules, as a table: every entry point (forms, import, API) calls these."""

import datetime as dt

import pytest
from django.utils import translation

from census_coord.kz_ids import check_digit
from respondents.validation import ErrorCode, validate_row, validate_rows
from tests.respondents.factories import make_iin, row_data

REFERENCE = dt.date(2021, 6, 1)
BORN = dt.date(1950, 3, 14)


def codes(data, **kwargs):
    return {(e.field, e.code) for e in validate_row(data, reference_date=REFERENCE).errors}


def test_second_round_iin_fixture_really_needs_the_second_round():
    iin = make_iin(BORN, second_round=True)
    weights = range(1, 12)
    assert sum(int(d) * w for d, w in zip(iin[:11], weights, strict=True)) % 11 == 10
    assert check_digit(iin[:11]) == int(iin[11])


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({}, set(), id="valid-citizen"),
        pytest.param({"iin": make_iin(BORN, second_round=True)}, set(), id="valid-by-second-round"),
        pytest.param({"iin": make_iin(BORN, second_round=False)}, set(), id="valid-by-first-round"),
        pytest.param({"birth_date": "14.03.1950"}, set(), id="date-as-typed-in-kk-ru-locale"),
        pytest.param(
            {"surname": "Д'Артаньян-Әлі", "given_name": "Жан Пьер"}, set(), id="hyphen-apostrophe"
        ),
        pytest.param({"surname": "Müller", "given_name": "Jürgen"}, set(), id="latin-accents"),
        pytest.param(
            {"iin": "821214240092", "birth_date": dt.date(1982, 12, 14), "sex": "female"},
            {("iin", ErrorCode.IIN_CHECK_DIGIT)},
            id="both-rounds-give-10",
        ),
        pytest.param({"iin": "12345"}, {("iin", ErrorCode.IIN_FORMAT)}, id="short-iin"),
        pytest.param({"iin": "５" * 12}, {("iin", ErrorCode.IIN_FORMAT)}, id="non-ascii-digits"),
        pytest.param(
            {"birth_date": dt.date(1950, 3, 15), "iin": make_iin(BORN)},
            {("iin", ErrorCode.IIN_BIRTH_DATE_MISMATCH)},
            id="iin-date-differs",
        ),
        pytest.param(
            {"sex": "female", "iin": make_iin(BORN, "male")},
            {("iin", ErrorCode.IIN_SEX_MISMATCH)},
            id="iin-sex-differs",
        ),
        pytest.param(
            {"birth_date": dt.date(2021, 6, 2), "iin": ""},
            {("birth_date", ErrorCode.BIRTH_DATE_AFTER_REFERENCE), ("iin", ErrorCode.IIN_REQUIRED)},
            id="future-birth-date",
        ),
        pytest.param(
            {"birth_date": dt.date(1890, 1, 1), "iin": "", "iin_absent_reason": "архив жоқ"},
            {("birth_date", ErrorCode.BIRTH_DATE_TOO_OLD)},
            id="absurdly-old",
        ),
        pytest.param(
            {"birth_date": "31.02.1950"}, {("birth_date", ErrorCode.DATE_INVALID)}, id="bad-date"
        ),
        pytest.param({"iin": ""}, {("iin", ErrorCode.IIN_REQUIRED)}, id="citizen-without-iin"),
        pytest.param(
            {"iin": "", "iin_absent_reason": "Құжаттары жоқ"}, set(), id="citizen-reason-given"
        ),
        pytest.param(
            {"iin": "", "citizenship": "foreign", "citizenship_country": "Өзбекстан"},
            set(),
            id="foreigner-without-iin",
        ),
        pytest.param(
            {"iin": "", "citizenship": "foreign"},
            {("citizenship_country", ErrorCode.COUNTRY_REQUIRED)},
            id="foreigner-without-country",
        ),
        pytest.param({"iin": "", "citizenship": "stateless"}, set(), id="stateless-without-iin"),
        pytest.param(
            {"surname": "  ", "given_name": "Иван2"},
            {("surname", ErrorCode.REQUIRED), ("given_name", ErrorCode.NAME_INVALID)},
            id="names",
        ),
        pytest.param({"sex": "x"}, {("sex", ErrorCode.CHOICE_INVALID)}, id="bad-choice"),
    ],
)
def test_row_rules(overrides, expected):
    assert codes(row_data(**overrides)) == expected


def test_row_reports_every_error_not_just_the_first():
    data = row_data(surname="", given_name="1", sex="", citizenship="", residence_status="")
    assert len(validate_row(data, reference_date=REFERENCE).errors) == 5


def test_names_are_kept_as_typed_but_trimmed():
    result = validate_row(row_data(surname="  ӘЛІБЕКОВА   Гүлжан "), reference_date=REFERENCE)
    assert result.values["surname"] == "ӘЛІБЕКОВА Гүлжан"


def test_batch_names_both_rows_of_a_duplicate():
    first = row_data()
    no_iin = {"iin": "", "iin_absent_reason": "жоқ", "birth_date": dt.date(1960, 1, 2)}
    rows = [
        first,
        row_data(surname="Басқа", iin=first["iin"]),
        row_data(**no_iin),
        row_data(**no_iin, surname="ҚАСЫМОВ"),  # same person, other letter case
        row_data(iin="123"),
    ]
    _results, errors = validate_rows(rows, reference_date=REFERENCE, first_row=2)
    assert [(e.row, e.field, e.code) for e in errors] == [
        (3, "iin", ErrorCode.DUPLICATE_IIN),
        (5, "surname", ErrorCode.DUPLICATE_PERSON),
        (6, "iin", ErrorCode.IIN_FORMAT),
    ]
    assert "3" in errors[0].message
    assert "2" in errors[0].message
    assert errors[0].as_dict() == {
        "field": "iin",
        "row": 3,
        "code": "duplicate_iin",
        "message": errors[0].message,
    }


def test_batch_checks_against_rows_already_on_the_list():
    row = row_data()
    _results, errors = validate_rows(
        [row], reference_date=REFERENCE, existing={("iin", row["iin"]): 7}
    )
    assert [e.code for e in errors] == [ErrorCode.DUPLICATE_IIN]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_messages_are_translated(language):
    with translation.override(language):
        (error,) = validate_row(row_data(iin="12345"), reference_date=REFERENCE).errors
    with translation.override("en"):
        (english,) = validate_row(row_data(iin="12345"), reference_date=REFERENCE).errors
    assert error.code == english.code
    assert error.message != english.message
