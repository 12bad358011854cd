"""Pages of file imports: upload, live progress, result and error downloads, templates.

Thin views: the job is read through the scoped selector (404 for another institution's)
and created through the import service, which decides who may write to which list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.types import AuthenticatedHttpRequest
from census_coord.errors import service_error_messages
from census_coord.forms import form_add_service_errors
from census_coord.policy import rule_required
from census_coord.upload_handlers import upload_cut_message, upload_was_cut
from respondents import selectors
from respondents.importing import reports
from respondents.importing.audit import (
    audit_import_errors,
    audit_import_viewed,
)
from respondents.importing.forms import ImportUploadForm
from respondents.importing.selectors import import_job_get, import_job_list
from respondents.importing.services import import_job_create
from respondents.importing.throttling import BUSY_CODE, upload_throttle_check, upload_wait_message
from respondents.importing.vocabulary import HEADERS, REQUIRED_HEADERS
from respondents.models import ImportJob, ImportSource, Respondent

RECENT_JOBS = 10


@rule_required("import.start")
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        # The API's throttles, counted in the same cache (one limit for both ways in).
        wait = upload_throttle_check(request, respondent_list_id=respondent_list.pk)
        if wait is not None:
            messages.error(request, upload_wait_message(wait))
            form = ImportUploadForm()
            status = 429
    if status == 200 and request.method == "POST" and upload_was_cut(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", ValidationError(upload_cut_message(), code="upload_cut"))
    elif status == 200 and request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                actor=request.user,
                respondent_list=respondent_list,
                upload=upload,
                file_name=upload.name,
                mode=form.cleaned_data["mode"],
                source=ImportSource.PAGE,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == BUSY_CODE:
                messages.error(request, service_error_messages(error)[0])
                status = 429
            else:
                form_add_service_errors(form, error)
        else:
            return redirect("respondents:import_job", job=job.pk)
    return render(
        request,
        "respondents/import_upload.html",
        {
            "respondent_list": respondent_list,
            "form": form,
            "jobs": import_job_list(user=request.user, respondent_list=respondent_list)[
                :RECENT_JOBS
            ],
            # Each field by its label in the page's language (the code means nothing to an
            # officer), with the headers a file may use for it in each language.
            "headers": [
                (
                    Respondent._meta.get_field(name).verbose_name,  # type: ignore[union-attr]  # a concrete field
                    name in REQUIRED_HEADERS,
                    HEADERS[name]["kk"],
                    HEADERS[name]["ru"],
                    HEADERS[name]["en"],
                )
                for name in HEADERS
            ],
        },
        status=status,
    )


def _status(job: ImportJob) -> dict[str, object]:
    return {
        "state": job.state,
        "state_label": job.status_label,
        "finished": job.is_finished,
        "stalled": job.is_stalled,
        "attempts": job.attempts,
        "rows_total": job.rows_total,
        "rows_processed": job.rows_processed,
        "percent": job.percent,
    }


@rule_required("respondent.view_personal")
@require_GET
def import_job(request: AuthenticatedHttpRequest, job: int) -> HttpResponse:
    found = import_job_get(user=request.user, pk=job)
    audit_import_viewed(request=request, job=found)
    return render(
        request,
        "respondents/import_job.html",
        {
            "job": found,
            "respondent_list": found.respondent_list,
            "status_url": reverse("respondents:import_job_status", args=[found.pk]),
        },
    )


@rule_required("respondent.view_personal")
@require_GET
def import_job_status(request: AuthenticatedHttpRequest, job: int) -> JsonResponse:
    """What the progress bar polls; the same numbers as the API."""
    response = JsonResponse(_status(import_job_get(user=request.user, pk=job)))
    response["Cache-Control"] = "no-store"
    return response


@rule_required("respondent.view_personal")
@require_GET
def import_job_errors(request: AuthenticatedHttpRequest, job: int, kind: str) -> HttpResponseBase:
    found = import_job_get(user=request.user, pk=job)
    if kind not in ("json", "xlsx") or not found.error_count:
        raise Http404
    audit_import_errors(request=request, job=found, file_format=kind)
    if kind == "json":
        return reports.errors_json_response(found)
    return reports.errors_xlsx_response(found)


@rule_required("import.start")
@require_GET
def import_template(request: AuthenticatedHttpRequest, language: str, kind: str) -> HttpResponse:
    if language not in ("kk", "ru", "en") or kind not in ("csv", "xlsx"):
        raise Http404
    return reports.template_response(language=language, kind=kind)
