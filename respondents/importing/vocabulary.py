"""Header names and value words people use in kk, ru and en, mapped to the row fields.

Case, spaces, punctuation and anything in brackets are ignored when matching, so
``Дата рождения (дд.мм.гггг)``, ``туған күні`` and ``Birth_Date`` all name ``birth_date``.
The vocabulary is documented in docs/IMPORT.md; the templates use the first name of each
language.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils import translation

from respondents.choices import Citizenship, ResidenceStatus, Sex
from respondents.validation import FIELDS

# field -> {language: [names, the first is the template's]}
HEADERS: dict[str, dict[str, list[str]]] = {
    "surname": {
        "kk": ["Тегі"],
        "ru": ["Фамилия"],
        "en": ["Surname", "Last name", "Family name"],
    },
    "given_name": {
        "kk": ["Аты"],
        "ru": ["Имя"],
        "en": ["Given name", "First name", "Name"],
    },
    "patronymic": {
        "kk": ["Әкесінің аты"],
        "ru": ["Отчество"],
        "en": ["Patronymic", "Middle name"],
    },
    "birth_date": {
        "kk": ["Туған күні", "Туылған күні"],
        "ru": ["Дата рождения"],
        "en": ["Birth date", "Date of birth", "DOB"],
    },
    "sex": {"kk": ["Жынысы"], "ru": ["Пол"], "en": ["Sex", "Gender"]},
    "citizenship": {"kk": ["Азаматтығы"], "ru": ["Гражданство"], "en": ["Citizenship"]},
    "citizenship_country": {
        "kk": ["Азаматтық елі"],
        "ru": ["Страна гражданства"],
        "en": ["Country of citizenship", "Country"],
    },
    "iin": {"kk": ["ЖСН"], "ru": ["ИИН"], "en": ["IIN"]},
    "iin_absent_reason": {
        "kk": ["ЖСН жоқ себебі"],
        "ru": ["Причина отсутствия ИИН"],
        "en": ["Reason IIN is missing", "IIN absent reason"],
    },
    "residence_status": {
        "kk": ["Тұру мәртебесі"],
        "ru": ["Статус проживания"],
        "en": ["Residence status"],
    },
    "unit": {
        "kk": ["Бөлме", "Бөлімше"],
        "ru": ["Комната", "Отделение"],
        "en": ["Unit or room", "Unit", "Room"],
    },
    "note": {"kk": ["Ескерту"], "ru": ["Примечание"], "en": ["Note", "Comment"]},
}

# Words people type for the choice values, besides the codes and the translated labels.
VALUE_WORDS: dict[str, dict[str, list[str]]] = {
    "sex": {
        Sex.MALE: ["м", "m", "муж", "ер", "еркек", "мужской"],
        Sex.FEMALE: ["ж", "f", "w", "жен", "әйел", "женский"],
    },
    "citizenship": {
        Citizenship.CITIZEN: ["рк", "kz", "казахстан", "қазақстан", "гражданин рк", "қр"],
        Citizenship.FOREIGN: ["иностранец", "иностранный гражданин", "шетелдік"],
        Citizenship.STATELESS: ["лбг", "без гражданства", "азаматтығы жоқ"],
    },
    "residence_status": {
        ResidenceStatus.PERMANENT: ["постоянно", "постоянный", "тұрақты"],
        ResidenceStatus.TEMPORARILY_ABSENT: ["временно отсутствует", "уақытша жоқ"],
        ResidenceStatus.TEMPORARILY_PRESENT: [
            "временно проживает",
            "временно прибывший",
            "уақытша тұратын",
        ],
    },
}
CHOICES = {"sex": Sex, "citizenship": Citizenship, "residence_status": ResidenceStatus}
REQUIRED_HEADERS = ("surname", "given_name", "birth_date", "sex", "citizenship")

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


def match_headers(cells: list[object]) -> dict[int, str]:
    """Column index -> field for the cells of a header row (unknown columns left out)."""
    lookup = header_lookup()
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = lookup.get(normalise_header(cell))
        if name is not None and name not in found.values():
            found[index] = name
    return found


@cache
def value_lookup(field: str) -> dict[str, str]:
    """Every word for a choice value (code, labels in kk/ru/en, common short forms)."""
    lookup: dict[str, str] = {}
    for value, label in CHOICES[field].choices:
        lookup[normalise_header(value)] = value
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                lookup[normalise_header(str(label))] = value
        for word in VALUE_WORDS[field].get(value, []):
            lookup[normalise_header(word)] = value
    return lookup


def template_headers(language: str) -> list[str]:
    """The header row of the downloadable template in one language."""
    return [HEADERS[name][language][0] for name in FIELDS]
