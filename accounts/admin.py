from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "institution",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_active", "groups", "language")
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Scope and language"), {"fields": ("institution", "region", "language")}),
    )
