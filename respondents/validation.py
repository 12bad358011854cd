"""The rules of a respondent row: the one module every entry point calls.

Web forms call ``validate_row``; the file import and the REST batch endpoint call
``validate_rows`` on many rows at once. Both are pure functions over plain values (strings
as read from a file, or already-typed dates): no database access, so a million rows are
checked without a query per row. Every error is reported, not just the first, each with a
stable ``code`` (``ErrorCode``), the field it concerns, the row number, and a translated
message.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from census_coord import clock
from census_coord.kz_ids import has_valid_check_digit
from census_coord.lookalikes import name_to_one_script
from respondents import row_schema
from respondents.choices import Citizenship, Sex

# A person more than this many years old on the reference date is a typing error.
MAX_AGE_YEARS = 125
NAME_MAX_LENGTH = 100

# The row's fields, in order: declared once in ``respondents.row_schema``.
FIELDS = row_schema.FIELD_NAMES
EXTERNAL_REF_MAX_LENGTH = row_schema.row_field("external_ref").max_length or 64
_NAME_FIELDS = row_schema.NAME_FIELDS
_REQUIRED = row_schema.REQUIRED_FIELDS

# Cyrillic (Russian and Kazakh: ә ғ қ ң ө ұ ү һ і) and Latin letters, with accented Latin
# for foreign citizens' names; hyphen, apostrophes and single spaces between parts.
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
_NAME_RE = re.compile(rf"^[{_LETTER}]+(?:[-'’ʼ ]+[{_LETTER}]+)*[’'ʼ]?$")
# Cyrillic letters only: valid, and nothing to convert (most names on the lists).
_CYRILLIC_LETTER = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
_CYRILLIC_NAME_RE = re.compile(rf"^[{_CYRILLIC_LETTER}]+(?:[-'’ʼ ]+[{_CYRILLIC_LETTER}]+)*[’'ʼ]?$")
_SPACES_RE = re.compile(r"\s+")

# 7th IIN digit: century of birth and sex.
_CENTURY_SEX = {
    "1": (1800, Sex.MALE),
    "2": (1800, Sex.FEMALE),
    "3": (1900, Sex.MALE),
    "4": (1900, Sex.FEMALE),
    "5": (2000, Sex.MALE),
    "6": (2000, Sex.FEMALE),
}


# Django recomputes ``Choices.values`` on every access; the row rules run a million times.
_CHOICES = row_schema.CHOICE_FIELDS
_CHOICE_VALUES = {name: frozenset(choices.values) for name, choices in _CHOICES.items()}
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DOTTED_DATE_RE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
# Day first, as written in Kazakhstan: 1.6.85, 01/06/1985, 1-6-1985, with a time Excel added.
_DAY_FIRST_DATE_RE = re.compile(
    r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_ISO_DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T]\d{1,2}:\d{2}(?::\d{2})?$")
# 8,50315E+11: how Excel shows a 12-digit number in a cell not formatted as text.
_SCIENTIFIC_RE = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")
# An IIN that lost its leading zeros (born 2000-2009) has at least this many digits left.
_IIN_MIN_DIGITS_LEFT = 9


class ErrorCode(models.TextChoices):
    """Stable codes of row errors; clients and import reports match on these."""

    REQUIRED = "required", gettext_lazy("required value missing")
    NAME_INVALID = "name_invalid", gettext_lazy("name has characters other than letters")
    NAME_TOO_LONG = "name_too_long", gettext_lazy("name too long")
    NAME_MIXED_SCRIPT = (
        "name_mixed_script",
        gettext_lazy("word mixes Latin and Cyrillic letters"),
    )
    DATE_INVALID = "date_invalid", gettext_lazy("not a date")
    BIRTH_DATE_AFTER_REFERENCE = (
        "birth_date_after_reference",
        gettext_lazy("birth date after the reference date"),
    )
    BIRTH_DATE_TOO_OLD = "birth_date_too_old", gettext_lazy("birth date too long ago")
    CHOICE_INVALID = "choice_invalid", gettext_lazy("not one of the allowed values")
    COUNTRY_REQUIRED = "country_required", gettext_lazy("country of citizenship missing")
    IIN_REQUIRED = "iin_required", gettext_lazy("IIN missing without a reason")
    IIN_FORMAT = "iin_format", gettext_lazy("IIN is not 12 digits")
    IIN_SCIENTIFIC = (
        "iin_scientific",
        gettext_lazy("IIN written in scientific notation by a spreadsheet"),
    )
    IIN_CHECK_DIGIT = "iin_check_digit", gettext_lazy("IIN check digit wrong")
    IIN_DATE_INVALID = "iin_date_invalid", gettext_lazy("IIN holds no valid birth date")
    IIN_BIRTH_DATE_MISMATCH = (
        "iin_birth_date_mismatch",
        gettext_lazy("IIN birth date differs from the row"),
    )
    IIN_SEX_MISMATCH = "iin_sex_mismatch", gettext_lazy("IIN sex differs from the row")
    DUPLICATE_IIN = "duplicate_iin", gettext_lazy("IIN repeated in the list")
    DUPLICATE_PERSON = "duplicate_person", gettext_lazy("person repeated in the list")
    EXTERNAL_REF_TOO_LONG = "external_ref_too_long", gettext_lazy("external reference too long")
    DUPLICATE_EXTERNAL_REF = (
        "duplicate_external_ref",
        gettext_lazy("external reference repeated in the list"),
    )


@dataclass(frozen=True)
class RowError:
    """One problem with one value of one row; ``row`` is None for a single form."""

    field: str
    code: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The item shape of ``census_coord.api`` error bodies."""
        return {"field": self.field, "row": self.row, "code": self.code, "message": self.message}


