"""Premises and a computer with internet access for each responsible staff member (¶7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.models.campaign import active_campaign_id
from institutions.models.reporting import ReportedByInstitution


class Provisioning(ReportedByInstitution):
    """What the institution has provided one responsible staff member to work with (¶7),
    in the campaign of the staff member's appointment."""

    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("census campaign"),
        on_delete=models.PROTECT,
        related_name="provisionings",
        default=active_campaign_id,
    )
    staff = models.OneToOneField(
        "institutions.ResponsibleStaff",
        verbose_name=_("responsible staff member"),
        on_delete=models.CASCADE,
        related_name="provisioning",
    )
    premises_provided = models.BooleanField(_("premises provided"), default=False)
    premises_date = models.DateField(_("premises provided on"), null=True, blank=True)
    premises_note = models.CharField(_("premises note"), max_length=500, blank=True)
    computer_provided = models.BooleanField(
        _("computer with internet access provided"), default=False
    )
    computer_date = models.DateField(_("computer provided on"), null=True, blank=True)
    computer_note = models.CharField(_("computer note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("provisioning")
        verbose_name_plural = _("provisioning")
        ordering = ["staff__institution__name_kk", "staff__full_name"]

    def __str__(self) -> str:
        return str(self.staff)

    @property
    def complete(self) -> bool:
        return self.premises_provided and self.computer_provided

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.premises_provided and not self.premises_date:
            errors["premises_date"] = ValidationError(
                _("Give the date the premises were provided."), code="premises_date_missing"
            )
        if self.computer_provided and not self.computer_date:
            errors["computer_date"] = ValidationError(
                _("Give the date the computer was provided."), code="computer_date_missing"
            )
        if errors:
            raise ValidationError(errors)
