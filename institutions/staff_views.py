"""Pages of the institutions' own part (¶5–7) and the Department's review of it.

The officer reports the head's appointment order, the staff it appoints, their premises
and computer, and who attended which seminar, and signs staff up for seminars. The
Department confirms each reported item or returns it with a comment, and prints a seminar's
attendance sheet. Permissions are the policy's named rules: ``rule_required`` on each view
and, for an object, ``require``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read
from audit.models import AuditAction
from census_coord import clock
from census_coord.documents import department_details, person_name
from census_coord.downloads import protected_file_response
from census_coord.errors import service_error_message
from census_coord.forms import form_add_service_errors
from census_coord.pagination import paginate
from census_coord.pdf import pdf_response
from census_coord.policy import require, rule_required
from institutions import services
from institutions.campaigns import selected_campaign
from institutions.choices import ReportState
from institutions.filters import ReportedItemFilterSet
from institutions.forms import (
    AppointmentOrderForm,
    ProvisioningReportForm,
    ReportReturnForm,
    SeminarSignUpForm,
    StaffReportForm,
)
from institutions.models import AppointmentOrder, Institution, ResponsibleStaff
from institutions.selectors import (
    appointment_order_list,
    institution_get,
    provisioning_list,
    reported_item_get,
    reported_item_list,
    seminar_attendance_list,
    seminar_get,
    seminar_list,
    staff_list,
)

PDF_LANGUAGES = ("kk", "ru")


def _own_institution(request: AuthenticatedHttpRequest) -> Institution:
    """The officer's institution; every other role is refused the officer's pages."""
    if not request.user.institution_id:
        raise PermissionDenied
    institution = institution_get(user=request.user, pk=request.user.institution_id)
    require(request.user, "staff.report", institution)
    return institution


def _post_only(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


# --- the officer --------------------------------------------------------------------


@rule_required("staff.report")
def staff_part(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The institution's orders, staff and their premises and computer, each with its
    state and, when returned, the Department's comment."""
    institution = _own_institution(request)
    campaign = selected_campaign(request)
    orders = appointment_order_list(user=request.user, campaign=campaign).filter(
        institution=institution
    )
    staff = (
        staff_list(user=request.user, campaign=campaign)
        .filter(institution=institution)
        .select_related("order", "provisioning")
        .order_by("-is_active", "full_name")
    )
    context = {"institution": institution, "orders": orders, "staff": staff}
    record_read(request, obj=institution)
    return render(request, "institutions/staff_part.html", context)


