"""Bulk imports of respondent rows from a file: one job per upload (¶9.1, lists by file)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord import clock


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


# A job in one of these states is over: running it again changes nothing.
FINISHED_STATES = (ImportState.SUCCEEDED, ImportState.REJECTED, ImportState.FAILED)
# A list has at most one job in these states (a constraint): uploads wait their turn.
ACTIVE_STATES = (ImportState.QUEUED, ImportState.RUNNING)


class ImportMode(models.TextChoices):
    APPEND = "append", _("Add to the list")
    REPLACE = "replace", _("Replace the whole list")


class ImportSource(models.TextChoices):
    PAGE = "page", _("Upload page")
    API = "api", _("REST API")
    ADMIN = "admin", _("Administration")
    COMMAND = "command", _("Command line")


def _upload_path(job: ImportJob, filename: str) -> str:
    # The person's file name never reaches the disk path (it may hold names).
    return f"respondent-imports/{job.respondent_list_id}/{job.content_hash}"


class ImportJob(models.Model):
    """One uploaded file of respondent rows and what became of it: all rows or none."""

    respondent_list = models.ForeignKey(
        "respondents.RespondentList",
        verbose_name=_("respondent list"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=8, choices=ImportSource.choices)
    mode = models.CharField(
        _("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.APPEND
    )
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    content_hash = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ImportState.choices, default=ImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_processed = models.PositiveIntegerField(_("rows processed"), default=0)
    rows_added = models.PositiveIntegerField(_("rows added"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows already on the list"), default=0)
    rows_removed = models.PositiveIntegerField(_("rows replaced"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first errors, for pages and the API; the full report is ``error_report``.
    errors_preview = models.JSONField(_("first errors"), default=list, blank=True)
    error_report = models.FileField(_("error report"), blank=True, max_length=255)
    message = models.CharField(_("result"), max_length=500, blank=True)
    # Every start of the job counts; ``lost_attempts`` counts the starts that ended without
    # a word (the worker was killed or the machine went away), so a file that kills its
    # worker is stopped after IMPORT_MAX_LOST_ATTEMPTS instead of being retried forever.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lost_attempts = models.PositiveSmallIntegerField(_("attempts lost"), default=0)
    # When the job was last handed to the broker; NULL while it never was (the broker was
    # down at upload): the sweeper hands such jobs over again (the job row is its own outbox).
    enqueued_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    # Moved forward by the running import at every batch; a running job whose heartbeat is
    # older than IMPORT_STALL_SECONDS is stalled, and the sweeper re-queues or fails it.
    heartbeat_at = models.DateTimeField(_("last sign of progress"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set when the retention task deleted the uploaded file (and error report); the
    # counts and the message stay.
    file_deleted_at = models.DateTimeField(_("file deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["respondent_list", "content_hash"]),
            models.Index(fields=["state", "heartbeat_at"], name="respondents_import_sweep_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent_list"],
                condition=models.Q(state__in=["queued", "running"]),
                name="import_job_one_active_per_list",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def is_stalled(self) -> bool:
        """Unfinished, and no sign of a worker for longer than IMPORT_STALL_SECONDS: the
        sweeper will re-queue the job (or fail it); pages say so instead of a frozen bar."""
        if self.is_finished:
            return False
        limit = clock.wall_now() - dt.timedelta(seconds=settings.IMPORT_STALL_SECONDS)
        if self.state == ImportState.QUEUED:
            return self.enqueued_at is None or self.enqueued_at < limit
        return (self.heartbeat_at or self.started_at or self.created_at) < limit

    @property
    def status_label(self) -> str:
        """What the progress line says beside the bar."""
        if self.state == ImportState.QUEUED:
            if self.is_stalled:
                return str(_("Waiting for a worker"))
            if self.attempts:
                return str(_("Retrying (attempt %(attempt)d)") % {"attempt": self.attempts + 1})
            return str(_("Queued"))
        if self.state == ImportState.RUNNING:
            if self.is_stalled:
                return str(_("Stalled: no progress for a while; the job will be restarted"))
            if self.attempts > 1:
                return str(_("Retrying (attempt %(attempt)d)") % {"attempt": self.attempts})
        return str(self.get_state_display())

    @property
    def percent(self) -> int:
        if self.state == ImportState.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        # Checking the rows is 99 % of the bar; the last step (writing them to the list)
        # shows as 99 until the job is done, never as a finished bar.
        return min(99, self.rows_processed * 100 // self.rows_total)
