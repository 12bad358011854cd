"""The list as a paper: its PDF to print and sign, and the signed scan filed back with it.

Same people and scoping as the list's own pages (``respondents.views``): the institution's
officer and the department; another institution's list is a 404. Printing and reading a
scan are on the audit trail; URLs carry list and scan ids only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read
from audit.models import AuditAction
from census_coord import clock
from census_coord.documents import paper_language
from census_coord.downloads import protected_file_response
from census_coord.forms import form_add_service_errors
from census_coord.pdf import pdf_response
from census_coord.policy import rule_required
from census_coord.uploads import CONTENT_TYPES
from respondents import list_paper, selectors, services
from respondents.models import SignedListScan


class SignedScanForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Signed list scan (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(CONTENT_TYPES[kind] for kind in services.SCAN_KINDS)}
        ),
    )


@rule_required("respondent.view_personal")
def list_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The list as of the reference date, in Kazakh or Russian (``?lang=``; else the reader's)."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    language = paper_language(request.GET.get("lang", ""))
    rows = selectors.respondents_as_of_reference_date(
        user=request.user, respondent_list=respondent_list
    )
    context = list_paper.respondent_list_paper(
        respondent_list=respondent_list, rows=rows, language=language, printed_by=request.user
    )
    record_read(
        request,
        AuditAction.PRINT,
        obj=respondent_list,
        institution=respondent_list.institution_id,
        record_count=context["totals"]["total"],
        extra={"language": language},
    )
    stamp = clock.today().strftime("%Y%m%d")
    return pdf_response(
        template_name=list_paper.TEMPLATE,
        context=context,
        filename=f"list-{respondent_list.institution.bin}-{stamp}-{language}.pdf",
        language=language,
    )


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
