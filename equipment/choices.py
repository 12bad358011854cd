"""Choices of the equipment app: kit states, the seven components, conditions, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KitState(models.TextChoices):
    IN_STOCK = "in_stock", _("in stock")
    HANDED_OVER = "handed_over", _("handed over")
    RETURNED = "returned", _("returned")
    # Back in the store with a component missing or damaged: not ready to go out again until
    # the Department records the replacement (``kit_components_replace``).
    INCOMPLETE = "incomplete", _("incomplete")
    LOST_DAMAGED = "lost_damaged", _("lost or damaged")
    IN_REPAIR = "in_repair", _("in repair")


class Component(models.TextChoices):
    """The seven components that go with every tablet (¶8), in the order of the act."""

    CASE = "case", _("shock-resistant protective case")
    SAFETY_GLASS = "safety_glass", _("pre-installed safety glass")
    CHARGER = "charger", _("charger")
    USB_CABLE = "usb_cable", _("USB cable")
    STYLUS = "stylus", _("stylus")
    POWER_BANK = "power_bank", _("power bank")
    POWER_BANK_CABLE = "power_bank_cable", _("power bank USB cable")


class Condition(models.TextChoices):
    """A component's condition; ``absent`` means the component is not in the kit."""

    GOOD = "good", _("good")
    WORN = "worn", _("worn")
    DAMAGED = "damaged", _("damaged")
    ABSENT = "absent", _("absent")


# A component in one of these conditions has to be replaced before the kit is whole again.
DEFECTIVE_CONDITIONS = (Condition.DAMAGED, Condition.ABSENT)


class ReturnOutcome(models.TextChoices):
    RETURNED = "returned", _("returned")
    MISSING = "missing", _("missing")
    DAMAGED = "damaged", _("damaged")


class ActStatus(models.TextChoices):
    DRAFT = "draft", _("draft, awaiting signature")
    SIGNED = "signed", _("signed")
    PARTLY_RETURNED = "partly_returned", _("partly returned")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


# Acts whose kits are out with the institution (a cancelled or closed act holds nothing).
OPEN_ACT_STATUSES = (ActStatus.DRAFT, ActStatus.SIGNED, ActStatus.PARTLY_RETURNED)
RETURNABLE_ACT_STATUSES = (ActStatus.SIGNED, ActStatus.PARTLY_RETURNED)
