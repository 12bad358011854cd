"""Choices of stage 2: outcomes, reasons, sources, methods."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Owned by institutions (an institution's default method); re-exported for stage 2's code.
from institutions.choices import EnumerationMethod as EnumerationMethod


class EnumerationStatus(models.TextChoices):
    """Outcome of stage 2 for one listed person (¶9.2)."""

    PENDING = "pending", _("Pending")
    ENUMERATED = "enumerated", _("Enumerated")
    NOT_ENUMERATED = "not_enumerated", _("Not enumerated")


class NonEnumerationReason(models.TextChoices):
    """Why a listed person could not be enumerated."""

    REFUSED = "refused", _("Refused")
    ABSENT = "absent", _("Absent all period")
    DEPARTED = "departed", _("Departed")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other reason")


class EnumerationSource(models.TextChoices):
    """Which entry point recorded a change of enumeration."""

    WEB = "web", _("Web form")
    API = "api", _("REST API")
    SYNC = "sync", _("Tablet sync")
    ADMIN = "admin", _("Administration site")
    DEMO = "demo", _("Demo data")
    CENSUS_DB = "census", _("Census database")
