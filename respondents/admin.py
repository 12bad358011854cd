"""Admin of respondent lists: scoped to the acting user, read-only except through services.

Rows are personal data with rules (``respondents.validation``) and a lifecycle; the admin
shows and searches them, and changes them only through the same services as the pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin
from accounts.types import actor_of
from respondents import selectors, services

# Import jobs and the department's upload form live with the import pipeline.
from respondents.importing import admin as _import_admin  # noqa: F401
from respondents.models import (
    Amendment,
    DuplicateIinConflict,
    ListTransition,
    Respondent,
    RespondentList,
)
from respondents.row_schema import PRINTED_FIELDS


class TransitionInline(admin.TabularInline):
    model = ListTransition
    extra = 0
    fields = ("at", "actor", "from_status", "to_status", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RespondentList)
class RespondentListAdmin(ReadOnlyAdmin):
    list_display = ("institution", "campaign", "status", "submitted_at", "accepted_at")
    list_filter = ("status", "campaign", "institution__district", "institution__type")
    list_select_related = ("institution", "campaign")
    search_fields = ("institution__name_kk", "institution__name_ru", "institution__bin")
    readonly_fields = (
        "institution",
        "campaign",
        "status",
        "review_comment",
        "submitted_at",
        "accepted_at",
    )
    inlines = [TransitionInline]
    actions = ["accept_lists"]

    @admin.action(description=_("Accept the selected submitted lists"))
    def accept_lists(self, request: HttpRequest, queryset: QuerySet[RespondentList]) -> None:
        accepted = 0
        for respondent_list in queryset:
            try:
                services.respondent_list_accept(
                    actor=actor_of(request), respondent_list=respondent_list
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request, f"{respondent_list}: {' '.join(getattr(error, 'messages', []))}"
                )
            else:
                accepted += 1
        if accepted:
            messages.success(request, _("Lists accepted: %(count)d.") % {"count": accepted})


@admin.register(Respondent)
class RespondentAdmin(ReadOnlyAdmin):
    institution_path = "respondent_list__institution"
    # The columns of the signed paper list (``row_schema.PRINTED_FIELDS``), and the list.
    list_display = (*(field.name for field in PRINTED_FIELDS), "respondent_list")
    list_filter = (
        "citizenship",
        "residence_status",
        "sex",
        "respondent_list__status",
        "respondent_list__institution__district",
    )
    list_select_related = ("respondent_list__institution", "respondent_list__campaign")
    # search_text is lower-cased in Python, so Kazakh letters match whatever their case.
    search_fields = ("search_text", "=iin")
    readonly_fields = [f.name for f in Respondent._meta.fields if f.name != "search_text"]
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Respondent], search_term: str
    ) -> tuple[QuerySet[Respondent], bool]:
        return super().get_search_results(request, queryset, search_term.lower())


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    institution_path = "respondent_list__institution"
    list_display = ("effective_on", "kind", "reason", "respondent", "respondent_list", "actor")
    list_filter = ("kind", "reason")
    list_select_related = (
        "respondent",
        "respondent_list__institution",
        "respondent_list__campaign",
        "actor",
    )


@admin.register(DuplicateIinConflict)
class DuplicateIinConflictAdmin(ReadOnlyAdmin):
    institution_path = None  # type: ignore[assignment]  # either institution: see get_queryset
    list_display = (
        "kind",
        "iin",
        "institution_a",
        "institution_b",
        "found_at",
        "decision",
        "resolved_by",
    )
    list_filter = ("kind", "decision", "campaign")
    list_select_related = ("institution_a", "institution_b", "resolved_by")
    search_fields = ("=iin", "institution_a__name_kk", "institution_b__name_kk")

    def get_queryset(self, request: HttpRequest) -> QuerySet[DuplicateIinConflict]:
        # The same rule as the department's conflict queue, not only institution A's side.
        return selectors.conflict_scope(super().get_queryset(request), user=actor_of(request))
