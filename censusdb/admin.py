"""Admin of the census-database import: read-only (imports and decisions go through the
services and their pages), Department only, scoped like the pages."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from censusdb.models import CensusRecord, CensusReview


@admin.register(CensusRecord)
class CensusRecordAdmin(ReadOnlyAdmin):
    institution_path = "institution"
    list_display = ("form_number", "institution", "method", "completed_at", "state", "match_kind")
    list_filter = ("state", "method", "match_kind")
    list_select_related = ("institution",)
    readonly_fields = (
        "campaign",
        "form_number",
        "iin",
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "sex",
        "method",
        "completed_at",
        "tablet_ref",
        "bin",
        "institution",
        "export",
        "state",
        "respondent",
        "match_kind",
        "match_scope",
    )


@admin.register(CensusReview)
class CensusReviewAdmin(ReadOnlyAdmin):
    institution_path = "record__institution"
    list_display = ("record", "kind", "state", "created_at", "resolved_by")
    list_filter = ("kind", "state")
    list_select_related = ("record", "resolved_by")
    readonly_fields = (
        "record",
        "kind",
        "state",
        "officer_side",
        "chosen",
        "note",
        "resolved_by",
        "resolved_at",
    )
