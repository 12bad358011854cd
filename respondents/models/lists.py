"""Stage-1 respondent lists as of the reference date (¶9.1), their review and amendments.

Respondent rows are plain columns so that the bulk import can COPY them straight in;
``search_text`` is the one derived column and is filled by ``respondent_search_text``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from census_coord import clock
from respondents.choices import (
    EDITABLE_STATUSES,
    AmendmentKind,
    Citizenship,
    ConflictDecision,
    ConflictKind,
    DepartureReason,
    ListStatus,
    ResidenceStatus,
    Sex,
)
from respondents.matching import KEY_FIELDS, MatchKind


class RespondentList(models.Model):
    """One institution's list of respondents for one campaign."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="respondent_lists",
    )
    campaign = models.ForeignKey(
        "institutions.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="respondent_lists",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    review_comment = models.TextField(
        _("department's comment"), blank=True, help_text=_("Why the list was returned.")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("respondent list")
        verbose_name_plural = _("respondent lists")
        ordering = ["institution__name_kk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "campaign"],
                name="respondent_list_one_per_institution_campaign",
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.institution} — {self.campaign}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ListTransition(models.Model):
    """One change of a list's status: who, when, from, to, and the comment given."""

    respondent_list = models.ForeignKey(
        RespondentList,
        verbose_name=_("respondent list"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=16, choices=ListStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ListStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("list status change")
        verbose_name_plural = _("list status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class SignedListScan(models.Model):
    """A scan of the printed list as the head signed it; a new scan replaces the shown one
    but the earlier ones stay (newest first), so what was filed when is on record."""

    respondent_list = models.ForeignKey(
        RespondentList,
        verbose_name=_("respondent list"),
        on_delete=models.CASCADE,
        related_name="signed_scans",
    )
    # Stored under a generated name by ``census_coord.uploads.upload_store``.
    file = models.FileField(_("signed scan"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=64)
    size = models.PositiveIntegerField(_("file size"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed list scan")
        verbose_name_plural = _("signed list scans")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.respondent_list} — {self.uploaded_at:%d.%m.%Y %H:%M}"


class Respondent(models.Model):
    """A person on an institution's list; names are stored exactly as typed."""

    respondent_list = models.ForeignKey(
        RespondentList,
        verbose_name=_("respondent list"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=16, choices=Citizenship.choices)
    citizenship_country = models.CharField(_("country of citizenship"), max_length=100, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    iin_absent_reason = models.CharField(_("reason the IIN is missing"), max_length=255, blank=True)
    residence_status = models.CharField(
        _("residence status"), max_length=24, choices=ResidenceStatus.choices
    )
    unit = models.CharField(_("unit or room"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The institution's own key for the person (its system's record number): a natural key
    # for REST clients and the tablet sync, unique within the list when given.
    external_ref = models.CharField(
        _("external reference"),
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text=_("The person's number in the institution's own records; unique in the list."),
    )
    # Amendments after the reference date: a row with ``arrived_on`` was not on the list
    # as of the reference date; a row with ``departed_on`` is not on the current list.
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    departure_reason = models.CharField(
        _("departure reason"), max_length=8, choices=DepartureReason.choices, blank=True
    )
    # Lower-cased names and IIN, computed in Python so that Kazakh letters fold the same
    # way on every database (SQLite's lower() only knows ASCII).
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["surname", "given_name", "patronymic", "pk"]
        indexes = [
            models.Index(fields=["respondent_list", "surname", "given_name"]),
            models.Index(fields=["iin"], name="respondent_iin_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent_list", "iin"],
                condition=~models.Q(iin=""),
                name="respondent_iin_unique_per_list",
                violation_error_message=_("This IIN is already on the list."),
            ),
            models.UniqueConstraint(
                fields=["respondent_list", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="respondent_external_ref_unique_per_list",
                violation_error_message=_("This external reference is already on the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(departed_on__isnull=True) | ~models.Q(departure_reason=""),
                name="respondent_departure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


class RespondentNameKey(models.Model):
    """A row's name keys of ``respondents.matching`` (surname + given name + birth date),
    stored so that the duplicate check of people without IIN joins them in SQL.

    Written by ``conflicts_detect`` for the rows of every list that left the draft: at each
    detection for a list, its rows saved since their keys were computed (its rows change
    only while it is editable) get them again, and rows of any submitted list of the
    campaign that have none yet get them then. The campaign purge deletes them with the
    names.
    """

    respondent = models.OneToOneField(
        Respondent, primary_key=True, on_delete=models.CASCADE, related_name="name_key"
    )
    exact_key = models.CharField(max_length=240, blank=True)
    variant_key = models.CharField(max_length=240, blank=True)
    # The real time of the computation, against the row's ``updated_at`` (real time too):
    # a row saved since has its keys recomputed.
    computed_at = models.DateTimeField(default=clock.wall_now)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        indexes = [models.Index(fields=["variant_key"], name="respondent_name_variant_idx")]

    def __str__(self) -> str:
        return str(self.pk)


class Amendment(models.Model):
    """A change to an accepted list after the reference date: an arrival or a departure."""

    respondent_list = models.ForeignKey(
        RespondentList,
        verbose_name=_("respondent list"),
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    respondent = models.ForeignKey(
        Respondent, verbose_name=_("respondent"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AmendmentKind.choices)
    effective_on = models.DateField(_("date"))
    reason = models.CharField(
        _("departure reason"), max_length=8, choices=DepartureReason.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("list amendment")
        verbose_name_plural = _("list amendments")
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d.%m.%Y}"


class DuplicateIinConflict(models.Model):
    """One person, apparently, on two institutions' lists of one campaign, awaiting the
    department: the same IIN (``kind=iin``), or a possible duplicate (``kind=possible``) of
    a person without IIN found by ``respondents.matching`` (surname + given name + birth
    date), with the ``evidence`` of which parts matched and how (exact or variant spelling).
    """

    campaign = models.ForeignKey(
        "institutions.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ConflictKind.choices, default=ConflictKind.IIN
    )
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    # ``matching.evidence`` of the two rows: {"surname": "exact"|"variant"|"", ...,
    # "match": "exact"|"variant"}; empty for an IIN conflict.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    institution_a = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("first institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution_b = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("second institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A row removed later leaves the conflict on record (never silently dropped).
    respondent_a = models.ForeignKey(
        Respondent,
        verbose_name=_("first row"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    respondent_b = models.ForeignKey(
        Respondent,
        verbose_name=_("second row"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=24, choices=ConflictDecision.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate IIN conflict")
        verbose_name_plural = _("duplicate IIN conflicts")
        ordering = ["resolved_at", "-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "iin", "institution_a", "institution_b"],
                condition=models.Q(kind="iin"),
                name="conflict_unique_pair",
            ),
            models.UniqueConstraint(
                fields=["campaign", "respondent_a", "respondent_b"],
                condition=models.Q(kind="possible"),
                name="conflict_unique_possible_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(institution_a__lt=models.F("institution_b")),
                name="conflict_institutions_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_a} / {self.institution_b}"

    @property
    def is_open(self) -> bool:
        return not self.decision

    @property
    def is_possible(self) -> bool:
        return self.kind == ConflictKind.POSSIBLE

    @property
    def is_variant(self) -> bool:
        """A possible duplicate whose names agree only in a variant spelling."""
        return self.is_possible and self.evidence.get("match") == MatchKind.VARIANT

    @property
    def evidence_items(self) -> list[tuple[str, str]]:
        """The evidence as (field, how it matched) in words, in the rule's order."""
        fields = {
            "surname": _("Surname"),
            "given_name": _("Given name"),
            "birth_date": _("Birth date"),
        }
        strengths = {
            MatchKind.EXACT.value: _("same spelling"),
            MatchKind.VARIANT.value: _("variant spelling"),
            "": _("differs"),
        }
        items = []
        for field in KEY_FIELDS:
            if field not in self.evidence:
                continue
            strength = self.evidence[field]
            if field == "birth_date" and strength == MatchKind.EXACT:
                words = _("the same")
            else:
                words = strengths.get(strength, strengths[""])
            items.append((str(fields[field]), str(words)))
        return items