@dataclass
class RowResult:
    """A row's cleaned values (typed, trimmed) and every error found in it."""

    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def parse_date(value: Any, *, latest_year: int | None = None) -> dt.date | None:
    """A date from a date or text; None when unreadable.

    Text: ISO ``YYYY-MM-DD``, or day first ``DD.MM.YYYY``, ``D.M.YY``, ``DD/MM/YYYY``,
    ``DD-MM-YYYY`` (with a time of day that a spreadsheet added). A two-digit year is in
    the century that puts it at or before ``latest_year`` (the reference date's year; the
    current year when not given): ``85`` is 1985, ``05`` is 2005.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _date_from_text(str(value or "").strip(), latest_year or clock.today().year)


# A list of a million people has a few tens of thousands of distinct birth dates: each
# spelling is read once (a bounded cache of immutable dates, keyed by the latest year).
@functools.lru_cache(maxsize=65_536)
def _date_from_text(text: str, latest_year: int) -> dt.date | None:
    # The usual spellings first, without strptime (slow in bulk).
    if match := _DOTTED_DATE_RE.match(text) or _DAY_FIRST_DATE_RE.match(text):
        day, month, year = match.groups()
        if len(year) == 2:
            year = str(2000 + int(year))
            if int(year) > latest_year:
                year = str(int(year) - 100)
    elif not (match := _ISO_DATE_RE.match(text) or _ISO_DATETIME_RE.match(text)):
        return None
    else:
        year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def normalise_name(value: Any) -> str:
    """Trim and collapse inner whitespace; the letters themselves stay as typed."""
    if not value:
        return ""
    # Most names are one word of letters: nothing to trim or collapse (isalpha() is one
    # pass in C; a million rows call this six times each).
    if type(value) is str and value.isalpha():
        return value
    # split() and \s+ agree on what whitespace is; split() is several times faster.
    return " ".join(str(value).split())


def usual_case(name: str) -> str:
    """``ҚАСЫМОВА-ИВАНОВА`` -> ``Қасымова-Иванова``: a name typed in capitals, as written.

    Names in mixed case (``McDonald``, ``ван Дейк``) and single letters are left alone.
    """
    if len(name) > 1 and name.isupper():
        return name.title()
    return name


def iin_birth_date_and_sex(iin: str) -> tuple[dt.date, str] | None:
    """The birth date and sex an IIN encodes, or None when its first seven digits cannot."""
    century_sex = _CENTURY_SEX.get(iin[6:7])
    if century_sex is None:
        return None
    century, sex = century_sex
    try:
        born = dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None
    return born, sex


def search_text(values: Mapping[str, Any]) -> str:
    """The lower-cased text that officer search matches against (Python folds Kazakh)."""
    # map/filter iterate in C: no Python frame per part (a million rows a file).
    parts = filter(None, map(values.get, ("surname", "given_name", "patronymic", "iin")))
    return " ".join(map(str, parts)).lower()[:400]


def duplicate_keys(values: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Keys two rows of one list must not share: the IIN, or names and birth date without it."""
    iin = str(values.get("iin") or "").strip()
    if iin:
        return [("iin", iin)]
    born = values.get("birth_date")
    if not isinstance(born, dt.date):
        return []
    return [
        (
            "person",
            normalise_name(values.get("surname")).casefold(),
            normalise_name(values.get("given_name")).casefold(),
            born.isoformat(),
        )
    ]


