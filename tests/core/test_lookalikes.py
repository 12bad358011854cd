"""One script per word: the look-alike normaliser other matching reuses."""

from __future__ import annotations

import pytest

from census_coord.lookalikes import name_to_one_script, word_to_one_script


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Kаcымов", "Касымов"),  # Latin K, c in a Cyrillic word
        ("Aхметов-Ceрік", "Ахметов-Серік"),
        ("Əлиева", "Әлиева"),  # a Latin schwa typed for ә
        ("Jоhn", "John"),  # a Cyrillic о in a Latin word
        ("Müllеr", "Müller"),
        ("O'Нил", "О'Нил"),  # a word of twins only takes the name's script
        ("TOKAEB Нұрлан", "ТОКАЕВ Нұрлан"),
        ("Иванов Ivan", "Иванов Ivan"),  # each word in one script already
        ("Сәрсенова", "Сәрсенова"),
    ],
)
def test_each_word_is_stored_in_one_script(typed, stored):
    result = name_to_one_script(typed)
    assert (result.text, result.unresolved) == (stored, ())


def test_a_word_with_own_letters_of_both_scripts_is_unresolved():
    assert name_to_one_script("Ивanов Нұрлан").unresolved == ("Ивanов",)
    assert word_to_one_script("Ивanов") is None
    assert word_to_one_script("TOKAEB") == "ТОКАЕВ"  # twins only: Cyrillic by default
