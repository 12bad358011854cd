"""Department staff browse and filter the audit trail; nobody can add, change or delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.scoping import scope_queryset
from audit.models import AuditEvent
from census_coord.policy import allowed


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "actor",
        "username",
        "action",
        "object_type",
        "object_id",
        "record_count",
        "institution",
        "ip_address",
    )
    list_filter = ("action", "object_type", "via_token", "occurred_at", "institution")
    list_select_related = ("actor", "institution")
    # Searching by who and from where; never by record content (there is none here).
    search_fields = ("username", "ip_address", "object_id", "route", "token_prefix")
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    list_per_page = 100
    fields = (
        "occurred_at",
        "actor",
        "username",
        "action",
        "object_type",
        "object_id",
        "record_count",
        "institution",
        "route",
        "ip_address",
        "user_agent",
        "via_token",
        "token_prefix",
        "extra",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)
        # A regional department user sees the events of their region's institutions and
        # the events tied to no institution (sign-ins, admin lists).
        if getattr(request.user, "region_id", None):
            scoped = scope_queryset(queryset, user=request.user, institution_path="institution")
            return scoped | queryset.filter(institution__isnull=True)
        return queryset

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "audit.view")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request.user, "audit.view")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
