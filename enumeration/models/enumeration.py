"""Stage 2 (¶9.2): the enumeration of every listed person, and participation certificates (¶8).

One ``Enumeration`` row per respondent holds the current outcome; every change is kept in
``EnumerationChange``. A respondent without a row is simply pending.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enumeration.choices import (
    EnumerationMethod,
    EnumerationSource,
    EnumerationStatus,
    NonEnumerationReason,
)
from respondents.models.lists import Respondent


class Enumeration(models.Model):
    """How and with what outcome one listed person was enumerated."""

    respondent = models.OneToOneField(
        Respondent,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="enumeration",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnumerationStatus.choices,
        default=EnumerationStatus.PENDING,
    )
    method = models.CharField(
        _("method"), max_length=16, choices=EnumerationMethod.choices, blank=True
    )
    reason = models.CharField(
        _("reason not enumerated"), max_length=16, choices=NonEnumerationReason.choices, blank=True
    )
    reason_detail = models.CharField(
        _("reason details"),
        max_length=500,
        blank=True,
        help_text=_("Why the administration's records were used, or what the other reason is."),
    )
    enumerated_on = models.DateField(_("date"), null=True, blank=True)
    staff = models.ForeignKey(
        "institutions.ResponsibleStaff",
        verbose_name=_("responsible staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The equipment app owns tablet kits; until the sync issue links them, the kit is
    # recorded by its inventory number as the census system reports it.
    tablet_kit_ref = models.CharField(_("tablet kit"), max_length=64, blank=True)
    registration_number = models.CharField(
        _("census registration number"), max_length=32, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    window_override_reason = models.CharField(
        _("reason the date is outside the window"), max_length=500, blank=True
    )
    window_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("window override by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        _("recorded through"), max_length=8, choices=EnumerationSource.choices
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "respondents_enumeration"  # the table kept its name when the model moved
        verbose_name = _("enumeration")
        verbose_name_plural = _("enumerations")
        ordering = ["respondent"]
        indexes = [models.Index(fields=["status", "enumerated_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="enumeration_registration_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnumerationStatus.ENUMERATED) | ~Q(method=""),
                name="enumeration_enumerated_has_method",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnumerationStatus.NOT_ENUMERATED) | ~Q(reason=""),
                name="enumeration_not_enumerated_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} — {self.get_status_display()}"


class EnumerationChange(models.Model):
    """One change of a person's enumeration: who, when, through what, and the values set."""

    enumeration = models.ForeignKey(
        Enumeration,
        verbose_name=_("enumeration"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    source = models.CharField(
        _("recorded through"), max_length=8, choices=EnumerationSource.choices
    )
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        db_table = "respondents_enumerationchange"  # the table kept its name when the model moved
        verbose_name = _("enumeration change")
        verbose_name_plural = _("enumeration changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enumeration_id} {self.at:%d.%m.%Y %H:%M}"

    # The stored values are codes (``after`` is JSON); the history shows their labels.
    @property
    def status_label(self) -> str:
        return _choice_label(EnumerationStatus, self.after.get("status"))

    @property
    def method_label(self) -> str:
        return _choice_label(EnumerationMethod, self.after.get("method"))

    @property
    def reason_label(self) -> str:
        return _choice_label(NonEnumerationReason, self.after.get("reason"))

    @property
    def enumerated_on(self) -> dt.date | None:
        value = self.after.get("enumerated_on")
        try:
            return dt.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None


def _choice_label(choices: type[models.TextChoices], value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:  # a value since retired from the choices: show it as stored
        return value


class CertificateCounter(models.Model):
    """The last certificate number issued in a campaign; locked while a number is taken."""

    campaign = models.OneToOneField(
        "institutions.Campaign", on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "respondents_certificatecounter"  # the table kept its name when the model moved
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.last_number}"


class Certificate(models.Model):
    """A certificate of having taken part in the census (анықтама / справка), one per person."""

    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.PositiveIntegerField(_("number"))
    respondent = models.OneToOneField(
        Respondent,
        verbose_name=_("respondent"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    issued_on = models.DateField(_("date of issue"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "respondents_certificate"  # the table kept its name when the model moved
        verbose_name = _("participation certificate")
        verbose_name_plural = _("participation certificates")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="certificate_number_unique_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.number:06d}"


class CertificatePrint(models.Model):
    """One printing of a certificate; every printing after the first is a duplicate."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="prints",
    )
    language = models.CharField(_("language"), max_length=8)
    is_duplicate = models.BooleanField(_("duplicate"), default=False)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    printed_at = models.DateTimeField(pgettext_lazy("time", "printed"), auto_now_add=True)

    class Meta:
        db_table = "respondents_certificateprint"  # the table kept its name when the model moved
        verbose_name = _("certificate printing")
        verbose_name_plural = _("certificate printings")
        ordering = ["printed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.printed_at:%d.%m.%Y %H:%M}"
