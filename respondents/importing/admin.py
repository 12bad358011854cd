"""Admin of import jobs: scoped, read-only, and the department's upload form as "add".

Registered from ``respondents.admin``. The upload goes through the same service as the
officer's page and the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin import ReadOnlyAdmin
from accounts.roles import Role, role_of
from accounts.types import actor_of
from census_coord.forms import form_add_service_errors
from respondents.importing.forms import ImportUploadForm
from respondents.importing.services import import_job_create
from respondents.models import ImportJob, ImportSource, RespondentList
from respondents.selectors import respondent_list_list


class AdminUploadForm(ImportUploadForm):
    respondent_list = forms.ModelChoiceField(
        label=gettext_lazy("Respondent list"), queryset=RespondentList.objects.none()
    )
    field_order = ["respondent_list", "file", "mode"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    institution_path = "respondent_list__institution"
    list_display = (
        "created_at",
        "respondent_list",
        "file_name",
        "state",
        "rows_total",
        "rows_added",
        "error_count",
        "source",
        "created_by",
    )
    list_filter = ("state", "source", "mode")
    list_select_related = (
        "respondent_list__institution",
        "respondent_list__campaign",
        "created_by",
    )
    readonly_fields = [
        f.name for f in ImportJob._meta.fields if f.name not in ("file", "error_report")
    ]
    exclude = ("file", "error_report")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_of(request.user) == Role.DEPARTMENT

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AdminUploadForm(request.POST or None, request.FILES or None)
        form.fields["respondent_list"].queryset = respondent_list_list(user=actor_of(request))  # type: ignore[attr-defined]  # fields[] is typed Field
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_job_create(
                    actor=actor_of(request),
                    respondent_list=form.cleaned_data["respondent_list"],
                    upload=upload,
                    file_name=upload.name,
                    mode=form.cleaned_data["mode"],
                    source=ImportSource.ADMIN,
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The file is queued for import."))
                return redirect(reverse("admin:respondents_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import respondents from a file"),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/respondents/importjob/upload.html", context)
