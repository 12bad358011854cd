"""The one rule that says whether two records name the same person (issue 19 item 3).

Used by the census-database import (``censusdb``) to find a completed form's person on the
lists, and by the duplicate check of people without IIN across institutions
(``respondents.services.conflicts_detect``, keys stored in ``RespondentNameKey``): both
compare the same keys, so they cannot disagree.

The rule, in order:

1. **IIN.** A record with an IIN is the listed person with that IIN, and nobody else.
2. **Name and birth date**, for records without IIN: surname + given name + birth date,
   first among the people of the record's institution (its BIN), then region-wide. Two
   strengths, the first that finds anyone decides:

   - *exact* (``exact_key``): the same letters once case, spaces, hyphens and apostrophes,
     ё/е and Latin look-alike letters typed inside a Cyrillic word (``census_coord.lookalikes``)
     are set aside — the name reads the same on screen;
   - *variant* (``variant_key``): also the same after Kazakh letters are read as their
     Russian neighbours (ә/а, і/и, ң/н, ғ/г, қ/к, ө/о, ұ/у, ү/у, һ/х) and the name is
     transliterated between Cyrillic and Latin — probably the same person, spelt otherwise.

``decision`` turns what was found into the outcome: one exact candidate is a match to apply;
several candidates, or a variant match, go to the Department's review queue; none is
"not on any list".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord.lookalikes import name_to_one_script


class MatchKind(models.TextChoices):
    """How a record was found on the lists (the strength of the evidence)."""

    IIN = "iin", _("By IIN")
    EXACT = "exact", _("By name and birth date")
    VARIANT = "variant", _("By a variant spelling of the name")
    MANUAL = "manual", _("Chosen by the Department")


class MatchScope(models.TextChoices):
    """Where the candidates were found."""

    INSTITUTION = "institution", _("In the institution of the record")
    REGION = "region", _("Region-wide")


class Decision(models.TextChoices):
    """What becomes of a record after matching."""

    APPLY = "apply", _("Matched")
    REVIEW = "review", _("For review")
    NOT_LISTED = "not_listed", _("On no list")


# The order in which candidates are looked for; the first tier with any candidate decides.
TIERS: tuple[tuple[str, str], ...] = (
    (MatchKind.EXACT, MatchScope.INSTITUTION),
    (MatchKind.VARIANT, MatchScope.INSTITUTION),
    (MatchKind.EXACT, MatchScope.REGION),
    (MatchKind.VARIANT, MatchScope.REGION),
)

KAZAKH_TO_RUSSIAN = str.maketrans(
    {"ә": "а", "і": "и", "ң": "н", "ғ": "г", "қ": "к", "ө": "о", "ұ": "у", "ү": "у", "һ": "х"}
)
CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
# Latin spellings of the same sounds (passports, the Kazakh Latin alphabet) read as one.
LATIN_LETTERS = str.maketrans(
    {
        "ä": "a", "á": "a", "ə": "a", "ö": "o", "ó": "o", "ü": "u", "ū": "u", "ú": "u", "ı": "i",
        "í": "i", "ñ": "n", "ń": "n", "ğ": "g", "ǵ": "g", "q": "k", "w": "v", "j": "zh",
        "ş": "sh", "ç": "ch", "y": "i", "h": "kh", "c": "ts",
    }
)  # fmt: skip
# The parts of a key, in order, joined by ``KEY_SEPARATOR``.
KEY_FIELDS: tuple[str, ...] = ("surname", "given_name", "birth_date")
KEY_SEPARATOR = "|"
_IGNORED = re.compile(r"[\s\-‐–—'’ʼ`.]+")
_DOUBLE = re.compile(r"(.)\1+")


def _plain(text: str) -> str:
    """Case, spaces, hyphens, ё/е and look-alike letters set aside."""
    one_script = name_to_one_script(text.strip()).text
    return _IGNORED.sub("", one_script.casefold()).replace("ё", "е")


def _variant(text: str) -> str:
    latin = _plain(text).translate(KAZAKH_TO_RUSSIAN).translate(CYRILLIC_TO_LATIN)
    # "kh" may come from х or be typed; "zh", "ch", "sh", "ts" likewise (j, ç, ş, c).
    latin = latin.replace("kh", "h").replace("zh", "j").replace("ch", "c").replace("sh", "s")
    latin = latin.replace("ts", "c").translate(LATIN_LETTERS)
    latin = latin.replace("kh", "h").replace("zh", "j").replace("ch", "c").replace("sh", "s")
    latin = latin.replace("ts", "c")
    return _DOUBLE.sub(r"\1", latin)


def _key(
    surname: str, given_name: str, birth_date: dt.date | None, fold: Callable[[str], str]
) -> str:
    if birth_date is None or not surname.strip() or not given_name.strip():
        return ""
    return KEY_SEPARATOR.join((fold(surname), fold(given_name), f"{birth_date:%Y-%m-%d}"))


def exact_key(surname: str, given_name: str, birth_date: dt.date | None) -> str:
    """The person's key for an exact match; empty when a part is missing (never matches)."""
    return _key(surname, given_name, birth_date, _plain)


def variant_key(surname: str, given_name: str, birth_date: dt.date | None) -> str:
    """The person's key for a variant match (Kazakh/Russian letters, Cyrillic/Latin)."""
    return _key(surname, given_name, birth_date, _variant)


@dataclass(frozen=True)
class NameKeys:
    exact: str
    variant: str


def name_keys(surname: str, given_name: str, birth_date: dt.date | None) -> NameKeys:
    return NameKeys(
        exact_key(surname, given_name, birth_date), variant_key(surname, given_name, birth_date)
    )


def evidence(a: NameKeys, b: NameKeys) -> dict[str, str]:
    """Which parts of two records' keys agree, and how strongly: per field of ``KEY_FIELDS``
    ``MatchKind.EXACT`` (the same spelling), ``MatchKind.VARIANT`` (a variant spelling) or
    ``""`` (differs); ``"match"`` is the pair's strength (exact when every part is)."""
    found: dict[str, str] = {}
    exact_a, exact_b = a.exact.split(KEY_SEPARATOR), b.exact.split(KEY_SEPARATOR)
    variant_a, variant_b = a.variant.split(KEY_SEPARATOR), b.variant.split(KEY_SEPARATOR)
    for index, field in enumerate(KEY_FIELDS):
        if a.exact and exact_a[index : index + 1] == exact_b[index : index + 1]:
            found[field] = MatchKind.EXACT.value
        elif a.variant and variant_a[index : index + 1] == variant_b[index : index + 1]:
            found[field] = MatchKind.VARIANT.value
        else:
            found[field] = ""
    if a.exact and a.exact == b.exact:
        found["match"] = MatchKind.EXACT.value
    elif a.variant and a.variant == b.variant:
        found["match"] = MatchKind.VARIANT.value
    else:
        found["match"] = ""
    return found


def decision(*, kind: str, candidates: int) -> str:
    """The outcome of a record found by ``kind`` with ``candidates`` people."""
    if candidates == 0:
        return Decision.NOT_LISTED
    if candidates == 1 and kind in (MatchKind.IIN, MatchKind.EXACT):
        return Decision.APPLY
    return Decision.REVIEW
