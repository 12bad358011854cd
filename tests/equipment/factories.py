"""Factories for tablet kits; acts are built through the services users trigger."""

from __future__ import annotations

import factory

from equipment.models import TabletKit


def imei_with_check_digit(body: str) -> str:
    """A 15-digit IMEI: ``body`` (14 digits) and its Luhn check digit."""
    total = 0
    for index, char in enumerate(body):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return body + str((10 - total % 10) % 10)


class TabletKitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TabletKit

    inventory_number = factory.Sequence(lambda n: f"INV-{n:05d}")
    serial = factory.Sequence(lambda n: f"SN{n:08d}")
    imei = factory.Sequence(lambda n: imei_with_check_digit(f"35123456{n:06d}"))
    model = "Samsung Galaxy Tab A7"
