"""Institutions of the akimat and the responsible staff their heads appoint (¶3, ¶5)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from institutions.choices import EnumerationMethod
from institutions.models.campaign import active_campaign_id
from institutions.models.reporting import ReportedByInstitution
from institutions.validators import validate_bin


def validate_methods(value: object) -> None:
    allowed = set(EnumerationMethod.values)
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise ValidationError(_("Choose stage-2 methods from the list."), code="invalid_methods")


def institution_name(name_kk: str, name_ru: str, language: str) -> str:
    """``Institution.name`` from the two columns, for reports that read thousands of rows."""
    if language.startswith("ru") and name_ru:
        return name_ru
    return name_kk or name_ru


class Institution(models.Model):
    """An institution or organization of the akimat whose residents are counted."""

    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    name_kk = models.CharField(_("name (Kazakh)"), max_length=500)
    name_ru = models.CharField(_("name (Russian)"), max_length=500)
    type = models.ForeignKey(
        "institutions.InstitutionType",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    district = models.ForeignKey(
        "institutions.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    head_name = models.CharField(_("head's full name"), max_length=255, blank=True)
    head_position = models.CharField(_("head's position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    expected_residents = models.PositiveIntegerField(_("expected number of residents"), default=0)
    preferred_methods = models.JSONField(
        _("preferred stage-2 methods"), default=list, blank=True, validators=[validate_methods]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_kk"]
        indexes = [models.Index(fields=["district", "type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Russian for ru, Kazakh otherwise)."""
        return institution_name(self.name_kk, self.name_ru, get_language() or "kk")

    def natural_key(self) -> tuple[str]:
        return (self.bin,)


class AppointmentOrder(ReportedByInstitution):
    """The head's order appointing responsible staff (¶5), with its signed scan."""

    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("census campaign"),
        on_delete=models.PROTECT,
        related_name="appointment_orders",
        default=active_campaign_id,
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="appointment_orders",
    )
    number = models.CharField(_("order number"), max_length=64)
    date = models.DateField(_("order date"))
    signed_by = models.CharField(
        _("signed by"), max_length=255, help_text=_("The head who signed the order.")
    )
    scan = models.FileField(_("signed scan"), max_length=255, blank=True)
    scan_type = models.CharField(_("scan type"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("appointment order")
        verbose_name_plural = _("appointment orders")
        ordering = ["institution__name_kk", "-date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number", "date"],
                name="appointment_order_once",
                violation_error_message=_("This order is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return _("Order No. %(number)s of %(date)s") % {
            "number": self.number,
            "date": f"{self.date:%d.%m.%Y}",
        }


class ResponsibleStaff(ReportedByInstitution):
    """A staff member the head appointed by order to work with the census (¶5); an
    appointment belongs to one campaign (the next census appoints its own staff)."""

    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("census campaign"),
        on_delete=models.PROTECT,
        related_name="staff",
        default=active_campaign_id,
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="staff"
    )
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    position_ru = models.CharField(
        _("position (Russian)"),
        max_length=255,
        blank=True,
        help_text=_(
            "Printed on Russian acts; the position above is printed on Kazakh ones (and on "
            "Russian ones when this is empty)."
        ),
    )
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    census_role = models.CharField(
        _("role in the census"),
        max_length=255,
        blank=True,
        help_text=_("What the order charges this person with, e.g. the list of respondents."),
    )
    # The order an institution reported; order_number, order_date and appointed_by repeat
    # it for the acts and imports that read them (and hold the order of staff the
    # Department entered without one).
    order = models.ForeignKey(
        AppointmentOrder,
        verbose_name=_("appointment order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    order_number = models.CharField(_("appointment order number"), max_length=64, blank=True)
    order_date = models.DateField(_("appointment order date"), null=True, blank=True)
    appointed_by = models.CharField(
        _("appointed by"), max_length=255, blank=True, help_text=_("The head who signed the order.")
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )

    class Meta:
        verbose_name = _("responsible staff member")
        verbose_name_plural = _("responsible staff")
        ordering = ["institution__name_kk", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="staff_active_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def position_in(self, language: str) -> str:
        """The position as printed on a document in ``language`` (kk or ru)."""
        return (self.position_ru if language == "ru" else "") or self.position
