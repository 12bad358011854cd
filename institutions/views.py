"""Start pages: the department's readiness board and the officer's checklist."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read, record_search
from audit.models import AuditAction
from audit.services import filter_names
from census_coord import clock
from census_coord.exports import xlsx_response
from census_coord.filtering import LISTED
from census_coord.pagination import paginate
from census_coord.policy import rule_required
from institutions.campaigns import selected_campaign
from institutions.choices import ReportState
from institutions.filters import InstitutionFilterSet
from institutions.forms import ReadinessBoardForm
from institutions.readiness import readiness_items
from institutions.selectors import (
    InstitutionReadiness,
    ReadinessBoard,
    board_districts,
    board_reference_data,
    institution_list,
    institution_readiness_board,
    institution_readiness_get,
    reported_item_counts,
    reported_item_list,
    seminar_attendance_list,
    staff_list,
)


def _board(
    request: AuthenticatedHttpRequest,
) -> tuple[ReadinessBoard, InstitutionFilterSet, ReadinessBoardForm]:
    filterset = InstitutionFilterSet(request.GET, queryset=institution_list(user=request.user))
    filterset.filters["district"].queryset = board_districts(request.user.region_id)
    options = ReadinessBoardForm(request.GET)
    options.is_valid()  # unknown choices just fall back to "any" / the default sort
    board = institution_readiness_board(
        user=request.user,
        campaign=selected_campaign(request),
        institutions=filterset.qs,
        missing=options.cleaned_data.get("missing") or None,
        sort=options.cleaned_data.get("sort") or "name",
    )
    return board, filterset, options


@rule_required("readiness.board")
def department_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The readiness board; the commission sees it read-only."""
    board, filterset, options = _board(request)
    if filter_names(request.GET):
        record_search(
            request=request,
            params=request.GET,
            object_type="institutions.institution",
            record_count=board.total,
        )
    # The summary counts the whole selection; the table shows one page of it.
    page, filter_params = paginate(request, board.in_pages, count=board.total)
    # The filter's districts and types, read once: its selects offer them, the rows show them
    # (the user's institutions are in the districts the filter offers).
    reference = board_reference_data(request.user.region_id)
    fields = filterset.form.fields
    for name, objects in zip(("district", "type"), reference, strict=True):
        setattr(fields[name], LISTED, objects)
    context = {
        "campaign": board.campaign,
        "board": board,
        "rows": board.rows(page.object_list, reference=reference),
        "page": page,
        "filter_params": filter_params,
        "items": readiness_items(),
        "filterset": filterset,
        "options": options,
        "query": request.GET.urlencode(),
    }
    return render(request, "institutions/department_home.html", context)


@rule_required("readiness.board")
def readiness_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The board as filtered, as XLSX: one column per readiness item."""
    board, _filterset, _options = _board(request)
    rows = board.all_rows()
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

    record_read(
        request,
        AuditAction.EXPORT,
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


@rule_required("institution.view")
def institution_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One institution: data, staff and checklist. Another institution's page is a 404."""
    return _institution_page(request, pk=pk, template="institutions/institution_detail.html")


@rule_required("institution.own")
def officer_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer's own institution: the checklist and what to do next."""
    pk = request.user.institution_id
    # What the institution reported about its staff: returned items wait for its correction.
    # Counted first (an officer's scope: their institution); only the kinds with anything
    # returned are read item by item.
    counts = reported_item_counts(user=request.user)
    returned = (
        reported_item_list(user=request.user, kinds=counts.returned_kinds)
        if counts.returned_kinds
        else []
    )
    extra = {
        "returned": [row for row in returned if row.item.report_state == ReportState.RETURNED],
        "waiting_count": counts.waiting,
    }
    return _institution_page(request, pk=pk, template="institutions/officer_home.html", extra=extra)  # type: ignore[arg-type]  # the rule admits users with an institution


def _institution_page(
    request: AuthenticatedHttpRequest,
    *,
    pk: int,
    template: str,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    campaign = selected_campaign(request)
    # The checklist's row is the institution, scoped as ``institution_get`` scopes it (404
    # otherwise), with its district, region and type: not read a second time.
    readiness = institution_readiness_get(user=request.user, campaign=campaign, pk=pk)
    institution = readiness.institution
    # The page shows the staff's own fields and provisioning, and the seminar and name of
    # each attendance: not the institution (it is this one) nor the staff's user account.
    staff = (
        staff_list(user=request.user, campaign=campaign)
        .filter(institution=institution)
        .select_related(None)
        .select_related("provisioning")
        .order_by("-is_active", "full_name")
    )
    attendance = (
        seminar_attendance_list(user=request.user)
        .filter(staff__institution=institution, seminar__campaign=campaign)
        .select_related(None)
        .select_related("seminar", "staff")
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
    record_read(request, obj=institution)
    return render(request, template, context)
