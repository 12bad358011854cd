"""The columns of the census database's export (documented in docs/CENSUS_DB.md) and the
layout that lets the list import's readers (``respondents.importing.readers``) read it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils import translation

from respondents.importing import readers

# field -> header spellings (en, ru, kk); a header cell is matched case- and space-blind.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "form_number": {
        "en": ("Form number", "Registration number", "form_number"),
        "ru": ("Номер переписного листа", "Регистрационный номер", "Номер формы"),
        "kk": ("Санақ парағының нөмірі", "Тіркеу нөмірі"),
    },
    "iin": {"en": ("IIN", "iin"), "ru": ("ИИН",), "kk": ("ЖСН",)},
    "surname": {"en": ("Surname", "surname"), "ru": ("Фамилия",), "kk": ("Тегі",)},
    "given_name": {
        "en": ("Given name", "given_name", "Name"),
        "ru": ("Имя",),
        "kk": ("Аты",),
    },
    "patronymic": {
        "en": ("Patronymic", "patronymic"),
        "ru": ("Отчество",),
        "kk": ("Әкесінің аты",),
    },
    "birth_date": {
        "en": ("Birth date", "birth_date", "Date of birth"),
        "ru": ("Дата рождения",),
        "kk": ("Туған күні",),
    },
    "sex": {"en": ("Sex", "sex"), "ru": ("Пол",), "kk": ("Жынысы",)},
    "method": {
        "en": ("Method", "method"),
        "ru": ("Способ", "Способ переписи"),
        "kk": ("Тәсілі", "Санақ тәсілі"),
    },
    "completed_at": {
        "en": ("Completed at", "completed_at"),
        "ru": ("Дата и время заполнения", "Заполнено"),
        "kk": ("Толтырылған уақыты",),
    },
    "tablet": {
        "en": ("Tablet", "tablet", "Device id", "Inventory number"),
        "ru": ("Планшет", "Инвентарный номер", "Идентификатор устройства"),
        "kk": ("Планшет", "Түгендеу нөмірі"),
    },
    "bin": {"en": ("BIN", "bin"), "ru": ("БИН",), "kk": ("БСН",)},
}
REQUIRED = ("form_number", "surname", "given_name", "method", "completed_at")
FIELDS = tuple(HEADERS)
_SPACES = re.compile(r"[\s_]+")


def _fold(text: Any) -> str:
    return _SPACES.sub(" ", str(text or "")).strip().casefold().replace("ё", "е")


_LOOKUP = {
    _fold(spelling): name
    for name, languages in HEADERS.items()
    for spellings in languages.values()
    for spelling in spellings
}
# "form_number" and "form number" are one header.
_LOOKUP.update({key.replace("_", " "): name for key, name in list(_LOOKUP.items())})


def match_headers(cells: list[Any]) -> dict[int, str]:
    """Column index -> field for the header cells that name a column of the export."""
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = _LOOKUP.get(_fold(cell))
        if name is not None and name not in found.values():
            found[index] = name
    return found


def header_name(field_name: str) -> str:
    language = (translation.get_language() or "en")[:2]
    return HEADERS[field_name].get(language, HEADERS[field_name]["en"])[0]


def english_header(field_name: str) -> str:
    return HEADERS[field_name]["en"][0]


def _rows(lines: Iterator[tuple[int, list[Any]]], table: readers.Table) -> readers.Rows:
    columns = list(table.columns.items())
    for number, cells in readers.counted_lines(lines):
        values: dict[str, Any] = dict.fromkeys(FIELDS, "")
        for index, name in columns:
            cell = cells[index] if index < len(cells) else None
            if cell is None:
                continue
            if isinstance(cell, float) and cell.is_integer():
                cell = int(cell)
            values[name] = cell.strip() if isinstance(cell, str) else cell
        yield number, values, cells


LAYOUT = readers.Layout(match=match_headers, required=REQUIRED, header_name=header_name, rows=_rows)
