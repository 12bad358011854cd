"""The census database's completed forms, as the Department imports them (issue 19 items 2-4).

``CensusExport`` is one imported export (a file, or rows pushed over REST) and its job;
``CensusRecord`` is one completed form, kept once per campaign by its form or registration
number, updated when a newer export says otherwise; ``CensusReview`` is a record the
Department decides on (several candidates, a variant spelling, or a disagreement with an
officer's outcome), with its ``CensusCandidate`` people side by side.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from census_coord import clock
from respondents.matching import MatchKind, MatchScope


class CensusExportSource(models.TextChoices):
    FILE = "file", _("File upload")
    API = "api", _("REST API")


class CensusExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CensusMethod(models.TextChoices):
    """How the census database says the form was filled in."""

    ONLINE = "online", _("Online (sanaq.gov.kz)")
    TABLET = "tablet", _("Tablet interview")


class RecordState(models.TextChoices):
    """Where a completed form stands against the lists."""

    PENDING = "pending", _("Not matched yet")
    APPLIED = "applied", _("Recorded on the list")
    CONFIRMED = "confirmed", _("Agrees with the officer's record")
    REVIEW = "review", _("Awaiting the Department")
    NOT_LISTED = "not_listed", _("On no list")
    REJECTED = "rejected", _("Not this person (Department)")


class ReviewKind(models.TextChoices):
    AMBIGUOUS = "ambiguous", _("Several candidates")
    VARIANT = "variant", _("Variant spelling")
    CONFLICT = "conflict", _("Disagrees with the officer's record")


class ReviewState(models.TextChoices):
    OPEN = "open", pgettext_lazy("review state", "Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def _upload_path(export: CensusExport, filename: str) -> str:
    return f"census_exports/{clock.wall_now():%Y/%m}/{export.content_hash[:16]}.bin"


class CensusExport(models.Model):
    """One export of the census database imported by the Department, and its job."""

    campaign = models.ForeignKey(
        "institutions.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=8, choices=CensusExportSource.choices)
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    content_hash = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=CensusExportState.choices,
        default=CensusExportState.QUEUED,
    )
    rows_processed = models.PositiveIntegerField(_("rows read"), default=0)
    rows_new = models.PositiveIntegerField(_("new forms"), default=0)
    rows_updated = models.PositiveIntegerField(_("forms changed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("forms unchanged"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    applied = models.PositiveIntegerField(_("recorded on lists"), default=0)
    confirmed = models.PositiveIntegerField(_("agreeing with officers"), default=0)
    queued = models.PositiveIntegerField(_("sent for review"), default=0)
    not_listed = models.PositiveIntegerField(_("on no list"), default=0)
    errors_preview = models.JSONField(_("first errors"), default=list, blank=True)
    message = models.CharField(_("result"), max_length=500, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of progress"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("census database export")
        verbose_name_plural = _("census database exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (CensusExportState.DONE, CensusExportState.FAILED)


class CensusRecord(models.Model):
    """One completed census form as the census database last exported it."""

    # No index of its own: the unique form number and the state index begin with it (a
    # million-form import writes every index of this table once per form).
    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        db_index=False,
    )
    form_number = models.CharField(_("census form or registration number"), max_length=32)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, blank=True)
    method = models.CharField(_("method"), max_length=8, choices=CensusMethod.choices)
    completed_at = models.DateTimeField(_("completed at"))
    tablet_ref = models.CharField(_("tablet"), max_length=64, blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    # The institution of the BIN, when the export names one the app knows.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="census_records",
        db_index=False,  # census_record_inst_idx begins with it
    )
    exact_key = models.CharField(max_length=240, blank=True, editable=False)
    variant_key = models.CharField(max_length=240, blank=True, editable=False)
    # What the export said (all the columns above): an unchanged row leaves the record be.
    content_hash = models.CharField(max_length=64, editable=False)
    export = models.ForeignKey(
        CensusExport,
        verbose_name=_("last changed by export"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=RecordState.choices, default=RecordState.PENDING
    )
    respondent = models.ForeignKey(
        "respondents.Respondent",
        verbose_name=_("person on the list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="census_records",
    )
    match_kind = models.CharField(_("matched"), max_length=8, choices=MatchKind.choices, blank=True)
    match_scope = models.CharField(
        _("found"), max_length=12, choices=MatchScope.choices, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("census database record")
        verbose_name_plural = _("census database records")
        ordering = ["form_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "form_number"], name="census_record_form_unique"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="census_record_state_idx"),
            models.Index(fields=["institution", "state"], name="census_record_inst_idx"),
            models.Index(fields=["iin"], name="census_record_iin_idx"),
            # The forms of a tablet (sync board, kit returns): by the tablet they name.
            models.Index(
                fields=["campaign", "tablet_ref"],
                name="census_record_tablet_idx",
                condition=~Q(tablet_ref=""),
            ),
        ]

    def __str__(self) -> str:
        return self.form_number

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class CensusReview(models.Model):
    """A census record the Department decides on, with its candidates side by side."""

    record = models.ForeignKey(
        CensusRecord,
        verbose_name=_("census record"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReviewKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    # For a conflict: the officer's outcome when the review was opened (codes, no names).
    officer_side = models.JSONField(_("officer's record"), default=dict, blank=True)
    chosen = models.ForeignKey(
        "respondents.Respondent",
        verbose_name=_("chosen person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("census database review")
        verbose_name_plural = _("census database reviews")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(state="open"), name="census_review_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record} — {self.get_kind_display()}"


class CensusCandidate(models.Model):
    """A listed person who may be the record's, and how they were found."""

    review = models.ForeignKey(CensusReview, on_delete=models.CASCADE, related_name="candidates")
    respondent = models.ForeignKey(
        "respondents.Respondent",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("matched"), max_length=8, choices=MatchKind.choices)
    scope = models.CharField(_("found"), max_length=12, choices=MatchScope.choices)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["review", "respondent"], name="census_candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.respondent_id}"


class ReconciliationCount(models.Model):
    """Per campaign and institution: the census database against its lists (issue 19 item 5).

    Derived data, recounted set-based by ``censusdb.reconciliation.reconciliation_refresh``
    at the end of every export run, on every review decision and when a list's people
    change; never incremented. With ``ListProgress.listed`` it gives all four sections:
    in the census DB here (``in_db``), enumerated at another institution or household
    (``elsewhere``), not in the census DB (listed − both), and forms naming this
    institution's BIN that match nobody on a list (``unlisted``).
    """

    campaign = models.ForeignKey(
        "institutions.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="reconciliation"
    )
    in_db = models.PositiveIntegerField(default=0)
    elsewhere = models.PositiveIntegerField(default=0)
    unlisted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reconciliation counts")
        verbose_name_plural = _("reconciliation counts")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "institution"], name="reconciliation_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.institution_id}: {self.in_db}+{self.elsewhere}"
