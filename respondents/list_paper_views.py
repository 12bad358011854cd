"""The list as a paper: its PDF to print and sign, and the signed scan filed back with it.

Same people and scoping as the list's own pages (``respondents.views``): the institution's
officer and the department; another institution's list is a 404. Printing (directly, or the
download of a paper a worker rendered for a large list) and reading a scan are on the audit
trail; URLs carry list and scan ids and the language only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read
from audit.models import AuditAction
from census_coord.documents import paper_language
from census_coord.downloads import protected_file_response
from census_coord.forms import form_add_service_errors
from census_coord.policy import rule_required
from census_coord.uploads import CONTENT_TYPES
from respondents import list_paper, list_paper_jobs, selectors, services
from respondents.models import PaperState, Respondent, RespondentList, SignedListScan


class SignedScanForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Signed list scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(CONTENT_TYPES[kind] for kind in services.SCAN_KINDS)}
        ),
    )


@rule_required("respondent.view_personal")
def list_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The list as of the reference date, in Kazakh or Russian (``?lang=``; else the reader's).

    Above ``LIST_PAPER_BACKGROUND_ROWS`` people the paper is a worker's job: this page then
    says how it stands (print, being prepared, failed, or the download)."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    language = paper_language(request.GET.get("lang", ""))
    rows = selectors.respondents_as_of_reference_date(
        user=request.user, respondent_list=respondent_list
    )
    people = rows.count()
    if list_paper.printed_by_worker(people):
        return _paper_job_page(
            request, respondent_list=respondent_list, rows=rows, people=people, language=language
        )
    content, total = list_paper.render_list_paper(
        respondent_list=respondent_list, rows=rows, language=language, printed_by=request.user
    )
    _audit_print(request, respondent_list=respondent_list, total=total, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{list_paper.paper_filename(respondent_list, language)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _audit_print(
    request: AuthenticatedHttpRequest, *, respondent_list: RespondentList, total: int, language: str
) -> None:
    """One print event per paper handed out, rendered now or by a worker alike."""
    record_read(
        request,
        AuditAction.PRINT,
        obj=respondent_list,
        institution=respondent_list.institution_id,
        record_count=total,
        extra={"language": language},
    )


def _paper_job_page(
    request: AuthenticatedHttpRequest,
    *,
    respondent_list: RespondentList,
    rows: QuerySet[Respondent],
    people: int,
    language: str,
) -> HttpResponse:
    job = list_paper_jobs.list_paper_job_get(respondent_list=respondent_list, language=language)
    version = list_paper.content_version(
        respondent_list=respondent_list, rows=rows, language=language, printed_by=request.user
    )
    preparing = job is not None and job.is_active and not job.is_stalled
    response = render(
        request,
        "respondents/list_paper_job.html",
        {
            "respondent_list": respondent_list,
            "language": language,
            "job": job,
            "people": people,
            "ready": list_paper_jobs.list_paper_job_is_current(job, version=version),
            "preparing": preparing,
            "stalled": job is not None and job.is_stalled,
            "failed": job is not None and job.state == PaperState.FAILED,
            "refresh_seconds": 5 if preparing else None,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@rule_required("respondent.view_personal")
@require_POST
def list_pdf_prepare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start (or restart) the worker's rendering of a large list's paper."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    language = paper_language(request.POST.get("lang", ""))
    rows = selectors.respondents_as_of_reference_date(
        user=request.user, respondent_list=respondent_list
    )
    if list_paper.printed_by_worker(rows.count()):
        list_paper_jobs.list_paper_job_start(
            actor=request.user, respondent_list=respondent_list, language=language
        )
    return redirect(f"{reverse('respondents:list_pdf', args=[pk])}?lang={language}")


@rule_required("respondent.view_personal")
@require_GET
def list_pdf_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The paper a worker rendered, while it still is the list as it is now; audited as a
    print. An out-of-date or missing file sends the reader back to the print page."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    language = paper_language(request.GET.get("lang", ""))
    rows = selectors.respondents_as_of_reference_date(
        user=request.user, respondent_list=respondent_list
    )
    version = list_paper.content_version(
        respondent_list=respondent_list, rows=rows, language=language, printed_by=request.user
    )
    job = list_paper_jobs.list_paper_job_get(respondent_list=respondent_list, language=language)
    if job is None or not list_paper_jobs.list_paper_job_is_current(job, version=version):
        return redirect(f"{reverse('respondents:list_pdf', args=[pk])}?lang={language}")
    _audit_print(
        request, respondent_list=respondent_list, total=job.rows_total or 0, language=language
    )
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=list_paper.paper_filename(respondent_list, language),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@rule_required("respondent.view_personal")
@require_http_methods(["GET", "POST"])
def signed_scans(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The scans filed with the list, newest first; a new one once the list is submitted."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    can_attach = respondent_list.status in services.SCAN_STATUSES
    form = SignedScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_list_scan_attach(
                actor=request.user, respondent_list=respondent_list, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The signed scan was attached to the list."))
            return redirect("respondents:list_detail", pk=pk)
    return render(
        request,
        "respondents/signed_scans.html",
        {
            "respondent_list": respondent_list,
            "scans": respondent_list.signed_scans.select_related("uploaded_by"),
            "form": form,
            "can_attach": can_attach,
        },
    )


@rule_required("respondent.view_personal")
def signed_scan_download(request: AuthenticatedHttpRequest, pk: int, scan: int) -> FileResponse:
    """One filed scan; the shared download rule scopes, audits and sends ``no-store``."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    scans = SignedListScan.objects.filter(respondent_list=respondent_list)
    suffix = get_object_or_404(scans, pk=scan).file.name.rsplit(".", 1)[-1]
    return protected_file_response(
        request=request,
        queryset=scans,
        pk=scan,
        file_field="file",
        institution_path="respondent_list__institution",
        download_name=f"list-{respondent_list.institution.bin}-signed-{scan}.{suffix}",
    )
