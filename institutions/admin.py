from django.contrib import admin

from institutions.models import (
    Campaign,
    District,
    Institution,
    InstitutionType,
    Region,
    ResponsibleStaff,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en", "kind", "region")
    list_filter = ("region", "kind")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(InstitutionType)
class InstitutionTypeAdmin(admin.ModelAdmin):
    list_display = ("position", "code", "name_kk", "name_ru", "name_en")
    search_fields = ("code", "name_kk", "name_ru", "name_en")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "list_reference_date", "critical_moment", "is_active")
    filter_horizontal = ("regions",)


class ResponsibleStaffInline(admin.TabularInline):
    model = ResponsibleStaff
    extra = 0
    fields = ("full_name", "position", "phone", "email", "order_number", "order_date", "is_active")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name_kk", "bin", "type", "district", "expected_residents", "is_active")
    list_filter = ("is_active", "type", "district")
    list_select_related = ("type", "district")
    search_fields = ("bin", "name_kk", "name_ru")
    inlines = [ResponsibleStaffInline]


@admin.register(ResponsibleStaff)
class ResponsibleStaffAdmin(admin.ModelAdmin):
    list_display = ("full_name", "institution", "position", "order_number", "is_active")
    list_filter = ("is_active", "institution__district")
    list_select_related = ("institution",)
    search_fields = ("full_name", "email", "institution__name_kk", "institution__bin")
    autocomplete_fields = ("institution", "user")
