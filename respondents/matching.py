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

from census_coord import lookalikes
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
# What ``str.strip`` and ``\s`` take for white space (listed, so that SQL takes the same).
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
# Set aside inside a name: white space, hyphens and dashes, apostrophes, dots.
IGNORED_CHARACTERS = WHITESPACE + "-‐–—'’ʼ`."
_IGNORED = re.compile(f"[{re.escape(IGNORED_CHARACTERS)}]+")
_DOUBLE = re.compile(r"(.)\1+")
# Sounds spelt with two Latin letters, read as one letter (in this order, twice).
DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("kh", "h"), ("zh", "j"), ("ch", "c"), ("sh", "s"), ("ts", "c"),
)  # fmt: skip


def _plain(text: str) -> str:
    """Case, spaces, hyphens, ё/е and look-alike letters set aside."""
    one_script = name_to_one_script(text.strip()).text
    return _IGNORED.sub("", one_script.casefold()).replace("ё", "е")


def _digraphs(text: str) -> str:
    for pair, letter in DIGRAPHS:
        text = text.replace(pair, letter)
    return text


def _variant(text: str) -> str:
    latin = _plain(text).translate(KAZAKH_TO_RUSSIAN).translate(CYRILLIC_TO_LATIN)
    # "kh" may come from х or be typed; "zh", "ch", "sh", "ts" likewise (j, ç, ş, c).
    latin = _digraphs(_digraphs(latin).translate(LATIN_LETTERS))
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


# --- the same keys in SQL (PostgreSQL) ---------------------------------------------------
#
# The census-database import computes the keys of a million forms and people inside the
# database. Its SQL is generated here from the tables above, so there is one rule:
# ``tests/censusdb/test_sql_rules.py`` checks that both give the same keys on tricky names.

SQL_ONE_SCRIPT = "pg_temp.census_one_script"
# Lower-case letters whose case-folding is not their lower case (Latin, Greek, Cyrillic).
_FOLD_AFTER_LOWER = tuple(
    (letter, letter.casefold())
    for letter in map(chr, range(0x530))
    if letter == letter.lower() and letter.casefold() != letter
)
_PLACEHOLDERS = 0xE000  # private-use letters stand in for several-letter replacements


def sql_text(text: str) -> str:
    """``text`` as an SQL string literal (``%`` doubled: the statements take parameters)."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def sql_translate(expression: str, table: dict[int, str]) -> str:
    """``expression.translate(table)`` in SQL: one ``translate()`` for the one-letter
    replacements and removals, the longer ones through placeholders and ``replace()``
    (all replacements at once, as ``str.translate`` does)."""
    single, several, removed = [], [], []
    for code, value in table.items():
        if len(value) == 1:
            single.append((chr(code), value))
        elif value:
            several.append((chr(code), value))
        else:
            removed.append(chr(code))
    placeholders = [chr(_PLACEHOLDERS + index) for index in range(len(several))]
    source = "".join(k for k, _v in single) + "".join(k for k, _v in several) + "".join(removed)
    target = "".join(v for _k, v in single) + "".join(placeholders)
    sql = f"translate({expression}, {sql_text(source)}, {sql_text(target)})"
    for placeholder, (_key, value) in zip(placeholders, several, strict=True):
        sql = f"replace({sql}, {sql_text(placeholder)}, {sql_text(value)})"
    return sql


def _sql_script_of(expression: str, *, whole: bool) -> str:
    """``lookalikes._script_of(text, default="")`` in SQL: 'cyrillic', 'latin', '' or NULL.
    In a word every letter that is not Cyrillic is a Latin one; across a whole text any
    other letter counts as Latin (as ``str.isalpha`` there)."""
    cyrillic_twins = "".join(lookalikes.CYRILLIC_TO_LATIN)
    latin_twins = "".join(lookalikes.LATIN_TO_CYRILLIC)
    block = f"[{lookalikes._CYRILLIC}]"
    cyrillic = f"translate({expression}, {sql_text(cyrillic_twins)}, '') ~ '{block}'"
    others = f"translate({expression}, {sql_text(latin_twins)}, '')"
    if whole:
        latin = f"regexp_replace({others}, '{block}', '', 'g') ~ '[[:alpha:]]'"
    else:
        latin = f"{others} ~ '[{lookalikes._LATIN}]'"
    return (
        f"CASE WHEN ({cyrillic}) AND ({latin}) THEN NULL WHEN {latin} THEN 'latin' "
        f"WHEN {cyrillic} THEN 'cyrillic' ELSE '' END"
    )


def sql_functions() -> list[str]:
    """The statements that create this session's SQL function of the rule (temporary:
    nothing to migrate, always the Python tables' own): ``name_to_one_script``."""
    letters = f"{lookalikes._LATIN}{lookalikes._CYRILLIC}"
    latin, cyrillic = "".join(lookalikes.LATIN_TO_CYRILLIC), "".join(lookalikes.CYRILLIC_TO_LATIN)
    to_cyrillic = f"{sql_text(latin)}, {sql_text(''.join(lookalikes.LATIN_TO_CYRILLIC.values()))}"
    to_latin = f"{sql_text(cyrillic)}, {sql_text(''.join(lookalikes.CYRILLIC_TO_LATIN.values()))}"
    body = f"""
DECLARE
  name_script text := {_sql_script_of("t", whole=True)};
  own text;
  part text[];
  result text := '';
BEGIN
  FOR part IN SELECT regexp_matches(t, '([{letters}]+)|([^{letters}]+)', 'g') LOOP
    IF part[1] IS NULL THEN
      result := result || part[2];
      CONTINUE;
    END IF;
    own := {_sql_script_of("part[1]", whole=False)};
    IF own IS NULL THEN
      result := result || part[1];
    ELSIF COALESCE(NULLIF(own, ''), NULLIF(name_script, ''), 'cyrillic') = 'cyrillic' THEN
      result := result || translate(part[1], {to_cyrillic});
    ELSE
      result := result || translate(part[1], {to_latin});
    END IF;
  END LOOP;
  RETURN result;
END"""
    return [
        f"CREATE OR REPLACE FUNCTION {SQL_ONE_SCRIPT}(t text) RETURNS text LANGUAGE plpgsql "
        f"IMMUTABLE STRICT PARALLEL SAFE AS $census$ {body.replace('%%', '%')} $census$"
    ]


