from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from accounts.scoping import scope_queryset
from accounts.selectors import api_token_holder_candidates, api_token_list
from accounts.services import api_token_issue, api_token_revoke
from accounts.types import actor_of
from audit.mixins import AuditedAdminMixin
from census_coord.errors import service_error_message
from census_coord.policy import RuleAdminMixin, allowed


class DepartmentOnlyAdminMixin(RuleAdminMixin, AuditedAdminMixin):
    """Only department staff use these admin pages (``admin.open``), whatever model
    permissions a user holds.

    Every page of it is audited (views, searches, import/export; saves and deletes through
    the services of ``audit.mixins.AuditedAdminMixin``).

    ``institution_path`` (lookup to Institution, ``""`` for Institution itself) narrows the
    lists with the same scoping as the rest of the application, e.g. to a user's region.
    """

    institution_path: str | None = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.institution_path is None:
            return queryset
        return scope_queryset(queryset, user=request.user, institution_path=self.institution_path)


@admin.register(User)
class ReadOnlyAdmin(DepartmentOnlyAdminMixin, admin.ModelAdmin):
    """Nothing is added, changed or deleted by hand here: services own every write.

    Department staff only, scoped like the pages (``institution_path``), and every view,
    search and export is on the audit trail (``DepartmentOnlyAdminMixin``).
    """

    institution_path = "institution"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
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
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("institution",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]  # UserAdmin sets them
        (_("Scope and language"), {"fields": ("institution", "region", "language")}),
        (_("Position on printed acts"), {"fields": ("position_kk", "position_ru")}),
    )


class ApiTokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Department staff issue tokens (the key is shown once) and revoke them, for the
    API-client accounts of their region only (``token.issue`` / ``token.revoke``)."""

    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    # Tokens are managed by department staff even without model permissions on accounts:
    # giving them change_user would let them edit any account.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "admin.open")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request.user, "admin.open")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "admin.open")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request.user, "admin.open")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return api_token_list(user=actor_of(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            # Only the accounts the policy lets this user issue for are offered at all.
            kwargs["queryset"] = api_token_holder_candidates(actor=actor_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "name") if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:  # type: ignore[override]  # saves its own model only
        if change:
            return
        try:
            token, key = api_token_issue(actor=actor_of(request), user=obj.user, name=obj.name)
        except ValidationError as exc:
            messages.error(request, service_error_message(exc, sep="; "))
            return
        obj.pk, obj.prefix, obj.key_hash = token.pk, token.prefix, token.key_hash
        obj.created_at = token.created_at
        obj._issued_key = key  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: ApiToken, *args: Any) -> HttpResponse:
        key = getattr(obj, "_issued_key", None)
        if key is None:
            return super().response_add(request, obj, *args)
        # Rendered straight into the response: the key never goes into a message store.
        context = {
            **self.admin_site.each_context(request),
            "token": obj,
            "key": key,
            "opts": self.opts,
            "title": _("API token issued"),
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                api_token_revoke(actor=actor_of(request), token=token)
            except ValidationError as exc:
                messages.error(request, service_error_message(exc, sep="; "))
                continue
            count += 1
        self.message_user(
            request,
            gettext_now("Tokens revoked: %(count)d.") % {"count": count},
            messages.SUCCESS,
        )
