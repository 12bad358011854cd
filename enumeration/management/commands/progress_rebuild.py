"""Recount every stage-2 progress counter from the raw rows (idempotent)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from enumeration.progress_services import progress_rebuild
from institutions.models import Campaign


class Command(BaseCommand):
    help = (
        "Recount the stage-2 progress counters of every list from the respondent and "
        "enumeration rows. Safe to run at any time and repeatedly."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--campaign", help="Only this campaign's code (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = None
        if options["campaign"]:
            campaign = Campaign.objects.filter(code=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"No campaign with code {options['campaign']!r}.")
        started = time.perf_counter()
        lists = progress_rebuild(campaign=campaign)
        self.stdout.write(
            f"progress_rebuild lists={lists} ms={(time.perf_counter() - started) * 1000:.0f}"
        )
