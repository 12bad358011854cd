"""Recount the four-way reconciliation counters from the census records (idempotent)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from censusdb.reconciliation import reconciliation_refresh
from institutions.models import Campaign


class Command(BaseCommand):
    help = (
        "Recount the census-database reconciliation counters of every institution from the "
        "census records and the lists. Safe to run at any time and repeatedly."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--campaign", help="Only this campaign's code (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = Campaign.objects.order_by("pk")
        if options["campaign"]:
            campaigns = campaigns.filter(code=options["campaign"])
            if not campaigns.exists():
                raise CommandError(f"No campaign with code {options['campaign']!r}.")
        for campaign in campaigns:
            institutions = reconciliation_refresh(campaign=campaign)
            self.stdout.write(f"reconciliation_rebuild {campaign.code} institutions={institutions}")
