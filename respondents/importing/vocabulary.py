"""Header names and value words people use in kk, ru and en, mapped to the row fields.

Case, spaces, punctuation and anything in brackets are ignored when matching, so
``Дата рождения (дд.мм.гггг)``, ``туған күні`` and ``Birth_Date`` all name ``birth_date``.
The vocabulary is documented in docs/IMPORT.md; the templates use the first name of each
language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from django.utils import translation

from census_coord.lookalikes import LATIN_TO_CYRILLIC
from respondents import row_schema
from respondents.choices import Citizenship, ResidenceStatus, Sex
from respondents.validation import FIELDS, ErrorCode

# field -> {language: [names, the first is the template's]}: declared with each field in
# ``respondents.row_schema``.
HEADERS: dict[str, dict[str, list[str]]] = {
    field.name: {language: list(names) for language, names in field.headers.items()}
    for field in row_schema.ROW_FIELDS
}

# Words people type for the choice values, besides the codes and the translated labels:
# short forms, the fuller spellings of forms and registers, in kk and ru (and en). Kazakh
# letters typed as their Russian neighbours (қ as к, ұ as у) match too: see ``fold_value``.
VALUE_WORDS: dict[str, dict[str, list[str]]] = {
    "sex": {
        Sex.MALE: [
            "м", "m", "муж", "мужской", "мужчина", "мальчик", "юноша", "ер", "еркек",
            "ер адам", "ер бала", "ер жынысты", "male", "man", "boy",
        ],
        Sex.FEMALE: [
            "ж", "f", "w", "жен", "женский", "женщина", "девочка", "девушка", "әйел",
            "әйел адам", "әйел жынысты", "қыз", "қыз бала", "эйел", "айел", "female",
            "woman", "girl",
        ],
    },
    "citizenship": {
        Citizenship.CITIZEN: [
            "рк", "кз", "kz", "kaz", "казахстан", "қазақстан", "гражданин рк",
            "гражданка рк", "гр рк", "гражданин казахстана", "гражданка казахстана",
            "гражданин республики казахстан", "гражданка республики казахстан",
            "республика казахстан", "гражданство рк", "қр", "қазақстан республикасы",
            "қр азаматы", "қазақстан азаматы", "қазақстан республикасының азаматы",
            "азамат", "citizen", "kazakhstan", "republic of kazakhstan",
        ],
        Citizenship.FOREIGN: [
            "иностранец", "иностранка", "иностранный гражданин", "иностранная гражданка",
            "иностранное гражданство", "ин гражданин", "иг", "шетелдік", "шетел азаматы",
            "шетелдік азамат", "шет ел азаматы", "foreign", "foreigner",
        ],
        Citizenship.STATELESS: [
            "лбг", "лицо без гражданства", "без гражданства", "нет гражданства",
            "не имеет гражданства", "апатрид", "азаматтығы жоқ", "азаматтығы жоқ адам",
            "азаматтығы жоқ тұлға", "stateless",
        ],
    },
    "residence_status": {
        ResidenceStatus.PERMANENT: [
            "постоянно", "постоянный", "постоянная", "постоянное", "постоянно проживает",
            "постоянно проживающий", "постоянно проживающая", "постоянное проживание",
            "постоянный житель", "тұрақты", "тұрақты тұрады", "тұрақты тұратын",
            "тұрақты тұратын адам", "тұрақты тұрғын", "permanent", "permanently resident",
        ],
        ResidenceStatus.TEMPORARILY_ABSENT: [
            "временно отсутствует", "временно отсутствующий", "временно отсутствующая",
            "временно отсутствуют", "вр отсутствует", "отсутствует", "уақытша жоқ",
            "уақытша жоқ адам", "уақытша кеткен", "уақытша болмаған", "absent",
        ],
        ResidenceStatus.TEMPORARILY_PRESENT: [
            "временно проживает", "временно проживающий", "временно проживающая",
            "временно прибывший", "временно прибывшая", "временно пребывающий",
            "временно пребывающая", "временно находится", "прибывший", "прибывшая",
            "уақытша тұратын", "уақытша тұрады", "уақытша келген", "уақытша келген адам",
            "келген", "temporarily residing", "temporarily present", "arrived",
        ],
    },
}  # fmt: skip
CHOICES = row_schema.CHOICE_FIELDS
# Columns a file must have: a required field, unless a default stands in for the column.
REQUIRED_HEADERS = tuple(
    f.name for f in row_schema.ROW_FIELDS if f.required and f.column_default is None
)
# A column a file may leave out, and the value every row then gets.
COLUMN_DEFAULTS: dict[str, str] = {
    f.name: f.column_default for f in row_schema.ROW_FIELDS if f.column_default is not None
}
# Columns a file may leave out unless some row needs them: the row error that is then
# reported once for the file (naming the column) instead of once per person.
COLUMN_NEEDED_BY: dict[str, str] = {
    "iin": ErrorCode.IIN_REQUIRED.value,
    "citizenship_country": ErrorCode.COUNTRY_REQUIRED.value,
}

# The templates' example row (one person, written in each language). A file that still
# holds it imports without it: the result says the example was left out.
EXAMPLE_IIN = "900314400011"
EXAMPLE_SURNAMES = frozenset({"Сәрсенова", "Sarsenova"})
EXAMPLE_VALUES: dict[str, dict[str, str]] = {
    "kk": {"surname": "Сәрсенова", "given_name": "Әйгерім", "patronymic": "Болатқызы",
           "unit": "12", "note": "Үлгі: бұл жолды өшіріңіз"},
    "ru": {"surname": "Сәрсенова", "given_name": "Әйгерім", "patronymic": "Болатовна",
           "unit": "12", "note": "Пример: удалите эту строку"},
    "en": {"surname": "Sarsenova", "given_name": "Aigerim", "patronymic": "",
           "unit": "12", "note": "Example: delete this row"},
}  # fmt: skip
EXAMPLE_CHOICES = {
    "sex": Sex.FEMALE,
    "citizenship": Citizenship.CITIZEN,
    "residence_status": ResidenceStatus.PERMANENT,
}
EXAMPLE_BIRTH_DATE = "14.03.1990"

# Kazakh letters typed as the Russian letters next to them on the keyboard or in sound.
_KAZAKH_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_LATIN_TWINS = str.maketrans({lat.lower(): cyr.lower() for lat, cyr in LATIN_TO_CYRILLIC.items()})

_BRACKETS_RE = re.compile(r"[(\[].*?[)\]]")
_NOT_WORD_RE = re.compile(r"[\W_]+")


def normalise_header(text: object) -> str:
    """``Дата рождения (дд.мм.гггг)`` -> ``датарождения``: case, spaces and brackets ignored."""
    plain = _BRACKETS_RE.sub("", str(text or "")).casefold().replace("ё", "е")
    return _NOT_WORD_RE.sub("", plain)


@cache
def header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name in FIELDS:
        lookup[normalise_header(name)] = name
        for names in HEADERS[name].values():
            for header in names:
                lookup[normalise_header(header)] = name
    return lookup


def match_headers(cells: Sequence[object]) -> dict[int, str]:
    """Column index -> field for the cells of a header row (unknown columns left out)."""
    lookup = header_lookup()
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = lookup.get(normalise_header(cell))
        if name is not None and name not in found.values():
            found[index] = name
    return found


def fold_value(text: object) -> str:
    """The key a choice value is matched on: ``Қазақстан Республикасы``, ``казакстан
    республикасы`` and ``КАЗАКСТАН РЕСПУБЛИКАСЫ`` all give ``казакстанреспубликасы``."""
    return normalise_header(text).translate(_KAZAKH_FOLD)


@cache
def value_lookup(field: str) -> dict[str, str]:
    """Every word for a choice value (code, labels in kk/ru/en, the words people use)."""
    lookup: dict[str, str] = {}
    for value, label in CHOICES[field].choices:
        words = [value, *VALUE_WORDS[field].get(value, [])]
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                words.append(str(label))
        for word in words:
            lookup[normalise_header(word)] = value
            lookup[fold_value(word)] = value
    return lookup


def choice_value(field: str, text: str) -> str | None:
    """The choice a typed value names, or None. Latin twins of Cyrillic letters (``PK``
    typed for ``РК``) are tried last, so ``kz`` and ``m`` keep their Latin meaning."""
    lookup = value_lookup(field)
    key = fold_value(text)
    found = lookup.get(key)
    if found is None and key:
        found = lookup.get(key.translate(_LATIN_TWINS).translate(_KAZAKH_FOLD))
    return found


def template_headers(language: str) -> list[str]:
    """The header row of the downloadable template in one language."""
    return [HEADERS[name][language][0] for name in FIELDS]
