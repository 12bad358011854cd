"""The fields of a respondent row, declared once: every entry point reads this list.

One ``RowField`` per column of a list, in the order the template, the exports and the
form show them. The web form (``respondents.forms``), the REST serializers
(``respondents.api.serializers``), the file import's vocabulary
(``respondents.importing.vocabulary``: the header names people use in kk, ru and en), the
row rules' field list (``respondents.validation``), the import's staging columns
(``respondents.importing.pipeline``), the list export and ``bench/import_bench.py`` all
derive their fields from ``ROW_FIELDS``; none keeps a list of its own. A new column of a
row is one ``RowField`` here (and its model field and rule).

What a value must satisfy stays in ``respondents.validation`` (the one module of row rules);
this module only says which fields there are and how each entry point shows or reads them.
The user-visible label is the model field's ``verbose_name``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from census_coord.typing import StrOrPromise
from respondents.choices import Citizenship, ResidenceStatus, Sex
from respondents.models import Respondent


class Kind(enum.Enum):
    """How a value is typed and read; the rules for each are in ``validation``."""

    NAME = "name"  # a part of the person's name (letters, one script a word)
    TEXT = "text"  # free text, trimmed
    DATE = "date"
    CHOICE = "choice"
    IIN = "iin"  # twelve digits, typed as text


@dataclass(frozen=True)
class RowField:
    """One column of a respondent row.

    ``headers``: the names a file's header may give the column, per language (kk, ru, en);
    the first of each is the downloadable template's. ``required``: the row rules refuse a
    row without a value. ``column_default``: a file may leave the column out, and every row
    then gets this value. ``accept_length``: the longest value an API client may send (the
    rules answer, with their own code, for anything between it and the stored length).
    ``lines``: a text area of this many lines in the form. ``exported``: a column of the
    list's XLSX/CSV export. ``printed``: a column of the signed paper list (PDF).
    """

    name: str
    kind: Kind
    headers: Mapping[str, Sequence[str]]
    required: bool = False
    choices: type[models.TextChoices] | None = None
    help_text: StrOrPromise = ""
    column_default: str | None = None
    accept_length: int | None = None
    lines: int = 1
    exported: bool = True
    printed: bool = False

    @cached_property
    def model_field(self) -> models.Field:
        return Respondent._meta.get_field(self.name)  # type: ignore[return-value]  # concrete fields only

    @property
    def label(self) -> StrOrPromise:
        """The model field's ``verbose_name``, capitalised (lazy: translated when shown)."""
        return capfirst(self.model_field.verbose_name)

    @property
    def max_length(self) -> int | None:
        """The longest value stored (the model field's ``max_length``)."""
        return self.model_field.max_length

    @property
    def accepted_length(self) -> int:
        """The longest value an API client may send: ``accept_length``, else the stored one."""
        length = self.accept_length or self.max_length
        assert length is not None, f"{self.name}: no max_length"  # noqa: S101 - a declaration error
        return length

    @property
    def help(self) -> StrOrPromise:
        """The form's help text: this field's own, else the model field's."""
        return self.help_text or self.model_field.help_text


ROW_FIELDS: tuple[RowField, ...] = (
    RowField(
        "surname",
        Kind.NAME,
        {"kk": ["Тегі"], "ru": ["Фамилия"], "en": ["Surname", "Last name", "Family name"]},
        required=True,
        accept_length=200,
        printed=True,
    ),
    RowField(
        "given_name",
        Kind.NAME,
        {"kk": ["Аты"], "ru": ["Имя"], "en": ["Given name", "First name", "Name"]},
        required=True,
        accept_length=200,
        printed=True,
    ),
    RowField(
        "patronymic",
        Kind.NAME,
        {"kk": ["Әкесінің аты"], "ru": ["Отчество"], "en": ["Patronymic", "Middle name"]},
        accept_length=200,
        printed=True,
    ),
    RowField(
        "birth_date",
        Kind.DATE,
        {
            "kk": ["Туған күні", "Туылған күні"],
            "ru": ["Дата рождения"],
            "en": ["Birth date", "Date of birth", "DOB"],
        },
        required=True,
        accept_length=20,
        printed=True,
    ),
    RowField(
        "sex",
        Kind.CHOICE,
        {"kk": ["Жынысы"], "ru": ["Пол"], "en": ["Sex", "Gender"]},
        required=True,
        choices=Sex,
        printed=True,
    ),
    RowField(
        "citizenship",
        Kind.CHOICE,
        {"kk": ["Азаматтығы"], "ru": ["Гражданство"], "en": ["Citizenship"]},
        required=True,
        choices=Citizenship,
        printed=True,
    ),
    RowField(
        "citizenship_country",
        Kind.TEXT,
        {
            "kk": ["Азаматтық елі"],
            "ru": ["Страна гражданства"],
            "en": ["Country of citizenship", "Country"],
        },
        help_text=_("For foreign citizens."),
        accept_length=200,
    ),
    RowField(
        "iin",
        Kind.IIN,
        {"kk": ["ЖСН"], "ru": ["ИИН"], "en": ["IIN"]},
        accept_length=20,
        printed=True,
    ),
    RowField(
        "iin_absent_reason",
        Kind.TEXT,
        {
            "kk": ["ЖСН жоқ себебі"],
            "ru": ["Причина отсутствия ИИН"],
            "en": ["Reason IIN is missing", "IIN absent reason"],
        },
        help_text=_("Required for a citizen of Kazakhstan without an IIN."),
    ),
    RowField(
        "residence_status",
        Kind.CHOICE,
        {"kk": ["Тұру мәртебесі"], "ru": ["Статус проживания"], "en": ["Residence status"]},
        required=True,
        choices=ResidenceStatus,
        column_default=ResidenceStatus.PERMANENT,
        printed=True,
    ),
    RowField(
        "unit",
        Kind.TEXT,
        {
            "kk": ["Бөлме", "Бөлімше"],
            "ru": ["Комната", "Отделение"],
            "en": ["Unit or room", "Unit", "Room"],
        },
    ),
    RowField(
        "note",
        Kind.TEXT,
        {"kk": ["Ескерту"], "ru": ["Примечание"], "en": ["Note", "Comment"]},
        lines=2,
    ),
    RowField(
        "external_ref",
        Kind.TEXT,
        {
            "kk": ["Сыртқы сілтеме", "Сыртқы нөмір"],
            "ru": ["Внешний номер", "Внешняя ссылка", "Внешний идентификатор"],
            "en": ["External reference", "External ref", "External ID"],
        },
        accept_length=200,
    ),
)

FIELDS_BY_NAME: dict[str, RowField] = {field.name: field for field in ROW_FIELDS}
# The row's field names in order: what every entry point reads and the rules return.
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS_BY_NAME)
NAME_FIELDS: tuple[str, ...] = tuple(f.name for f in ROW_FIELDS if f.kind is Kind.NAME)
DATE_FIELDS: tuple[str, ...] = tuple(f.name for f in ROW_FIELDS if f.kind is Kind.DATE)
REQUIRED_FIELDS: frozenset[str] = frozenset(f.name for f in ROW_FIELDS if f.required)
CHOICE_FIELDS: dict[str, type[models.TextChoices]] = {
    f.name: f.choices for f in ROW_FIELDS if f.choices is not None
}
EXPORTED_FIELDS: tuple[RowField, ...] = tuple(f for f in ROW_FIELDS if f.exported)
PRINTED_FIELDS: tuple[RowField, ...] = tuple(f for f in ROW_FIELDS if f.printed)


def row_field(name: str) -> RowField:
    return FIELDS_BY_NAME[name]
