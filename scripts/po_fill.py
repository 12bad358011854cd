"""Fill kk/ru translations into the .po catalogues from TSV sources, then compile them.

Usage: python scripts/po_fill.py [FILE_OR_DIR ...]   (default: locale/source/)
The translations are kept in ``locale/source/<area>.tsv``, one per app or area, so that
work on different apps never edits the same lines. Each line: msgid<TAB>kk<TAB>ru (a
literal \\n in a cell stands for a newline; lines starting with # are comments). Entries
are matched on msgid; fuzzy flags are cleared. English entries keep msgid as their text.
Untranslated kk/ru entries are listed and make the exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _sources(args: list[str]) -> list[Path]:
    paths = [Path(arg) for arg in args] or [LOCALE / "source"]
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.tsv")) if path.is_dir() else [path])
    return files


def main(args: list[str]) -> int:
    rows: dict[str, dict[str, str]] = {}
    for path in _sources(args):
        status = _read(path, rows)
        if status:
            return status
    return _fill(rows)


def _read(path: Path, rows: dict[str, dict[str, str]]) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.replace("\\n", "\n") for cell in line.split("\t")]
        if len(cells) != 3:
            print(f"{path}:{number}: expected 3 tab-separated cells, got {len(cells)}")
            return 1
        rows[cells[0]] = {"kk": cells[1], "ru": cells[2]}
    return 0


def _fill(rows: dict[str, dict[str, str]]) -> int:
    missing: dict[str, list[str]] = {}
    for language in ("kk", "ru", "en"):
        po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if language == "en":
                if not entry.msgid_plural:
                    entry.msgstr = entry.msgid
            elif entry.msgid in rows:
                entry.msgstr = rows[entry.msgid][language]
            elif not entry.msgid_plural:
                # The TSV files are the only source: anything else is msgmerge's guess from a
                # similar string ("date" -> "updated") or a stale edit, and is never shipped.
                entry.msgstr = ""
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if not entry.translated() and language != "en":
                missing.setdefault(language, []).append(entry.msgid)
        catalogue.save()
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    for language, msgids in missing.items():
        print(f"{language}: {len(msgids)} untranslated")
        for msgid in msgids:
            print(f"  {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
