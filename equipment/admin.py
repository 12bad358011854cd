"""Admin of the kit inventory (with import/export) and a read-only view of acts.

Acts change only through the department's pages, which call the services; the admin lists
them for lookup. Every admin queryset is scoped like the pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from accounts.types import actor_of
from audit.mixins import AuditedAdminMixin
from census_coord import clock
from census_coord.errors import service_error_message
from equipment import selectors
from equipment.choices import Component, Condition, KitState
from equipment.models import (
    ComponentReplacement,
    HandoverAct,
    HandoverItem,
    KitReturn,
    TabletKit,
)
from equipment.resources import TabletKitResource
from equipment.services import kit_components_replace, kit_state_change


class _TabletKitFormBase(forms.ModelForm):
    class Meta:
        model = TabletKit
        fields = ("inventory_number", "serial", "imei", "model", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for code in Component.values:
                self.initial[f"component_{code}"] = self.instance.components.get(code)

    def save(self, commit: bool = True) -> TabletKit:
        self.instance.components = {
            code: self.cleaned_data[f"component_{code}"] for code in Component.values
        }
        return super().save(commit=commit)


# The components as one select each instead of raw JSON (declared, so the admin knows them).
TabletKitForm = type(
    "TabletKitForm",
    (_TabletKitFormBase,),
    {
        f"component_{code}": forms.ChoiceField(
            label=label, choices=Condition.choices, initial=Condition.GOOD
        )
        for code, label in Component.choices
    },
)


class ComponentReplacementInline(admin.TabularInline):
    """Replacements are recorded by the service (page or action), never typed in here."""

    model = ComponentReplacement
    extra = 0
    fields = ("replaced_on", "component", "condition_before", "recorded_by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TabletKit)
class TabletKitAdmin(AuditedAdminMixin, ImportExportModelAdmin):
    form = TabletKitForm
    resource_classes = [TabletKitResource]
    list_display = ("inventory_number", "model", "serial", "imei", "state", "holder_institution")
    list_filter = ("state", "model")
    list_select_related = ("holder_institution",)
    search_fields = ("inventory_number", "serial", "imei")
    readonly_fields = ("state", "holder_institution")
    actions = ["send_to_repair", "put_in_stock", "write_off", "replace_components"]
    inlines = [ComponentReplacementInline]

    def _change_state(
        self, request: HttpRequest, queryset: QuerySet[TabletKit], state: str
    ) -> None:
        changed = 0
        for kit in queryset:
            try:
                kit_state_change(actor=actor_of(request), kit=kit, state=state)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{kit.inventory_number}: {service_error_message(error)}",
                    messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext("%(count)s kit changed state.", "%(count)s kits changed state.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )

    @admin.action(description=_("Send the chosen kits to repair"), permissions=["change"])
    def send_to_repair(self, request: HttpRequest, queryset: QuerySet[TabletKit]) -> None:
        self._change_state(request, queryset, KitState.IN_REPAIR)

    @admin.action(description=_("Put the chosen kits back in stock"), permissions=["change"])
    def put_in_stock(self, request: HttpRequest, queryset: QuerySet[TabletKit]) -> None:
        self._change_state(request, queryset, KitState.IN_STOCK)

    @admin.action(
        description=_("Write the chosen kits off as lost or damaged"), permissions=["change"]
    )
    def write_off(self, request: HttpRequest, queryset: QuerySet[TabletKit]) -> None:
        self._change_state(request, queryset, KitState.LOST_DAMAGED)

    @admin.action(
        description=_("Record the replacement of every missing or damaged component"),
        permissions=["change"],
    )
    def replace_components(self, request: HttpRequest, queryset: QuerySet[TabletKit]) -> None:
        replaced = 0
        for kit in queryset:
            codes = [code for code, _label, _condition in kit.defective_components()]
            if not codes:
                continue
            try:
                kit_components_replace(
                    actor=actor_of(request), kit=kit, components=codes, replaced_on=clock.today()
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{kit.inventory_number}: {service_error_message(error)}",
                    messages.ERROR,
                )
            else:
                replaced += 1
        self.message_user(
            request,
            ngettext(
                "Components replaced in %(count)s kit.",
                "Components replaced in %(count)s kits.",
                replaced,
            )
            % {"count": replaced},
            messages.SUCCESS if replaced else messages.WARNING,
        )

    def get_fieldsets(self, request: HttpRequest, obj: TabletKit | None = None) -> Any:
        components = [f"component_{code}" for code in Component.values]
        return [
            (None, {"fields": ("inventory_number", "serial", "imei", "model", "note")}),
            (_("Components"), {"fields": components}),
            (_("State"), {"fields": ("state", "holder_institution")}),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TabletKit]:
        return selectors.kit_list(user=actor_of(request))

    def has_delete_permission(self, request: HttpRequest, obj: TabletKit | None = None) -> bool:
        # A kit that has been on an act is part of the record; it is written off, not deleted.
        if obj is not None and obj.items.exists():
            return False
        return super().has_delete_permission(request, obj)


class HandoverItemInline(admin.TabularInline):
    model = HandoverItem
    extra = 0
    fields = ("kit", "is_open", "tablet_outcome", "return_record", "return_note")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[HandoverItem]:
        return super().get_queryset(request).select_related("kit", "return_record")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Acts and returns name responsible staff: every view and search is audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HandoverAct)
class HandoverActAdmin(ReadOnlyAdmin):
    list_display = ("number", "campaign", "act_date", "institution", "received_by", "status")
    list_filter = ("status", "campaign")
    search_fields = (
        "=number",
        "institution__name_kk",
        "institution__bin",
        "received_by__full_name",
    )
    inlines = [HandoverItemInline]
    # The scan is served only by the permission-checked view, never by a media URL.
    exclude = ("signed_scan",)
    readonly_fields = ("signed_scan_link",)

    @admin.display(description=_("Signed scan"))
    def signed_scan_link(self, obj: HandoverAct) -> str:
        if not obj.signed_scan:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("equipment:act_scan", args=[obj.pk]), _("Download")
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[HandoverAct]:
        return selectors.act_list(user=actor_of(request))


@admin.register(KitReturn)
class KitReturnAdmin(ReadOnlyAdmin):
    list_display = ("act", "sequence", "returned_on", "returned_by", "received_by")
    list_select_related = ("act", "returned_by", "received_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[KitReturn]:
        return selectors.kit_return_list(user=actor_of(request))
