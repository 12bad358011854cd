"""Issue a new device key for a handed-over tablet kit and print it once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from census_coord.errors import service_error_message
from census_coord.policy import allowed
from equipment.models import TabletKit
from sync.services import device_token_issue


class Command(BaseCommand):
    help = "Issue a new device key for a tablet kit (by inventory number); the old key stops."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inventory_number")
        parser.add_argument("--as", dest="username", required=True, help="Department user.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["username"]).first()
        if actor is None or not allowed(actor, "device_key.issue"):
            raise CommandError("Give the username of an active department user with --as.")
        kit = TabletKit.objects.filter(inventory_number=options["inventory_number"]).first()
        if kit is None:
            raise CommandError("No tablet kit with this inventory number.")
        try:
            issued = device_token_issue(actor=actor, kit=kit)
        except ValidationError as error:
            raise CommandError(service_error_message(error)) from error
        self.stdout.write(issued.key)
