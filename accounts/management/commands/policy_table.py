"""Write docs/PERMISSIONS.md, the role × rule table, from census_coord.policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from census_coord.policy import render_table

TABLE_PATH = Path(settings.BASE_DIR) / "docs" / "PERMISSIONS.md"


class Command(BaseCommand):
    help = "Write docs/PERMISSIONS.md from the named rules of census_coord.policy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only fail if the file is not up to date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        table = render_table()
        if options["check"]:
            if not TABLE_PATH.exists() or TABLE_PATH.read_text(encoding="utf-8") != table:
                raise CommandError(f"{TABLE_PATH} is stale: run manage.py policy_table.")
            return
        TABLE_PATH.write_text(table, encoding="utf-8")
        self.stdout.write(f"Wrote {TABLE_PATH}.")
