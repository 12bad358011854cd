"""Admin of stage 2: read-only, scoped to the acting user; outcomes change through services."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from enumeration.models import Certificate, Enumeration


@admin.register(Enumeration)
class EnumerationAdmin(ReadOnlyAdmin):
    institution_path = "respondent__respondent_list__institution"
    list_display = ("respondent", "status", "method", "reason", "enumerated_on", "source")
    list_filter = ("status", "method", "reason", "source")
    list_select_related = ("respondent",)
    readonly_fields = (
        "respondent",
        "status",
        "method",
        "reason",
        "reason_detail",
        "enumerated_on",
        "staff",
        "tablet_kit_ref",
        "registration_number",
        "note",
        "window_override_reason",
        "window_override_by",
        "updated_by",
        "source",
    )


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    institution_path = "respondent__respondent_list__institution"
    list_display = ("number", "campaign", "respondent", "issued_on", "issued_by")
    list_filter = ("campaign",)
    list_select_related = ("respondent", "campaign", "issued_by")
    readonly_fields = ("number", "campaign", "respondent", "issued_on", "issued_by")
