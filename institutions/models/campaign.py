"""A census campaign: every date the application works with comes from here."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord.typing import StrOrPromise
from institutions.models.reference import TranslatedNameMixin


class Campaign(TranslatedNameMixin):
    """One census (e.g. 2021) in one or more regions, with its stage dates and windows."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    regions = models.ManyToManyField(
        "institutions.Region", verbose_name=_("regions"), related_name="campaigns"
    )
    list_reference_date = models.DateField(
        _("list reference date"), help_text=_("Stage-1 lists name the residents as of this date.")
    )
    list_submission_deadline = models.DateField(_("list submission deadline"))
    critical_moment = models.DateTimeField(_("critical moment"))
    online_start = models.DateField(_("online enumeration starts"))
    online_end = models.DateField(_("online enumeration ends"))
    tablet_start = models.DateField(_("tablet interviews start"))
    tablet_end = models.DateField(_("tablet interviews end"))
    kit_return_deadline = models.DateField(_("tablet kit return deadline"))
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("census campaign")
        verbose_name_plural = _("census campaigns")
        ordering = ["-critical_moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="campaign_single_active",
                violation_error_message=_("Only one campaign can be active."),
            ),
            models.CheckConstraint(
                condition=models.Q(online_start__lte=models.F("online_end")),
                name="campaign_online_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(tablet_start__lte=models.F("tablet_end")),
                name="campaign_tablet_window_ordered",
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.online_start and self.online_end and self.online_start > self.online_end:
            errors["online_end"] = _("The online window must end after it starts.")
        if self.tablet_start and self.tablet_end and self.tablet_start > self.tablet_end:
            errors["tablet_end"] = _("The tablet window must end after it starts.")
        if (
            self.list_reference_date
            and self.list_submission_deadline
            and (self.list_submission_deadline < self.list_reference_date)
        ):
            errors["list_submission_deadline"] = _(
                "Lists cannot be due before their reference date."
            )
        if errors:
            raise ValidationError(errors)

    def in_online_window(self, day: dt.date) -> bool:
        return self.online_start <= day <= self.online_end

    def in_tablet_window(self, day: dt.date) -> bool:
        return self.tablet_start <= day <= self.tablet_end


def active_campaign_id() -> int | None:
    """The campaign a new record belongs to unless told: the active one, since a closed
    campaign takes no writes (services pass the campaign themselves)."""
    return Campaign.objects.filter(is_active=True).values_list("pk", flat=True).first()