def validate_row(
    row: Mapping[str, Any], *, reference_date: dt.date, row_number: int | None = None
) -> RowResult:
    """Check one row on its own (no duplicates); return its cleaned values and all errors."""
    errors: list[RowError] = []

    def error(field_name: str, code: ErrorCode, message: str) -> None:
        errors.append(RowError(field=field_name, code=code.value, message=message, row=row_number))

    values: dict[str, Any] = {}
    for name in _NAME_FIELDS:
        text = normalise_name(row.get(name))
        if not text:
            if name in _REQUIRED:
                error(name, ErrorCode.REQUIRED, _("This field is required."))
        elif len(text) > NAME_MAX_LENGTH:
            error(
                name,
                ErrorCode.NAME_TOO_LONG,
                ngettext(
                    "At most %(limit)d character.", "At most %(limit)d characters.", NAME_MAX_LENGTH
                )
                % {"limit": NAME_MAX_LENGTH},
            )
        elif not _CYRILLIC_NAME_RE.match(text):  # the usual name is decided by one match
            if not text.isascii():
                # Latin look-alikes typed inside a Cyrillic word (and the reverse) would
                # hide the person from search and duplicate matching: one script a word.
                one_script = name_to_one_script(text)
                text = one_script.text
                for word in one_script.unresolved:
                    error(
                        name,
                        ErrorCode.NAME_MIXED_SCRIPT,
                        _(
                            "The word “%(word)s” mixes Latin and Cyrillic letters; "
                            "type it again in one alphabet."
                        )
                        % {"word": word},
                    )
                if one_script.unresolved:
                    values[name] = text
                    continue
            if not _NAME_RE.match(text):
                error(
                    name,
                    ErrorCode.NAME_INVALID,
                    _("Use letters only, with a hyphen, apostrophe or space between parts."),
                )
        # A name typed in capitals is stored as written in the usual case (usual_case).
        values[name] = text.title() if text.isupper() and len(text) > 1 else text

    raw_date = row.get("birth_date")
    born = parse_date(raw_date, latest_year=reference_date.year)
    values["birth_date"] = born
    if born is None:
        if str(raw_date or "").strip():
            error(
                "birth_date",
                ErrorCode.DATE_INVALID,
                _("“%(value)s” is not a date: enter it as DD.MM.YYYY.")
                % {"value": str(raw_date).strip()[:40]},
            )
        else:
            error("birth_date", ErrorCode.REQUIRED, _("This field is required."))
    elif born > reference_date:
        error(
            "birth_date",
            ErrorCode.BIRTH_DATE_AFTER_REFERENCE,
            _("The birth date is after the list reference date (%(date)s).")
            % {"date": reference_date.strftime("%d.%m.%Y")},
        )
    elif born.year < reference_date.year - MAX_AGE_YEARS:
        error(
            "birth_date",
            ErrorCode.BIRTH_DATE_TOO_OLD,
            ngettext(
                "The birth date is more than %(years)d year before the reference date.",
                "The birth date is more than %(years)d years before the reference date.",
                MAX_AGE_YEARS,
            )
            % {"years": MAX_AGE_YEARS},
        )

    for name, allowed in _CHOICE_VALUES.items():
        raw = str(row.get(name) or "").strip()
        values[name] = raw
        if not raw:
            error(name, ErrorCode.REQUIRED, _("This field is required."))
        elif raw not in allowed:
            error(
                name,
                ErrorCode.CHOICE_INVALID,
                _("“%(value)s” is not one of the accepted values: %(accepted)s.")
                % {
                    "value": raw[:40],
                    "accepted": "; ".join(str(label) for label in _CHOICES[name].labels),
                },
            )

    citizenship = values["citizenship"]
    country = normalise_name(row.get("citizenship_country"))
    values["citizenship_country"] = country if citizenship == Citizenship.FOREIGN else ""
    if citizenship == Citizenship.FOREIGN and not country:
        error(
            "citizenship_country",
            ErrorCode.COUNTRY_REQUIRED,
            _("Name the country of citizenship of a foreign citizen."),
        )

    iin = str(row.get("iin") or "").strip()
    if _IIN_MIN_DIGITS_LEFT <= len(iin) < 12 and iin.isascii() and iin.isdigit():
        iin = _iin_with_zeros(iin)
    reason = normalise_name(row.get("iin_absent_reason"))
    values["iin"] = iin
    values["iin_absent_reason"] = "" if iin else reason
    if not iin:
        if citizenship == Citizenship.CITIZEN and not reason:
            error(
                "iin",
                ErrorCode.IIN_REQUIRED,
                _("A citizen's IIN is required; if there is none, give the reason."),
            )
    else:
        errors.extend(_iin_errors(iin, values, row_number))

    values["unit"] = normalise_name(row.get("unit"))[:64]
    values["note"] = str(row.get("note") or "").strip()[:500]
    ref = row.get("external_ref")
    ref = str(ref).strip() if ref else ""
    values["external_ref"] = ref
    if len(ref) > EXTERNAL_REF_MAX_LENGTH:
        error(
            "external_ref",
            ErrorCode.EXTERNAL_REF_TOO_LONG,
            ngettext(
                "At most %(limit)d character.",
                "At most %(limit)d characters.",
                EXTERNAL_REF_MAX_LENGTH,
            )
            % {"limit": EXTERNAL_REF_MAX_LENGTH},
        )
    return RowResult(values=values, errors=errors)


