"""Pages of stage-1 lists for institution officers and the department.

Views are thin: they read through selectors (scoped, 404 for other institutions) and
write through services. Names and IINs never travel in URLs: the search text is posted
and kept in the session.
"""

from __future__ import annotations

import logging
import operator
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read, record_search
from audit.models import AuditAction
from census_coord import clock
from census_coord.errors import service_error_message, service_error_messages
from census_coord.exports import csv_response, xlsx_response
from census_coord.filtering import filter_query, page_rows
from census_coord.forms import form_add_service_errors
from census_coord.pagination import PAGE_SIZE, CountedPaginator, paginate
from census_coord.policy import rule_required
from institutions.campaigns import selected_campaign
from institutions.selectors import institution_get
from respondents import list_paper, row_schema, selectors, services
from respondents.choices import ConflictKind, ListStatus
from respondents.filters import ConflictFilterSet, ListBoardFilterSet, RespondentFilterSet
from respondents.forms import (
    ArrivalForm,
    ConflictResolveForm,
    DepartureForm,
    ExportForm,
    RespondentForm,
    ReviewForm,
)
from respondents.models import Respondent, RespondentList
from respondents.row_schema import RowField

logger = logging.getLogger(__name__)


def _search_key(respondent_list: RespondentList) -> str:
    return f"respondents:search:{respondent_list.pk}"


def _audit(
    request: AuthenticatedHttpRequest,
    action: AuditAction,
    obj: Respondent | RespondentList,
    **kwargs: Any,
) -> None:
    """Who read which person or list; rows carry their institution via the list."""
    institution_id = (
        obj.institution_id
        if isinstance(obj, RespondentList)
        else obj.respondent_list.institution_id
    )
    record_read(request, action, obj=obj, institution=institution_id, **kwargs)


# --- officer's own list ------------------------------------------------------------


@rule_required("institution.own")
@require_http_methods(["GET", "POST"])
def my_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer's list of the active campaign; started on request."""
    campaign = selected_campaign(request)
    institution = institution_get(user=request.user, pk=request.user.institution_id)  # type: ignore[arg-type]  # the rule admits users with an institution
    respondent_list = selectors.respondent_list_of_institution(
        user=request.user, institution_id=institution.pk, campaign=campaign
    )
    if respondent_list is None and request.method == "POST":
        respondent_list = services.respondent_list_open(
            actor=request.user, institution=institution, campaign=campaign
        )
    if respondent_list is not None:
        return redirect("respondents:list_detail", pk=respondent_list.pk)
    return render(
        request,
        "respondents/my_list_start.html",
        {"campaign": campaign, "institution": institution},
    )


@rule_required("respondent.view_personal")
@require_http_methods(["GET", "POST"])
def list_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    if request.method == "POST":
        query = "" if "clear" in request.POST else request.POST.get("q", "").strip()[:100]
        request.session[_search_key(respondent_list)] = query
        url = reverse("respondents:list_detail", args=[pk])
        params = filter_query(request, RespondentFilterSet)
        return redirect(f"{url}?{params}" if params else url)
    query = request.session.get(_search_key(respondent_list), "")
    filters = RespondentFilterSet(
        request.GET or None,
        queryset=selectors.respondent_search(
            user=request.user, respondent_list=respondent_list, query=query, own_columns=True
        ),
    )
    rows, cleaned = page_rows(filters)
    searched = {"query": query, **cleaned}
    sizes = selectors.respondent_list_sizes(user=request.user, respondent_list=respondent_list)
    # Nothing searched nor filtered: the page's rows are the whole list, counted already.
    paginator = (
        Paginator(rows, PAGE_SIZE)
        if any(searched.values())
        else CountedPaginator(rows, PAGE_SIZE, count=sizes.total)
    )
    page = paginator.get_page(request.GET.get("page"))
    if any(searched.values()):
        # Filter names only: the text typed (a name, an IIN) never reaches the trail.
        record_search(
            request=request,
            params=searched,
            object_type="respondents.respondent",
            record_count=page.paginator.count,
            institution=respondent_list.institution_id,
        )
    else:
        _audit(request, AuditAction.VIEW, respondent_list, record_count=page.paginator.count)
    context = {
        "respondent_list": respondent_list,
        "page": page,
        "query": query,
        "filters": filters.form,
        "filter_params": filter_query(request, RespondentFilterSet),
        "total": sizes.total,
        # Above the threshold the print buttons start a worker's job (list_paper_jobs): the
        # same count of the paper's own rows as the print itself decides by.
        "paper_in_background": list_paper.printed_by_worker(sizes.as_of_reference_date),
        "history": selectors.respondent_list_history(respondent_list=respondent_list),
        "amendments": selectors.respondent_list_amendments(respondent_list=respondent_list),
        "export_form": ExportForm(),
        "signed_scan": selectors.respondent_list_latest_scan(respondent_list=respondent_list),
        "is_owner": request.user.institution_id == respondent_list.institution_id,
    }
    return render(request, "respondents/list_detail.html", context)


