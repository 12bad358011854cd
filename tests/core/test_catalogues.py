"""The kk and ru catalogues are complete, compiled, and match the code's msgids.

A fresh ``makemessages`` (the project's, with ``--no-fuzzy-matching``) runs on a copy of the
source tree, so a msgid added in the code but not in the committed catalogue, or one left
in the catalogue after the code dropped it, fails here and not on a page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TRANSLATED = ("kk", "ru")
# The usual gettext rules: Kazakh as CLDR and Django have it (the forms may read the same:
# a noun after a numeral stays singular), Russian's three forms (1 / 2-4 / 5-20).
PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}
# The same options as `make messages`.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "kk",
    "-l",
    "ru",
    "-l",
    "en",
    "--no-obsolete",
    "--add-location=file",
    "--ignore=.venv",
    "--ignore=staticfiles",
    "--ignore=var",
]
# A number of things inside a sentence ("%(count)d people", "at most %(limit)d rows") needs
# plural forms; a label followed by its number ("Lists accepted: %(count)d") does not.
QUANTITY = r"%\((?:count|limit|years|months|days|hours|minutes|seconds)\)[ds]"
COUNTED_NOUN = re.compile(
    rf"{QUANTITY} (?!of\b)[a-z]|\b(?:at most|more than|for|in) {QUANTITY} [a-z]"
)
NOT_COPIED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "var",
    "staticfiles",
    "screens",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.mo",
    "db.sqlite3*",
)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r} ({', '.join(path for path, _ in entry.occurrences)})"


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_no_untranslated_fuzzy_or_obsolete_entry(language):
    po = catalogue(language)
    problems = [f"untranslated: {label(e)}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {label(e)}" for e in po.fuzzy_entries()]
    problems += [f"obsolete: {label(e)}" for e in po.obsolete_entries()]
    if po.metadata_is_fuzzy:
        problems.append("the header is marked fuzzy")
    assert not problems, (
        f"locale/{language}/LC_MESSAGES/django.po: translate these (and remove any "
        "'#, fuzzy' flag), then run `make messages`:\n  " + "\n  ".join(problems)
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_header_names_the_language_and_its_plural_forms(language):
    metadata = catalogue(language).metadata
    assert metadata["Language"] == language
    assert metadata["Plural-Forms"] == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_plural_entry_fills_every_form(language):
    po = catalogue(language)
    expected = int(PLURAL_FORMS[language].split(";")[0].split("=")[1])
    short = [label(e) for e in po if e.msgid_plural and len(e.msgstr_plural) != expected]
    assert not short, f"entries without {expected} plural forms: {short}"


def test_a_number_inside_a_sentence_has_plural_forms():
    singular_only = [
        label(e) for e in catalogue("ru") if not e.msgid_plural and COUNTED_NOUN.search(e.msgid)
    ]
    assert not singular_only, "use ngettext / {% blocktranslate count %} for these: " + ", ".join(
        singular_only
    )


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_catalogue_compiles_and_the_committed_mo_is_current(language, tmp_path):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is needed to compile the catalogues"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(po_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    compiled = {
        key(e): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(tmp_path / "django.mo"))
    }
    committed_mo = po_path.with_suffix(".mo")
    committed = {key(e): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(committed_mo))}
    assert committed == compiled, f"{committed_mo.relative_to(ROOT)} is stale: run `make messages`"


def test_catalogues_hold_exactly_the_msgids_of_the_code(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for language in TRANSLATED:
        fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        committed = catalogue(language)
        missing = {key(e) for e in fresh} - {key(e) for e in committed}
        stale = {key(e) for e in committed} - {key(e) for e in fresh}
        assert not missing, (
            f"locale/{language}: in the code, not in the catalogue: {sorted(missing)}; "
            "run `make messages` and translate the new entries"
        )
        assert not stale, (
            f"locale/{language}: in the catalogue, no longer in the code: {sorted(stale)}; "
            "run `make messages`"
        )
