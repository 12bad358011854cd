"""Choices of stage 1 and stage 2 shared across apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Owned by institutions (an institution's default method); re-exported for old imports.
from institutions.choices import EnumerationMethod as EnumerationMethod


class ListStatus(models.TextChoices):
    """Where a stage-1 list is in its review by the department."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for corrections")
    ACCEPTED = "accepted", _("Accepted")


# Officers may change rows only while the list is in one of these states.
EDITABLE_STATUSES = (ListStatus.DRAFT, ListStatus.RETURNED)


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Citizenship(models.TextChoices):
    """Citizenship category of a respondent (¶3)."""

    CITIZEN = "citizen", _("Citizen of Kazakhstan")
    FOREIGN = "foreign", _("Foreign citizen")
    STATELESS = "stateless", _("Stateless person")


class ResidenceStatus(models.TextChoices):
    """How a respondent belongs to the institution's population (¶3)."""

    PERMANENT = "permanent", _("Permanent resident")
    TEMPORARILY_ABSENT = "temporarily_absent", _("Temporarily absent")
    TEMPORARILY_PRESENT = "temporarily_present", _("Temporarily residing or arrived")


class DepartureReason(models.TextChoices):
    LEFT = "left", _("Left")
    DIED = "died", _("Died")


class AmendmentKind(models.TextChoices):
    ADDITION = "addition", _("Arrival (addition)")
    DEPARTURE = "departure", _("Departure")


class ConflictDecision(models.TextChoices):
    """The department's decision on one IIN listed by two institutions."""

    BELONGS_TO_A = "belongs_to_a", _("Belongs to the first institution")
    BELONGS_TO_B = "belongs_to_b", _("Belongs to the second institution")
    BOTH_LEGITIMATE = "both_legitimate", _("Both entries are legitimate")


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