def _row_form_page(
    request: AuthenticatedHttpRequest,
    respondent_list: RespondentList,
    form: Form,
    *,
    title: str,
    respondent: Respondent | None = None,
) -> HttpResponse:
    return render(
        request,
        "respondents/row_form.html",
        {
            "respondent_list": respondent_list,
            "form": form,
            "title": title,
            "respondent": respondent,
        },
    )


@rule_required("list.edit_rows")
@require_http_methods(["GET", "POST"])
def row_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    form = RespondentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_create(
                actor=request.user, respondent_list=respondent_list, data=form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The person was added to the list."))
            if "add_another" in request.POST:
                return redirect("respondents:row_add", pk=pk)
            return redirect("respondents:list_detail", pk=pk)
    return _row_form_page(request, respondent_list, form, title=_("Add a person"))


@rule_required("list.edit_rows")
@require_http_methods(["GET", "POST"])
def row_edit(request: AuthenticatedHttpRequest, pk: int, row: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    respondent = selectors.respondent_get(
        user=request.user, respondent_list=respondent_list, pk=row
    )
    initial = {name: getattr(respondent, name) for name in services.ROW_FIELDS}
    form = RespondentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_update(
                actor=request.user, respondent=respondent, data=form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("respondents:list_detail", pk=pk)
    if request.method == "GET":
        _audit(request, AuditAction.VIEW, respondent)
    return _row_form_page(
        request, respondent_list, form, title=_("Edit a person"), respondent=respondent
    )


@rule_required("list.edit_rows")
@require_http_methods(["GET", "POST"])
def row_delete(request: AuthenticatedHttpRequest, pk: int, row: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    respondent = selectors.respondent_get(
        user=request.user, respondent_list=respondent_list, pk=row
    )
    if request.method == "POST":
        try:
            services.respondent_delete(actor=request.user, respondent=respondent)
        except ValidationError as error:
            messages.error(request, service_error_message(error))
        else:
            messages.success(request, _("The person was removed from the list."))
        return redirect("respondents:list_detail", pk=pk)
    _audit(request, AuditAction.VIEW, respondent)
    return render(
        request,
        "respondents/row_delete.html",
        {"respondent_list": respondent_list, "respondent": respondent},
    )


@rule_required("list.submit")
@require_http_methods(["GET", "POST"])
def list_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirmation with counts by category, then submission to the department."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.respondent_list_submit(actor=request.user, respondent_list=respondent_list)
        except ValidationError as error:
            errors = service_error_messages(error)
        else:
            messages.success(request, _("The list was sent to the department."))
            return redirect("respondents:list_detail", pk=pk)
    counts = selectors.respondent_list_counts(respondents=respondent_list.respondents.all())
    return render(
        request,
        "respondents/list_submit.html",
        {"respondent_list": respondent_list, "counts": counts, "errors": errors},
    )


@rule_required("list.review")
@require_http_methods(["GET", "POST"])
def list_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if request.POST.get("action") == "accept":
                services.respondent_list_accept(
                    actor=request.user, respondent_list=respondent_list, comment=comment
                )
                messages.success(request, _("The list was accepted."))
            else:
                services.respondent_list_return(
                    actor=request.user, respondent_list=respondent_list, comment=comment
                )
                messages.success(request, _("The list was returned to the institution."))
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("respondents:board")
    if request.method == "GET":
        _audit(request, AuditAction.VIEW, respondent_list)
    counts = selectors.respondent_list_counts(respondents=respondent_list.respondents.all())
    open_conflicts = (
        selectors.conflict_list(
            user=request.user, campaign=respondent_list.campaign, open_only=True
        )
        .filter(
            Q(institution_a=respondent_list.institution_id)
            | Q(institution_b=respondent_list.institution_id)
        )
        .count()
    )
    return render(
        request,
        "respondents/list_review.html",
        {
            "respondent_list": respondent_list,
            "counts": counts,
            "form": form,
            "open_conflicts": open_conflicts,
        },
    )


# --- amendments --------------------------------------------------------------------


@rule_required("list.edit_rows")
@require_http_methods(["GET", "POST"])
def arrival_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    form = ArrivalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.respondent_add_arrival(
                actor=request.user,
                respondent_list=respondent_list,
                data=data,
                arrived_on=data["arrived_on"],
                comment=data["comment"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The arrival was recorded."))
            return redirect("respondents:list_detail", pk=pk)
    return _row_form_page(request, respondent_list, form, title=_("Record an arrival"))


@rule_required("list.edit_rows")
@require_http_methods(["GET", "POST"])
def departure_record(request: AuthenticatedHttpRequest, pk: int, row: int) -> HttpResponse:
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    respondent = selectors.respondent_get(
        user=request.user, respondent_list=respondent_list, pk=row
    )
    form = DepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.respondent_record_departure(
                actor=request.user,
                respondent=respondent,
                departed_on=data["departed_on"],
                reason=data["reason"],
                comment=data["comment"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The departure was recorded."))
            return redirect("respondents:list_detail", pk=pk)
    if request.method == "GET":
        _audit(request, AuditAction.VIEW, respondent)
    return render(
        request,
        "respondents/departure_form.html",
        {"respondent_list": respondent_list, "respondent": respondent, "form": form},
    )


# --- exports -----------------------------------------------------------------------


def _export_value(field: RowField) -> Callable[[Respondent], Any]:
    """How a row field is written in an export cell: a choice by its label."""
    if field.choices is not None:
        display = f"get_{field.name}_display"
        return lambda row: getattr(row, display)()
    return operator.attrgetter(field.name)


# The schema's exported fields, then the amendments' columns.
_EXPORTED = [_export_value(field) for field in row_schema.EXPORTED_FIELDS]


def _export_rows(rows: Iterable[Respondent]) -> Iterable[list[Any]]:
    for number, row in enumerate(rows, start=1):
        yield [
            number,
            *(value(row) for value in _EXPORTED),
            row.arrived_on,
            row.departed_on,
            row.get_departure_reason_display() if row.departure_reason else "",
        ]


EXPORT_HEADERS = (
    "№",
    *(field.label for field in row_schema.EXPORTED_FIELDS),
    gettext_lazy("Arrived on"),
    gettext_lazy("Departed on"),
    gettext_lazy("Departure reason"),
)


@rule_required("respondent.view_personal")
@require_POST
def list_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The list as of the reference date or the current list, as a deliberate download."""
    respondent_list = selectors.respondent_list_get(user=request.user, pk=pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which list and which format to export."))
        return redirect("respondents:list_detail", pk=pk)
    view, file_format = form.cleaned_data["view"], form.cleaned_data["format"]
    if view == "current":
        rows = selectors.respondents_current(user=request.user, respondent_list=respondent_list)
    else:
        rows = selectors.respondents_as_of_reference_date(
            user=request.user, respondent_list=respondent_list
        )
    # Who exported which list is recorded; the rows themselves never reach the log.
    logger.info(
        "respondent list exported",
        extra={"user_id": request.user.pk, "list_id": respondent_list.pk, "view": view},
    )
    _audit(
        request,
        AuditAction.EXPORT,
        respondent_list,
        record_count=rows.count(),
        extra={"view": view, "format": file_format},
    )
    headers = [str(header) for header in EXPORT_HEADERS]
    stamp = clock.today().strftime("%Y%m%d")
    filename = f"list-{respondent_list.institution.bin}-{view}-{stamp}.{file_format}"
    if file_format == "csv":
        return csv_response(filename=filename, headers=headers, rows=_export_rows(rows.iterator()))
    return xlsx_response(
        filename=filename,
        headers=headers,
        rows=_export_rows(rows.iterator()),
        sheet_title=respondent_list.institution.bin,
    )


# --- department --------------------------------------------------------------------


@rule_required("list.board")
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every institution with its list status and counts, filterable by status."""
    campaign = selected_campaign(request)
    everyone = selectors.respondent_list_board(user=request.user, campaign=campaign)
    totals = selectors.board_status_totals(everyone)  # the summary counts them all
    _nothing, filtered = page_rows(ListBoardFilterSet(request.GET))
    status = filtered.get("status", "")
    institutions = selectors.board_with_status(everyone, status)  # their primary keys
    page, filter_params = paginate(request, institutions)
    page.object_list = selectors.list_board_rows(list(page.object_list), campaign=campaign)
    return render(
        request,
        "respondents/board.html",
        {
            "campaign": campaign,
            "institutions": institutions,
            "page": page,
            "filter_params": filter_params,
            "totals": totals,
            "status": status,
            "statuses": ListStatus.choices,
        },
    )


@rule_required("conflict.resolve")
def conflict_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaign = selected_campaign(request)
    conflicts, filtered = page_rows(
        ConflictFilterSet(
            request.GET, queryset=selectors.conflict_list(user=request.user, campaign=campaign)
        )
    )
    page, filter_params = paginate(request, conflicts)
    show_all = filtered.get("show") == "all"
    kind = filtered.get("kind") or ""
    record_read(
        request,
        object_type="respondents.duplicateiinconflict",
        record_count=page.paginator.count,
        extra={"show": "all" if show_all else "open", "kind": kind or "all"},
    )
    return render(
        request,
        "respondents/conflicts.html",
        {
            "page": page,
            "filter_params": filter_params,
            "show_all": show_all,
            "kind": kind,
            "kinds": ConflictKind.choices,
        },
    )


@rule_required("conflict.resolve")
@require_http_methods(["GET", "POST"])
def conflict_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = selected_campaign(request)
    conflict = selectors.conflict_get(user=request.user, campaign=campaign, pk=pk)
    form = ConflictResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_resolve(
                actor=request.user,
                conflict=conflict,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The conflict was resolved."))
            return redirect("respondents:conflicts")
    if request.method == "GET":
        record_read(request, obj=conflict, institution=conflict.institution_a_id)
    return render(
        request, "respondents/conflict_resolve.html", {"conflict": conflict, "form": form}
    )
