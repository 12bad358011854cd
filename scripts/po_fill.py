"""Fill kk/ru translations into the .po catalogues from a TSV file, then compile them.

Usage: python scripts/po_fill.py FILE.tsv
Each line: msgid<TAB>kk<TAB>ru (a literal \\n in a cell stands for a newline). Entries are
matched on msgid; existing translations are overwritten, fuzzy flags cleared. English
catalogue entries keep msgid as their text. Then every catalogue is compiled to .mo.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main(path: str) -> int:
    rows: dict[str, dict[str, str]] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.replace("\\n", "\n") for cell in line.split("\t")]
        if len(cells) != 3:
            print(f"{path}:{number}: expected 3 tab-separated cells, got {len(cells)}")
            return 1
        rows[cells[0]] = {"kk": cells[1], "ru": cells[2]}
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