def _iin_with_zeros(iin: str) -> str:
    """A spreadsheet drops the leading zeros of a number: the IINs of people born in
    2000-2009. CSV and XLSX both get them back here, when the result is a valid IIN."""
    padded = iin.zfill(12)
    if has_valid_check_digit(padded) and iin_birth_date_and_sex(padded) is not None:
        return padded
    return iin


def _iin_errors(iin: str, values: Mapping[str, Any], row_number: int | None) -> list[RowError]:
    def one(code: ErrorCode, message: str) -> list[RowError]:
        return [RowError(field="iin", code=code.value, message=message, row=row_number)]

    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        if _SCIENTIFIC_RE.match(iin):
            return one(
                ErrorCode.IIN_SCIENTIFIC,
                _(
                    "The spreadsheet wrote the IIN as %(value)s and lost its last digits: "
                    "format the IIN column as text and type the IINs again."
                )
                % {"value": iin[:20]},
            )
        if iin.isascii() and iin.isdigit():
            return one(
                ErrorCode.IIN_FORMAT,
                _(
                    "An IIN is exactly 12 digits; this one has %(count)d. If the spreadsheet "
                    "dropped leading zeros, format the IIN column as text."
                )
                % {"count": len(iin)},
            )
        return one(ErrorCode.IIN_FORMAT, _("An IIN is exactly 12 digits."))
    if not has_valid_check_digit(iin):
        return one(ErrorCode.IIN_CHECK_DIGIT, _("The IIN's check digit is wrong; check for typos."))
    encoded = iin_birth_date_and_sex(iin)
    if encoded is None:
        return one(ErrorCode.IIN_DATE_INVALID, _("The IIN does not begin with a valid birth date."))
    born, sex = encoded
    found: list[RowError] = []
    if isinstance(values.get("birth_date"), dt.date) and values["birth_date"] != born:
        found += one(
            ErrorCode.IIN_BIRTH_DATE_MISMATCH,
            _("The IIN gives the birth date %(date)s, which differs from the row.")
            % {"date": born.strftime("%d.%m.%Y")},
        )
    if values.get("sex") in _CHOICE_VALUES["sex"] and values["sex"] != sex:
        found += one(ErrorCode.IIN_SEX_MISMATCH, _("The IIN's sex digit differs from the row."))
    return found


