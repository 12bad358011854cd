"""A list's paper rendered by a worker: large lists are too slow for a web request."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord import clock


class PaperState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    SUCCEEDED = "succeeded", _("Ready")
    FAILED = "failed", _("Failed")


def _paper_path(job: ListPaperJob, filename: str) -> str:
    # Ids, the language and the content version only: never a name or a BIN.
    return f"list-papers/{job.respondent_list_id}/{job.language}-{job.content_version[:16]}.pdf"


class ListPaperJob(models.Model):
    """The PDF of one list in one language, rendered in the background, and its file.

    One row per list and language: a new print of a changed list renders again into the
    same row and replaces the file, so at most one stored copy of a list's paper exists."""

    respondent_list = models.ForeignKey(
        "respondents.RespondentList",
        verbose_name=_("respondent list"),
        on_delete=models.CASCADE,
        related_name="paper_jobs",
    )
    language = models.CharField(_("language"), max_length=2)
    # Whose scope the rows are read through, and whose staff record signs when nobody
    # submitted the list: the last person who asked for this paper.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=PaperState.choices, default=PaperState.QUEUED
    )
    # ``list_paper.content_version`` of the rows the file was rendered from: a file whose
    # version is no longer the list's is never served (the page offers a new print).
    content_version = models.CharField(_("content version"), max_length=64, blank=True)
    rows_total = models.PositiveIntegerField(_("people on the paper"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_paper_path, blank=True, max_length=255)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_at = models.DateTimeField(_("requested"), default=clock.wall_now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("list paper job")
        verbose_name_plural = _("list paper jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent_list", "language"], name="list_paper_job_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent_list_id} {self.language} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in (PaperState.QUEUED, PaperState.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Queued or running for longer than LIST_PAPER_STALL_SECONDS: its worker died or
        the broker lost it. Pages say so and offer a new print instead of waiting forever."""
        if not self.is_active:
            return False
        limit = clock.wall_now() - dt.timedelta(seconds=settings.LIST_PAPER_STALL_SECONDS)
        return (self.started_at or self.requested_at) < limit
