from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from accounts.admin import DepartmentOnlyAdminMixin
from accounts.models import User
from accounts.roles import Role
from accounts.scoping import scope_queryset
from accounts.types import actor_of
from census_coord.errors import service_error_message
from institutions.campaign_services import (
    DATE_FIELDS,
    NAME_FIELDS,
    campaign_activate,
    campaign_dates_change,
    campaign_open,
)
from institutions.campaigns import campaign_is_open
from institutions.forms import InstitutionAdminForm
from institutions.models import (
    AppointmentOrder,
    Campaign,
    District,
    Institution,
    InstitutionType,
    Provisioning,
    Region,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
    attended_campaign_seminar,
)
from institutions.resources import InstitutionResource, ResponsibleStaffResource
from institutions.services import institutions_set_active, staff_deactivate, staff_invite_officer


@admin.register(Region)
class RegionAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(District)
class DistrictAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "kind", "region")
    list_filter = ("region", "kind")
    list_select_related = ("region",)
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(InstitutionType)
class InstitutionTypeAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("position", "code", "name_kk", "name_ru", "name_en")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(Campaign)
class CampaignAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    """Campaigns are written by ``institutions.campaign_services`` only: adding one opens it
    (``campaign_open``), a change goes through ``campaign_dates_change`` (which recounts
    what depends on the dates), and "Make active" switches in one step."""

    list_display = ("code", "name", "list_reference_date", "critical_moment", "is_active")
    filter_horizontal = ("regions",)
    readonly_fields = ("is_active",)
    actions = ["make_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Campaign | None = None) -> Any:
        # The code names the campaign in files and commands: fixed once opened.
        return ("code", "is_active") if obj is not None else ("is_active",)

    def has_delete_permission(self, request: HttpRequest, obj: Campaign | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        names = {field: data[field] for field in NAME_FIELDS if field in data}
        dates = {field: data[field] for field in DATE_FIELDS if field in data}
        if change:
            saved = campaign_dates_change(
                actor=actor_of(request),
                campaign=obj,
                dates=dates,
                names=names,
                regions=data.get("regions"),
            )
        else:
            saved = campaign_open(
                actor=actor_of(request),
                code=data["code"],
                names=names,
                dates=dates,
                regions=data.get("regions"),
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service has set the regions; nothing else is related.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Make active (the active campaign closes)"))
    def make_active(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        if queryset.count() != 1:
            self.message_user(request, gettext("Choose one campaign."), messages.ERROR)
            return
        campaign = campaign_activate(actor=actor_of(request), campaign=queryset.get())
        self.message_user(
            request,
            gettext("%(campaign)s is now the active campaign.") % {"campaign": campaign.name},
        )


class ResponsibleStaffInline(admin.TabularInline):
    model = ResponsibleStaff
    extra = 0
    fields = (
        "full_name",
        "position",
        "position_ru",
        "phone",
        "email",
        "order_number",
        "order_date",
        "is_active",
    )
    show_change_link = True


@admin.register(Institution)
class InstitutionAdmin(DepartmentOnlyAdminMixin, ImportExportModelAdmin):
    form = InstitutionAdminForm
    resource_classes = [InstitutionResource]
    institution_path = ""
    list_display = ("name_kk", "bin", "type", "district", "expected_residents", "is_active")
    list_filter = ("is_active", "type", "district")
    list_select_related = ("type", "district")
    search_fields = ("bin", "name_kk", "name_ru")
    inlines = [ResponsibleStaffInline]
    actions = ["mark_active", "mark_inactive"]

    @admin.action(description=_("Mark the selected institutions active"))
    def mark_active(self, request: HttpRequest, queryset: QuerySet[Institution]) -> None:
        self._set_active(request, queryset, active=True)

    @admin.action(description=_("Mark the selected institutions inactive"))
    def mark_inactive(self, request: HttpRequest, queryset: QuerySet[Institution]) -> None:
        self._set_active(request, queryset, active=False)

    def _set_active(
        self, request: HttpRequest, queryset: QuerySet[Institution], *, active: bool
    ) -> None:
        count = institutions_set_active(
            actor=actor_of(request), institutions=queryset, active=active
        )
        self.message_user(
            request,
            gettext("Institutions updated: %(count)d.") % {"count": count},
            messages.SUCCESS,
        )


class ClosedCampaignReadOnlyMixin:
    """A record of a closed campaign opens read-only in the admin (no save, no delete), and
    a new one can only be added to the active campaign: the admin's forms save directly,
    so they ask what the write services ask (``campaign_require_open``)."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not campaign_is_open(obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not campaign_is_open(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ClosedCampaignReadOnlyInlineMixin(ClosedCampaignReadOnlyMixin):
    """The same for an inline: ``obj`` is the parent record (a seminar, a staff member)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not campaign_is_open(obj):
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc]


# What an institution reported is reviewed on the "Reported by institutions" page (the
# review services record who confirmed or returned it); the admin shows the state only.
REPORT_FIELDS = ("report_state", "review_comment")


@admin.register(AppointmentOrder)
class AppointmentOrderAdmin(
    ClosedCampaignReadOnlyMixin, DepartmentOnlyAdminMixin, admin.ModelAdmin
):
    institution_path = "institution"
    list_display = ("number", "date", "institution", "signed_by", "report_state")
    list_filter = ("campaign", "report_state", "institution__district")
    list_select_related = ("institution",)
    search_fields = ("number", "institution__name_kk", "institution__bin")
    autocomplete_fields = ("institution",)
    # The scan is served only by the permission-checked view, never by a media URL.
    exclude = ("scan",)
    readonly_fields = ("scan_link", "scan_type", *REPORT_FIELDS)

    @admin.display(description=_("Signed scan"))
    def scan_link(self, obj: AppointmentOrder) -> str:
        if not obj.scan:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("institutions:order_scan", args=[obj.pk]), _("Download")
        )


class ProvisioningInline(ClosedCampaignReadOnlyInlineMixin, admin.StackedInline):
    model = Provisioning
    can_delete = False
    fields = (
        ("premises_provided", "premises_date", "premises_note"),
        ("computer_provided", "computer_date", "computer_note"),
        REPORT_FIELDS,
    )
    readonly_fields = REPORT_FIELDS


class AttendanceInline(ClosedCampaignReadOnlyInlineMixin, admin.TabularInline):
    model = SeminarAttendance
    extra = 0
    autocomplete_fields = ("staff",)
    fields = ("staff", "attended", "note", *REPORT_FIELDS)
    readonly_fields = REPORT_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[SeminarAttendance]:
        # Seminars are region-wide but their attendance names people: a regional
        # department user sees only their region's staff, like on the staff admin.
        return scope_queryset(
            super().get_queryset(request).select_related("staff"),
            user=request.user,
            institution_path="staff__institution",
        )


@admin.register(ResponsibleStaff)
class ResponsibleStaffAdmin(
    ClosedCampaignReadOnlyMixin, DepartmentOnlyAdminMixin, ImportExportModelAdmin
):
    resource_classes = [ResponsibleStaffResource]
    institution_path = "institution"
    list_display = (
        "full_name",
        "institution",
        "position",
        "order_number",
        "has_account",
        "is_trained",
        "is_provisioned",
        "report_state",
        "is_active",
    )
    list_filter = (
        "campaign",
        "is_active",
        "report_state",
        "institution__district",
        "institution__type",
    )
    list_select_related = ("institution", "user", "provisioning")
    search_fields = ("full_name", "email", "institution__name_kk", "institution__bin")
    autocomplete_fields = ("institution",)
    readonly_fields = ("user", "order", *REPORT_FIELDS)
    inlines = [ProvisioningInline]
    actions = ["invite_officer", "deactivate"]

    @admin.display(boolean=True, description=_("account"))
    def has_account(self, obj: ResponsibleStaff) -> bool:
        return obj.user_id is not None

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResponsibleStaff]:
        # "Trained" by the readiness board's rule (a seminar of the staff member's campaign),
        # annotated once for the page instead of a query per row.
        queryset = super().get_queryset(request)
        attended = SeminarAttendance.objects.filter(
            attended_campaign_seminar(OuterRef("campaign")), staff=OuterRef("pk")
        )
        return queryset.annotate(trained=Exists(attended))

    @admin.display(boolean=True, description=_("trained"), ordering="trained")
    def is_trained(self, obj: ResponsibleStaff) -> bool:
        return obj.trained  # type: ignore[attr-defined]  # annotated in get_queryset

    @admin.display(boolean=True, description=_("premises and computer"))
    def is_provisioned(self, obj: ResponsibleStaff) -> bool:
        provisioning = getattr(obj, "provisioning", None)
        return bool(provisioning and provisioning.complete)

    @admin.action(description=_("Invite as officers (email a set-password link)"))
    def invite_officer(self, request: HttpRequest, queryset: QuerySet[ResponsibleStaff]) -> None:
        base_url = request.build_absolute_uri("/")
        invited = 0
        for staff in queryset:
            try:
                staff_invite_officer(actor=actor_of(request), staff=staff, base_url=base_url)
            except ValidationError as exc:
                self.message_user(request, service_error_message(exc, sep="; "), messages.ERROR)
            else:
                invited += 1
        if invited:
            self.message_user(
                request,
                gettext("Officers invited: %(count)d.") % {"count": invited},
                messages.SUCCESS,
            )

    @admin.action(description=_("Deactivate (ends the officer's sessions and API tokens)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[ResponsibleStaff]) -> None:
        done = 0
        for staff in queryset.filter(is_active=True):
            try:
                staff_deactivate(actor=actor_of(request), staff=staff)
            except ValidationError as exc:
                self.message_user(request, service_error_message(exc, sep="; "), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            gettext("Staff members deactivated: %(count)d.") % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Seminar)
class SeminarAdmin(ClosedCampaignReadOnlyMixin, DepartmentOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("date", "is_online", "place", "conducted_by", "campaign")
    list_select_related = ("conducted_by", "campaign")
    list_filter = ("campaign", "is_online")
    search_fields = ("place", "topics")
    date_hierarchy = "date"
    inlines = [AttendanceInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "conducted_by":
            kwargs["queryset"] = User.objects.filter(
                is_active=True, institution__isnull=True, groups__name=Role.DEPARTMENT
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