def _order_form_page(
    request: AuthenticatedHttpRequest, *, institution: Institution, order: AppointmentOrder | None
) -> HttpResponse:
    initial = (
        {"number": order.number, "date": order.date, "signed_by": order.signed_by}
        if order
        else {"signed_by": institution.head_name}
    )
    form = AppointmentOrderForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_scan=bool(order and order.scan),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_order_report(
                actor=request.user, institution=institution, order=order, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The order is reported to the Department."))
            return redirect("institutions:staff_part")
    context = {"form": form, "item": order, "title": _("Appointment order"), "multipart": True}
    return render(request, "institutions/report_form.html", context)


@rule_required("staff.report")
def order_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _order_form_page(request, institution=_own_institution(request), order=None)


@rule_required("staff.report")
def order_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(appointment_order_list(user=request.user), pk=pk)
    return _order_form_page(request, institution=_own_institution(request), order=order)


@rule_required("institution.view")
def order_scan(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The signed order, only to those who may see the institution; never a public URL."""
    order = get_object_or_404(appointment_order_list(user=request.user), pk=pk)
    suffix = order.scan.name.rsplit(".", 1)[-1] if order.scan else ""
    return protected_file_response(
        request=request,
        queryset=AppointmentOrder.objects.all(),
        pk=order.pk,
        file_field="scan",
        download_name=f"order-{order.pk}.{suffix}",
    )


def _staff_form_page(
    request: AuthenticatedHttpRequest, *, institution: Institution, staff: ResponsibleStaff | None
) -> HttpResponse:
    orders = appointment_order_list(user=request.user, campaign=selected_campaign(request)).filter(
        institution=institution
    )
    initial = (
        {
            "order": staff.order_id,
            "full_name": staff.full_name,
            "position": staff.position,
            "phone": staff.phone,
            "census_role": staff.census_role,
        }
        if staff
        else {}
    )
    form = StaffReportForm(request.POST or None, initial=initial, orders=orders)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_report(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The staff member is reported to the Department."))
            return redirect("institutions:staff_part")
    context = {
        "form": form,
        "item": staff,
        "title": _("Responsible staff member"),
        "no_orders": not orders.exists(),
    }
    return render(request, "institutions/report_form.html", context)


@rule_required("staff.report")
def staff_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _staff_form_page(request, institution=_own_institution(request), staff=None)


@rule_required("staff.report")
def staff_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_list(user=request.user), pk=pk)
    return _staff_form_page(request, institution=_own_institution(request), staff=staff)


@rule_required("staff.report")
def provisioning_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_list(user=request.user), pk=pk)
    _own_institution(request)
    provisioning = provisioning_list(user=request.user).filter(staff=staff).first()
    initial = (
        {name: getattr(provisioning, name) for name in ProvisioningReportForm.base_fields}
        if provisioning
        else {}
    )
    form = ProvisioningReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provisioning_report(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The premises and computer are reported."))
            return redirect("institutions:staff_part")
    context = {
        "form": form,
        "item": provisioning,
        "title": _("Premises and computer"),
        "subject": staff,
    }
    return render(request, "institutions/report_form.html", context)


@rule_required("staff.report")
def officer_seminars(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The campaign's seminars: upcoming ones with sign-up, past ones with attendance."""
    institution = _own_institution(request)
    campaign = selected_campaign(request)
    today = clock.today()
    attendance = seminar_attendance_list(user=request.user).filter(
        staff__institution=institution, seminar__campaign=campaign
    )
    by_seminar: dict[int, list[Any]] = {}
    for row in attendance.order_by("staff__full_name"):
        by_seminar.setdefault(row.seminar_id, []).append(row)
    active_staff = staff_list(user=request.user, campaign=campaign).filter(
        institution=institution, is_active=True
    )
    seminars = [
        {
            "seminar": seminar,
            "upcoming": seminar.date > today,
            "rows": by_seminar.get(seminar.pk, []),
            "form": SeminarSignUpForm(
                staff=active_staff.exclude(attendances__seminar=seminar).order_by("full_name"),
                prefix=f"seminar-{seminar.pk}",
            ),
        }
        for seminar in seminar_list(user=request.user, campaign=campaign)
    ]
    context = {"institution": institution, "seminars": seminars}
    return render(request, "institutions/officer_seminars.html", context)


@rule_required("seminar.sign_up")
def seminar_sign_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    institution = _own_institution(request)
    if refused := _post_only(request):
        return refused
    seminar = seminar_get(user=request.user, campaign=selected_campaign(request), pk=pk)
    form = SeminarSignUpForm(
        request.POST,
        staff=staff_list(user=request.user).filter(institution=institution),
        prefix=f"seminar-{seminar.pk}",
    )
    if not form.is_valid():
        messages.error(request, _("Choose a staff member of your institution."))
        return redirect("institutions:officer_seminars")
    try:
        services.seminar_sign_up(
            actor=request.user, seminar=seminar, staff=form.cleaned_data["staff"]
        )
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(request, _("Signed up for the seminar."))
    return redirect("institutions:officer_seminars")


def _attendance_action(
    request: AuthenticatedHttpRequest, pk: int, action: Any, done: str
) -> HttpResponse:
    _own_institution(request)
    if refused := _post_only(request):
        return refused
    attendance = get_object_or_404(seminar_attendance_list(user=request.user), pk=pk)
    try:
        action(actor=request.user, attendance=attendance)
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(request, done)
    return redirect("institutions:officer_seminars")


@rule_required("seminar.sign_up")
def seminar_sign_up_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _attendance_action(
        request, pk, services.seminar_sign_up_cancel, _("The sign-up is cancelled.")
    )


@rule_required("staff.report")
def attendance_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _attendance_action(
        request,
        pk,
        services.seminar_attendance_report,
        _("The attendance is reported to the Department."),
    )


# --- the Department -----------------------------------------------------------------


@rule_required("staff.view_reports")
def report_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Items reported by institutions; the Department confirms or returns them, the
    commission reads the queue."""
    # Without a filter the queue shows what waits for the Department; an unknown value (an
    # old bookmark) narrows nothing.
    given = any(name in request.GET for name in ReportedItemFilterSet.base_filters)
    filterset = ReportedItemFilterSet(
        request.GET if given else {"state": ReportState.REPORTED}, user=request.user
    )
    campaign = selected_campaign(request)
    rows = reported_item_list(user=request.user, filters=filterset, campaign=campaign)
    page, filter_params = paginate(request, rows)
    context = {
        "campaign": campaign,
        "form": filterset.form,
        "page": page,
        "filter_params": filter_params,
        "return_form": ReportReturnForm(),
        "query": request.GET.urlencode(),
    }
    return render(request, "institutions/report_queue.html", context)


def _reviewed_item(request: AuthenticatedHttpRequest, kind: str, pk: int) -> Any:
    item = reported_item_get(user=request.user, kind=kind, pk=pk)
    require(request.user, "staff.confirm", item)
    return item


@rule_required("staff.view_reports")
def report_confirm(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    if refused := _post_only(request):
        return refused
    item = _reviewed_item(request, kind, pk)
    try:
        services.report_confirm(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(request, _("Confirmed: %(item)s.") % {"item": item})
    return _queue_redirect(request)


@rule_required("staff.view_reports")
def report_return(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    if refused := _post_only(request):
        return refused
    item = _reviewed_item(request, kind, pk)
    form = ReportReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the institution should correct."))
        return _queue_redirect(request)
    try:
        services.report_return(actor=request.user, item=item, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(request, _("Returned to the institution: %(item)s.") % {"item": item})
    return _queue_redirect(request)


def _queue_redirect(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Back to the queue as it was filtered (the query is posted with the form)."""
    query = request.POST.get("query", "")
    url = reverse("institutions:report_queue")
    return redirect(f"{url}?{query}" if query else url)


@rule_required("seminar.print_attendance")
def department_seminars(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The campaign's seminars with the number signed up, and their attendance sheets."""
    campaign = selected_campaign(request)
    counts: dict[int, int] = {}
    for seminar_id in seminar_attendance_list(user=request.user).values_list(
        "seminar_id", flat=True
    ):
        counts[seminar_id] = counts.get(seminar_id, 0) + 1
    seminars = [
        (seminar, counts.get(seminar.pk, 0))
        for seminar in seminar_list(user=request.user, campaign=campaign)
    ]
    return render(request, "institutions/department_seminars.html", {"seminars": seminars})


@rule_required("seminar.print_attendance")
def attendance_sheet_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The seminar's attendance sheet: everyone signed up, with a column to sign."""
    seminar = seminar_get(user=request.user, campaign=selected_campaign(request), pk=pk)
    language = request.GET.get("lang", "")
    if language not in PDF_LANGUAGES:
        raise Http404
    rows = list(
        seminar_attendance_list(user=request.user)
        .filter(seminar=seminar)
        .select_related("seminar__conducted_by")
        .order_by("staff__institution__name_kk", "staff__full_name")
    )
    context = {
        "seminar": seminar,
        "people": [(row.staff, row.staff.position_in(language)) for row in rows],
        "department": department_details(language),
        "conducted_by": person_name(seminar.conducted_by),
    }
    record_read(
        request,
        AuditAction.PRINT,
        obj=seminar,
        record_count=len(rows),
        extra={"document": "attendance_sheet", "language": language},
    )
    return pdf_response(
        template_name="institutions/pdf/attendance_sheet.html",
        context=context,
        filename=f"seminar-{seminar.date:%Y%m%d}-{seminar.pk}-{language}.pdf",
        language=language,
    )
