"""Reload reference data from the project's CSV fixtures (idempotent)."""

from django.core.management.base import BaseCommand

from institutions.models import Campaign, District, InstitutionType, Region
from institutions.reference_data import load_campaign_2021, load_reference


class Command(BaseCommand):
    help = "Load regions, districts, institution types and the 2021 campaign (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        load_reference(Region, District, InstitutionType)
        load_campaign_2021(Campaign, Region)
        self.stdout.write(
            f"regions={Region.objects.count()} districts={District.objects.count()} "
            f"types={InstitutionType.objects.count()} campaigns={Campaign.objects.count()}"
        )
