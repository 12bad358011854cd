"""Fill the database with demo data (idempotent: running it twice adds nothing)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from census_coord.demo import seed_all


class Command(BaseCommand):
    help = "Create demo users, institutions and census data. Safe to run repeatedly."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            context = seed_all(password=settings.DEMO_PASSWORD or None)
        for line in context.lines:
            self.stdout.write(line)