def sql_plain(expression: str) -> str:
    """``_plain`` of a stripped text in SQL: one script (the function of ``sql_functions``,
    called only for a text with a Latin letter and another), case-folded, the ignored
    characters removed, ё read as е."""
    one_script = (
        f"CASE WHEN octet_length({expression}) = char_length({expression}) "
        f"OR {expression} !~ '[{lookalikes._LATIN}]' THEN {expression} "
        f"ELSE {SQL_ONE_SCRIPT}({expression}) END"
    )
    folded = f"lower({one_script})"
    for letter, fold in _FOLD_AFTER_LOWER:
        folded = f"replace({folded}, {sql_text(letter)}, {sql_text(fold)})"
    return f"replace(translate({folded}, {sql_text(IGNORED_CHARACTERS)}, ''), 'ё', 'е')"


def _sql_digraphs(expression: str) -> str:
    for pair, letter in DIGRAPHS:
        expression = f"replace({expression}, {sql_text(pair)}, {sql_text(letter)})"
    return expression


def sql_variant(plain: str) -> str:
    """``_variant`` in SQL, of ``plain`` (an ``sql_plain`` value: computed once for both)."""
    latin = sql_translate(sql_translate(plain, KAZAKH_TO_RUSSIAN), CYRILLIC_TO_LATIN)
    latin = _sql_digraphs(sql_translate(_sql_digraphs(latin), LATIN_LETTERS))
    return f"regexp_replace({latin}, '(.)\\1+', '\\1', 'g')"


def sql_key(surname: str, given_name: str, birth_date: str, *, empty: str) -> str:
    """``_key`` in SQL from the parts already folded; ``empty`` is the SQL condition of a
    missing part (no birth date, an empty surname or given name): an empty key."""
    return (
        f"CASE WHEN {empty} THEN '' ELSE {surname} || {sql_text(KEY_SEPARATOR)} || "
        f"{given_name} || {sql_text(KEY_SEPARATOR)} || to_char({birth_date}, 'YYYY-MM-DD') END"
    )


def sql_keys(surname: str, given_name: str, birth_date: str, *, empty: str) -> tuple[str, str]:
    """The exact and the variant key in SQL from ``sql_plain`` values of the names."""
    exact = sql_key(surname, given_name, birth_date, empty=empty)
    variant = sql_key(sql_variant(surname), sql_variant(given_name), birth_date, empty=empty)
    return exact, variant
