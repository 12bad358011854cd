"""Read-only admin of sync records and device tokens: services own every write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import DepartmentOnlyAdminMixin
from sync.models import DeviceToken, SyncRecord


class ReadOnlyDepartmentAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SyncRecord)
class SyncRecordAdmin(ReadOnlyDepartmentAdmin):
    institution_path = "institution"
    list_display = (
        "kit",
        "institution",
        "channel",
        "sent_at",
        "received_at",
        "form_count",
        "enumerated_count",
        "usb_stage",
    )
    list_filter = ("channel", "usb_stage")
    list_select_related = ("kit", "institution")
    search_fields = ("kit__inventory_number", "media_id")
    date_hierarchy = "received_at"
    readonly_fields = (
        "kit",
        "institution",
        "holder",
        "channel",
        "sent_at",
        "received_at",
        "form_count",
        "payload_checksum",
        "idempotency_key",
        "body_hash",
        "enumerated_count",
        "device_token",
        "submitted_by",
        "usb_stage",
        "media_id",
        "offloaded_by",
        "offloaded_at",
        "uploaded_by",
        "uploaded_at",
        "verified_by",
        "verified_at",
    )


@admin.register(DeviceToken)
class DeviceTokenAdmin(ReadOnlyDepartmentAdmin):
    institution_path = "kit__holder_institution"
    list_display = ("kit", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("kit",)
    search_fields = ("kit__inventory_number", "prefix")
    readonly_fields = (
        "kit",
        "act",
        "prefix",
        "issued_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
