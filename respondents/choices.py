"""Choices of stage 1 (stage 2's are in ``enumeration.choices``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ConflictKind(models.TextChoices):
    """Why two institutions' rows were put in the conflict queue."""

    IIN = "iin", _("Same IIN")
    POSSIBLE = "possible", _("Possible duplicate")


class ConflictDecision(models.TextChoices):
    """The department's decision on one IIN listed by two institutions."""

    BELONGS_TO_A = "belongs_to_a", _("Belongs to the first institution")
    BELONGS_TO_B = "belongs_to_b", _("Belongs to the second institution")
    BOTH_LEGITIMATE = "both_legitimate", _("Both entries are legitimate")
