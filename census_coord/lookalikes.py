"""Latin and Cyrillic letters that look alike, and putting each word of a name in one script.

People type a Latin ``a``, ``o``, ``p``, ``c``, ``i`` inside a Cyrillic name (and Cyrillic
letters inside a Latin one) because the keyboard layout was switched mid-word or the name
was pasted from another system. The name looks right on screen but no search or duplicate
match finds the person. ``name_to_one_script`` converts the look-alike letters of a word to
the script of the word's other letters; a word whose letters of both scripts are not all
look-alikes cannot be resolved and is returned for the caller to report.

Kept apart from the respondent rules so that other matching (the census database, search)
normalises names with the same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Latin -> Cyrillic, only pairs drawn the same in common fonts. Kazakh і and һ have Latin
# twins; the schwa ə is what people type for ә on Latin keyboards.
LATIN_TO_CYRILLIC: dict[str, str] = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
    "a": "а", "c": "с", "e": "е", "h": "һ", "i": "і", "k": "к", "o": "о", "p": "р",
    "x": "х", "y": "у", "Ə": "Ә", "ə": "ә",
}  # fmt: skip
CYRILLIC_TO_LATIN: dict[str, str] = {cyr: lat for lat, cyr in LATIN_TO_CYRILLIC.items()}
_TO_CYRILLIC = str.maketrans(LATIN_TO_CYRILLIC)
_TO_LATIN = str.maketrans(CYRILLIC_TO_LATIN)

# A Latin letter (ASCII, accented, schwa) next to a Cyrillic one somewhere in the text:
# the only names that need any work. Pure ASCII is answered before the regex runs.
_LATIN = "A-Za-zÀ-ÖØ-öø-ÿƏə"
_CYRILLIC = "\u0400-\u04ff"
_HAS_LATIN_RE = re.compile(f"[{_LATIN}]")
_WORD_RE = re.compile(f"[{_LATIN}{_CYRILLIC}]+")


@dataclass(frozen=True)
class OneScript:
    """A name with every resolvable word in one script, and the words that are not."""

    text: str
    unresolved: tuple[str, ...] = ()


def _script_of(word: str) -> str | None:
    """``cyrillic`` or ``latin`` for a mixed word, None when it cannot be decided."""
    cyrillic_only = latin_only = 0  # letters that exist in one script alone
    for letter in word:
        if "\u0400" <= letter <= "\u04ff":
            cyrillic_only += letter not in CYRILLIC_TO_LATIN
        else:
            latin_only += letter not in LATIN_TO_CYRILLIC
    if cyrillic_only and latin_only:
        return None
    if latin_only:
        return "latin"
    # Cyrillic letters of their own, or nothing but look-alikes: the lists are Cyrillic.
    return "cyrillic"


def word_to_one_script(word: str) -> str | None:
    """``word`` in one script, or None when it holds letters of both that are not twins."""
    has_cyrillic = any("\u0400" <= letter <= "\u04ff" for letter in word)
    if not has_cyrillic or not _HAS_LATIN_RE.search(word):
        return word
    script = _script_of(word)
    if script is None:
        return None
    return word.translate(_TO_CYRILLIC if script == "cyrillic" else _TO_LATIN)


def name_to_one_script(text: str) -> OneScript:
    """Every word of ``text`` in one script; words that cannot be resolved are listed."""
    if text.isascii() or not _HAS_LATIN_RE.search(text):
        return OneScript(text)  # the usual case, decided without looking at words
    unresolved: list[str] = []

    def convert(match: re.Match[str]) -> str:
        word = match.group(0)
        converted = word_to_one_script(word)
        if converted is None:
            unresolved.append(word)
            return word
        return converted

    return OneScript(_WORD_RE.sub(convert, text), tuple(unresolved))
