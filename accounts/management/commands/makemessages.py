"""``makemessages`` that never guesses and leaves nothing to conflict on.

- msgmerge runs with ``--no-fuzzy-matching``: Django's default fills a new msgid with the
  translation of a similar old one and marks it fuzzy (a guess that is easy to ship by
  mistake, and the catalogue test refuses fuzzy entries anyway). A new entry stays empty
  until someone translates it.
- The header's ``POT-Creation-Date`` is dropped: it changes on every run, so two branches
  that both ran ``make messages`` would always conflict on that one line.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management.commands import makemessages

POT_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"]*\\n"\n', re.MULTILINE)


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def write_po_file(self, potfile: str, locale: str) -> None:
        super().write_po_file(potfile, locale)
        pofile = Path(potfile).parent / locale / "LC_MESSAGES" / f"{self.domain}.po"
        text = pofile.read_text(encoding="utf-8")
        pofile.write_text(POT_CREATION_DATE.sub("", text, count=1), encoding="utf-8")
