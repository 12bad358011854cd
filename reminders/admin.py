"""Admin: the reminder log (read-only) and the per-kind settings the Department edits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import DepartmentOnlyAdminMixin
from accounts.types import actor_of
from reminders.models import Reminder, ReminderKindSetting
from reminders.registry import reminder_kinds
from reminders.services import reminder_setting_update, reminder_settings_ensure, reminders_retry


class LeadDaysField(forms.CharField):
    """Lead times typed as "7, 3, 1"."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value or ""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]  # days, not text
        text = (value or "").replace(";", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as exc:
            raise ValidationError(
                _("Give lead times as whole numbers of days separated by commas, e.g. 7, 3, 1."),
                code="invalid_lead_days",
            ) from exc


class ReminderKindSettingForm(forms.ModelForm):
    lead_days = LeadDaysField(
        label=_("lead times (days before the deadline)"),
        required=False,
        help_text=_("Days before the deadline on which a reminder goes out, e.g. 7, 3, 1."),
    )

    class Meta:
        model = ReminderKindSetting
        fields = ("enabled", "lead_days", "send_overdue")


@admin.register(ReminderKindSetting)
class ReminderKindSettingAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    form = ReminderKindSettingForm
    list_display = ("__str__", "kind", "enabled", "lead_days_display", "send_overdue", "updated_at")
    list_filter = ("enabled",)
    readonly_fields = ("kind",)
    fields = ("kind", "enabled", "lead_days", "send_overdue")

    @admin.display(description=_("lead times (days before the deadline)"))
    def lead_days_display(self, obj: ReminderKindSetting) -> str:
        return ", ".join(str(day) for day in obj.lead_days) or "—"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Kinds come from code; a kind added by an app since the last run gets its row here.
        if self.has_view_permission(request):
            reminder_settings_ensure()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(  # type: ignore[override]  # saves its own model only
        self, request: HttpRequest, obj: ReminderKindSetting, form: forms.ModelForm, change: bool
    ) -> None:
        reminder_setting_update(
            actor=actor_of(request),
            setting=obj,
            enabled=form.cleaned_data["enabled"],
            lead_days=form.cleaned_data["lead_days"],
            send_overdue=form.cleaned_data["send_overdue"],
        )


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(kind.code, str(kind.label)) for kind in reminder_kinds()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> QuerySet[Reminder]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


class SentFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("sent", _("sent")), ("pending", _("not sent yet")), ("failed", _("failed"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> QuerySet[Reminder]:
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True, attempts=0)
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True, attempts__gt=0)
        return queryset


@admin.register(Reminder)
class ReminderAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    """The log: who was reminded of what, when; read-only except for retrying failures."""

    institution_path = "institution"
    list_display = (
        "due_date",
        "kind_label",
        "recipient",
        "institution",
        "deadline",
        "lead_days",
        "sent_at",
        "attempts",
    )
    list_filter = (KindFilter, SentFilter, "due_date")
    list_select_related = ("recipient", "institution")
    search_fields = (
        "recipient__username",
        "recipient__email",
        "institution__name_kk",
        "institution__name_ru",
        "institution__bin",
    )
    date_hierarchy = "due_date"
    actions = ["retry"]
    readonly_fields = [field.name for field in Reminder._meta.fields]

    @admin.display(description=_("kind"))
    def kind_label(self, obj: Reminder) -> str:
        return obj.kind_label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Read-only log; the retry action needs only the view permission.
        return False

    @admin.action(description=_("Retry the selected failed reminders"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        count = reminders_retry(
            actor=actor_of(request), reminder_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            gettext("Reminders queued for the next run: %(count)d.") % {"count": count},
            messages.SUCCESS,
        )
