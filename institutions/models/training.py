"""Seminars the Department runs for responsible staff (¶6), and who attended them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.choices import ReportState
from institutions.models.reporting import ReportedByInstitution


class Seminar(models.Model):
    """A training seminar on census matters, held at a place or online (¶6)."""

    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("census campaign"),
        on_delete=models.PROTECT,
        related_name="seminars",
    )
    date = models.DateField(_("date"))
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=500, blank=True)
    topics = models.TextField(_("topics"))
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conducted by"),
        on_delete=models.PROTECT,
        related_name="seminars_conducted",
        help_text=_("The Department employee who runs the seminar."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_online=True) | ~models.Q(place=""),
                name="seminar_place_or_online",
                violation_error_message=_("Give the place of the seminar or mark it online."),
            )
        ]

    def __str__(self) -> str:
        where = _("online") if self.is_online else self.place
        return f"{self.date:%d.%m.%Y} · {where}"

    def clean(self) -> None:
        if not self.is_online and not self.place.strip():
            raise ValidationError(
                {"place": _("Give the place of the seminar or mark it online.")},
                code="seminar_place_missing",
            )


def attended_campaign_seminar(campaign: Any, *, prefix: str = "") -> models.Q:
    """The one rule for "trained" (¶6): attended a seminar of this census campaign, as the
    Department confirmed (an attendance the institution reported counts once confirmed).

    Lookups are relative to SeminarAttendance; ``prefix`` is the path to it from the queried
    model (``"staff__attendances__"`` from Institution). A seminar of an earlier campaign
    does not count.
    """
    return models.Q(
        **{
            f"{prefix}attended": True,
            f"{prefix}report_state": ReportState.CONFIRMED,
            f"{prefix}seminar__campaign": campaign,
        }
    )


class SeminarAttendance(ReportedByInstitution):
    """One responsible staff member's attendance at one seminar.

    Before the seminar an unticked row is a sign-up (registered to come); after it, the
    institution reports who came (or the Department records it, confirmed at once).
    """

    seminar = models.ForeignKey(
        Seminar, verbose_name=_("seminar"), on_delete=models.CASCADE, related_name="attendances"
    )
    staff = models.ForeignKey(
        "institutions.ResponsibleStaff",
        verbose_name=_("responsible staff member"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    attended = models.BooleanField(
        _("attended"), default=True, help_text=_("Unticked: invited but did not come.")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("seminar attendance")
        verbose_name_plural = _("seminar attendance")
        ordering = ["seminar", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "staff"],
                name="attendance_once_per_seminar",
                violation_error_message=_("This staff member is already on this seminar's list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.seminar}"
