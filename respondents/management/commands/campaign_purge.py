"""Remove the personal data of a closed campaign's respondents, keeping every count."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from census_coord.errors import service_error_message
from institutions.models import Campaign
from respondents.purge_services import campaign_personal_data_purge


class Command(BaseCommand):
    help = (
        "Anonymise the respondents of a closed campaign (names, IIN, day and month of birth, "
        "notes, uploaded files) once N days have passed since it closed; lists, counters "
        "and progress stay. Audited; refused for an open campaign or too early."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="The campaign's code, e.g. census-2021.")
        parser.add_argument(
            "--after-days",
            type=int,
            required=True,
            help="Retention period set by the Department: days after the campaign closed.",
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="The department user on whose behalf this runs (named in the audit trail).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.filter(code=options["code"]).first()
        if campaign is None:
            raise CommandError(f"No campaign with code {options['code']!r}.")
        actor = (
            get_user_model().objects.filter(username=options["username"], is_active=True).first()
        )
        if actor is None:
            raise CommandError(f"No active user {options['username']!r}.")
        try:
            counts = campaign_personal_data_purge(
                actor=actor, campaign=campaign, after_days=options["after_days"]
            )
        except PermissionDenied as error:
            raise CommandError(f"{actor} is not department staff.") from error
        except ValidationError as error:
            raise CommandError(service_error_message(error)) from error
        summary = " ".join(f"{name}={count}" for name, count in counts.items())
        self.stdout.write(f"campaign_purge {campaign.code}: {summary}")
