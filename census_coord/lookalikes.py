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


def _is_cyrillic(letter: str) -> bool:
    return "\u0400" <= letter <= "\u04ff"


def _own_letters(text: str) -> tuple[int, int]:
    """Letters of ``text`` that exist in one script alone: (Cyrillic, Latin)."""
    cyrillic_only = latin_only = 0
    for letter in text:
        if _is_cyrillic(letter):
            cyrillic_only += letter not in CYRILLIC_TO_LATIN
        elif letter.isalpha():
            latin_only += letter not in LATIN_TO_CYRILLIC
    return cyrillic_only, latin_only


def _script_of(text: str, default: str = "cyrillic") -> str | None:
    """``cyrillic`` or ``latin`` by the letters only one script has; None when both
    have some; ``default`` when every letter has a twin (the lists are Cyrillic)."""
    cyrillic_only, latin_only = _own_letters(text)
    if cyrillic_only and latin_only:
        return None
    if latin_only:
        return "latin"
    if cyrillic_only:
        return "cyrillic"
    return default


def _in_script(word: str, script: str) -> str:
    return word.translate(_TO_CYRILLIC if script == "cyrillic" else _TO_LATIN)


def word_to_one_script(word: str, default: str = "cyrillic") -> str | None:
    """``word`` in one script, or None when it holds letters of both that are not twins.

    A word of twins only (``TOKAEB``) is put in ``default``'s script.
    """
    script = _script_of(word, default)
    return None if script is None else _in_script(word, script)


def name_to_one_script(text: str) -> OneScript:
    """Every word of ``text`` in one script; words that cannot be resolved are listed.

    A word is put in the script of its own letters; a word of twins only (``O`` in
    ``O'Нил``) takes the script of the rest of the name when that is clear.
    """
    if text.isascii() or not _HAS_LATIN_RE.search(text):
        return OneScript(text)  # the usual case, decided without looking at words
    name_script = _script_of(text, default="")
    unresolved: list[str] = []

    def convert(match: re.Match[str]) -> str:
        word = match.group(0)
        own = _script_of(word, default="")
        if own is None:
            unresolved.append(word)
            return word
        return _in_script(word, own or name_script or "cyrillic")

    return OneScript(_WORD_RE.sub(convert, text), tuple(unresolved))
