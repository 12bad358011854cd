"""Issue an API token for an API-client account and print its key (shown only this once)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import api_token_issue
from census_coord.errors import service_error_message


class Command(BaseCommand):
    help = (
        "Issue an API token for the API-client account USERNAME, acting as the department "
        "user given with --as, and print the key; only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            help="The department user issuing it (the same rule as in the admin applies).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {options['actor']!r} for --as.")
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {options['username']!r}.") from exc
        try:
            _token, key = api_token_issue(actor=actor, user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError(service_error_message(exc, sep="; ")) from exc
        self.stdout.write(key)
