"""The reporting state shared by everything an institution reports about its staff (¶5–7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.choices import ReportState


class ReportedByInstitution(models.Model):
    """An item the institution reports and the Department confirms or returns.

    Items the Department enters itself (admin, import, its own services) are confirmed at
    once, hence the default; ``reported_at`` is set only when an institution reported it.
    """

    report_state = models.CharField(
        _("report state"),
        max_length=16,
        choices=ReportState.choices,
        default=ReportState.CONFIRMED,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(
        _("Department's comment"),
        blank=True,
        help_text=_("Why the item was returned to the institution for correction."),
    )

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.report_state == ReportState.CONFIRMED

    @property
    def can_be_corrected(self) -> bool:
        """The institution may still change what it reported (not once confirmed)."""
        return self.report_state in (ReportState.REPORTED, ReportState.RETURNED)
