"""Start pages: the department's readiness board and the officer's checklist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.roles import Role, role_of
from audit.models import AuditAction
from audit.services import audit_record, audit_search, filter_names
from census_coord import clock
from census_coord.exports import xlsx_response
from census_coord.pagination import paginate
from institutions.choices import ReportState
from institutions.filters import InstitutionFilterSet
from institutions.forms import ReadinessBoardForm
from institutions.readiness import readiness_items
from institutions.selectors import (
    InstitutionReadiness,
    campaign_get_active,
    institution_get,
    institution_list,
    institution_readiness_get,
    institution_readiness_list,
    reported_item_list,
    seminar_attendance_list,
    staff_list,
)

REGION_WIDE = (Role.DEPARTMENT, Role.COMMISSION)


def _board(
    request: HttpRequest,
) -> tuple[list[InstitutionReadiness], InstitutionFilterSet, ReadinessBoardForm]:
    if role_of(request.user) not in REGION_WIDE:
        raise PermissionDenied
    filterset = InstitutionFilterSet(request.GET, queryset=institution_list(user=request.user))
    if request.user.region_id:
        # Offer the districts of the user's own region only (19 options, not 211).
        districts = filterset.filters["district"]
        districts.queryset = districts.queryset.filter(region_id=request.user.region_id)
    options = ReadinessBoardForm(request.GET)
    options.is_valid()  # unknown choices just fall back to "any" / the default sort
    rows = institution_readiness_list(
        user=request.user,
        campaign=campaign_get_active(),
        institutions=filterset.qs,
        missing=options.cleaned_data.get("missing") or None,
        sort=options.cleaned_data.get("sort") or "name",
    )
    return rows, filterset, options


@login_required
def department_home(request: HttpRequest) -> HttpResponse:
    """The readiness board; the commission sees it read-only."""
    rows, filterset, options = _board(request)
    if filter_names(request.GET):
        audit_search(
            request=request,
            params=request.GET,
            object_type="institutions.institution",
            record_count=len(rows),
        )
    # The summary counts every row; the table shows one page of them.
    page, filter_params = paginate(request, rows)
    context = {
        "campaign": campaign_get_active(),
        "rows": rows,
        "page": page,
        "filter_params": filter_params,
        "items": readiness_items(),
        "filterset": filterset,
        "options": options,
        "ready_count": sum(row.is_ready for row in rows),
        "query": request.GET.urlencode(),
    }
    return render(request, "institutions/department_home.html", context)


@login_required
def readiness_export(request: HttpRequest) -> HttpResponse:
    """The board as filtered, as XLSX: one column per readiness item."""
    rows, _filterset, _options = _board(request)
    items = readiness_items()
    headers = [
        _("BIN"),
        _("Name (Kazakh)"),
        _("Name (Russian)"),
        _("District or city"),
        _("Institution type"),
        *[str(item.label) for item in items],
        _("Done"),
    ]
    yes, no = _("yes"), _("no")

    def cells(row: InstitutionReadiness) -> list[object]:
        institution = row.institution
        marks = [
            f"{yes if result.done else no} ({result.detail})"
            if result.detail
            else (yes if result.done else no)
            for _item, result in row.results
        ]
        return [
            institution.bin,
            institution.name_kk,
            institution.name_ru,
            institution.district.name,
            institution.type.name,
            *marks,
            f"{row.done_count}/{row.total}",
        ]

    audit_record(
        request_or_actor=request,
        action=AuditAction.EXPORT,
        object_type="institutions.institution",
        record_count=len(rows),
        extra={"export": "readiness", "filters": filter_names(request.GET)},
    )
    return xlsx_response(
        filename=f"readiness-{clock.today():%Y%m%d}.xlsx",
        headers=headers,
        rows=(cells(row) for row in rows),
        sheet_title=_("Readiness"),
    )


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One institution: data, staff and checklist. Another institution's page is a 404."""
    if role_of(request.user) not in (*REGION_WIDE, Role.OFFICER):
        raise PermissionDenied
    return _institution_page(request, pk=pk, template="institutions/institution_detail.html")


@login_required
def officer_home(request: HttpRequest) -> HttpResponse:
    """The officer's own institution: the checklist and what to do next."""
    if role_of(request.user) != Role.OFFICER:
        raise PermissionDenied
    pk = request.user.institution_id
    institution = institution_get(user=request.user, pk=pk)
    # What the institution reported about its staff: returned items wait for its correction.
    reported = reported_item_list(user=request.user, institution=institution)
    extra = {
        "returned": [row for row in reported if row.item.report_state == ReportState.RETURNED],
        "waiting_count": sum(row.item.report_state == ReportState.REPORTED for row in reported),
    }
    return _institution_page(request, pk=pk, template="institutions/officer_home.html", extra=extra)


def _institution_page(
    request: HttpRequest, *, pk: int, template: str, extra: dict[str, object] | None = None
) -> HttpResponse:
    campaign = campaign_get_active()
    institution = institution_get(user=request.user, pk=pk)
    readiness = institution_readiness_get(user=request.user, campaign=campaign, pk=pk)
    staff = (
        staff_list(user=request.user)
        .filter(institution=institution)
        .select_related("provisioning")
        .order_by("-is_active", "full_name")
    )
    attendance = seminar_attendance_list(user=request.user).filter(
        staff__institution=institution, seminar__campaign=campaign
    )
    context = {
        "campaign": campaign,
        "institution": institution,
        "readiness": readiness,
        "staff": staff,
        "attendance": attendance.order_by("seminar__date", "staff__full_name"),
        **(extra or {}),
    }
    # The page names the institution's responsible staff.
    audit_record(request_or_actor=request, action=AuditAction.VIEW, obj=institution)
    return render(request, template, context)
