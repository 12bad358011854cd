"""Choices that institutions own and the apps above it share.

``EnumerationMethod`` lives here because an institution's default method is a field of the
institution; ``respondents.choices`` re-exports it, so either import works.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnumerationMethod(models.TextChoices):
    """How a listed person is enumerated in stage 2 (¶9.2)."""

    ONLINE_SELF = "online_self", _("Online, by themselves")
    ONLINE_ASSISTED = "online_assisted", _("Online, helped by responsible staff")
    TABLET = "tablet", _("Tablet interview")
    ADMIN_RECORDS = "admin_records", _("From administration records")


class ReportState(models.TextChoices):
    """Where an item the institution reports stands (¶5–7): the Department confirms it or
    returns it with a comment; only a confirmed item counts as ready."""

    REPORTED = "reported", _("Reported by the institution")
    CONFIRMED = "confirmed", _("Confirmed by the Department")
    RETURNED = "returned", _("Returned for correction")


class ReportKind(models.TextChoices):
    """The kinds of items an institution reports about its responsible staff (¶5–7)."""

    ORDER = "order", _("Appointment order")
    STAFF = "staff", _("Responsible staff member")
    PROVISIONING = "provisioning", _("Premises and computer")
    ATTENDANCE = "attendance", _("Seminar attendance")
