"""The size of every list, kept by database triggers (stage 1 and the readiness board read it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from respondents.models.lists import RespondentList


class ListSize(models.Model):
    """How many rows a list has, and how many of them have not departed; no row means none.

    Unlike the stage-2 counters this one counts every row of every list (draft ones too),
    which every row write changes: the form, the file import's COPY, arrivals, departures,
    the demo. Database triggers keep it (migration ``0006_list_size``), so no write path can
    forget it; ``progress_rebuild`` recounts it too. Nothing in Django writes it.
    """

    respondent_list = models.OneToOneField(
        RespondentList,
        verbose_name=_("respondent list"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="size",
    )
    rows = models.IntegerField(default=0)
    current = models.IntegerField(default=0)  # rows without a departure

    class Meta:
        verbose_name = _("list size")
        verbose_name_plural = _("list sizes")

    def __str__(self) -> str:
        return f"{self.respondent_list_id}: {self.rows}"