def validate_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    reference_date: dt.date,
    first_row: int = 1,
    existing: Mapping[tuple[str, ...], int] | None = None,
) -> tuple[list[RowResult], list[RowError]]:
    """Check many rows of one list; return each row's result and every error, in row order.

    Rows are numbered from ``first_row`` (a file's first data line, say). ``existing`` maps
    the ``duplicate_keys`` of rows already on the list to their row numbers, so that a
    batch appended to a list is checked against it too. A repeated row is refused with a
    message naming the row it repeats; the first occurrence stays valid. So is a repeated
    external reference (``external_ref``): it names one person within the list.
    """
    seen: dict[tuple[str, ...], int] = dict(existing or {})
    seen_refs: dict[str, int] = {}
    results: list[RowResult] = []
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=first_row):
        result = validate_row(row, reference_date=reference_date, row_number=number)
        for key in duplicate_keys(result.values):
            other = seen.get(key)
            if other is None:
                seen[key] = number
            else:
                result.errors.append(duplicate_error(key, number=number, other=other))
        if ref := result.values["external_ref"]:
            other = seen_refs.setdefault(ref, number)
            if other != number:
                result.errors.append(
                    duplicate_reference_error(
                        number=number,
                        other=other,
                        column=str(row_schema.row_field("external_ref").label),
                    )
                )
        results.append(result)
        errors.extend(result.errors)
    return results, errors


def duplicate_error(key: tuple[str, ...], *, number: int | None, other: int) -> RowError:
    """Row ``number`` repeats row ``other`` on ``key`` (from ``duplicate_keys``).

    The file import finds repeats set-wise in its staging table and words them here.
    """
    if key[0] == "iin":
        return RowError(
            field="iin",
            code=ErrorCode.DUPLICATE_IIN.value,
            message=_("Row %(row)s has the same IIN as row %(other)s.")
            % {"row": number, "other": other},
            row=number,
        )
    return RowError(
        field="surname",
        code=ErrorCode.DUPLICATE_PERSON.value,
        message=_("Row %(row)s has the same surname, given name and birth date as row %(other)s.")
        % {"row": number, "other": other},
        row=number,
    )


def duplicate_error_for_form(key: tuple[str, ...], *, other_label: str) -> RowError:
    """A duplicate found while one row is entered by form: name the row already listed."""
    if key[0] == "iin":
        message = _("This IIN is already on the list (%(other)s).") % {"other": other_label}
        return RowError(field="iin", code=ErrorCode.DUPLICATE_IIN.value, message=message)
    message = _(
        "A person with the same surname, given name and birth date is already on the list "
        "(%(other)s)."
    ) % {"other": other_label}
    return RowError(field="surname", code=ErrorCode.DUPLICATE_PERSON.value, message=message)


def _quoted(text: str) -> str:
    return pgettext("quotation marks", "“%(text)s”") % {"text": text}


def duplicate_reference_error(*, number: int | None, other: int, column: str) -> RowError:
    """Row ``number`` has the external reference of row ``other``; ``column`` is the column
    as the user knows it (the file's own header, or the field's label)."""
    return RowError(
        field="external_ref",
        code=ErrorCode.DUPLICATE_EXTERNAL_REF.value,
        message=_("Row %(row)s has the same %(column)s as row %(other)s.")
        % {"row": number, "column": _quoted(column), "other": other},
        row=number,
    )


def reference_on_list_error(*, number: int | None, column: str) -> RowError:
    """Row ``number`` gives an external reference another person on the list has."""
    return RowError(
        field="external_ref",
        code=ErrorCode.DUPLICATE_EXTERNAL_REF.value,
        message=_("Row %(row)s: another person on the list already has this %(column)s.")
        % {"row": number, "column": _quoted(column)},
        row=number,
    )


def duplicate_reference_error_for_form(*, other_label: str) -> RowError:
    """Entered by form: another person already listed has this external reference."""
    return RowError(
        field="external_ref",
        code=ErrorCode.DUPLICATE_EXTERNAL_REF.value,
        message=_("This external reference is already on the list (%(other)s).")
        % {"other": other_label},
    )
