"""The four-way reconciliation with the census database (issue 19 item 5): the page, with
its drill-down and filters, and the XLSX export of a section.

Counts come from the counters (``ListProgress``, ``ReconciliationCount``), never from a
scan of respondent rows; the names behind a section are one page of rows, for those who
may read names (the Department; an officer for their own institution). The commission
sees and exports counts only, by district."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_of
from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_read
from audit.models import AuditAction
from census_coord.exports import xlsx_response
from census_coord.filtering import filter_query, page_rows
from census_coord.pagination import CountedPaginator
from census_coord.policy import allowed, rule_required
from censusdb import selectors
from censusdb.filters import SECTION_CHOICES, ReconciliationFilterSet
from institutions.campaigns import selected_campaign

PAGE_SIZE = 50


def _report(request: AuthenticatedHttpRequest, params: QueryDict) -> dict[str, Any]:
    campaign = selected_campaign(request)
    institutions = selectors.reconciliation_institutions(user=request.user, campaign=campaign)
    filterset = ReconciliationFilterSet(params or None, queryset=institutions)
    rows, values = page_rows(filterset)
    is_officer = role_of(request.user) == Role.OFFICER
    level = selectors.reconciliation_level(user=request.user, values=values)
    report = selectors.reconciliation_report(rows, campaign=campaign, level=level)
    return {
        "campaign": campaign,
        "filterset": filterset,
        "rows_qs": rows,
        "values": values,
        "section": values.get("section") or "",
        "report": report,
        "is_officer_view": is_officer,
    }


@rule_required("censusdb.reconciliation")
def reconciliation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per region → district → institution: listed and in the census DB, listed and not
    (still time / window closed), in the census DB here but on no list, listed here but
    enumerated elsewhere; with a section chosen, its people (who may read names)."""
    context = _report(request, request.GET)
    section = context["section"]
    shows_people = bool(section) and allowed(request.user, "censusdb.reconciliation_people")
    page = None
    if shows_people:
        people = selectors.reconciliation_people(
            user=request.user,
            campaign=context["campaign"],
            section=section,
            institutions=context["rows_qs"],
        )
        page = CountedPaginator(
            people, PAGE_SIZE, count=context["report"].total.of(section)
        ).get_page(request.GET.get("page"))
        record_read(
            request,
            object_type="respondents.respondent",
            record_count=len(page.object_list),
            institution=request.user.institution_id,
            extra={"report": "census_reconciliation", "section": section},
        )
    query = filter_query(request, ReconciliationFilterSet)
    drill = QueryDict(query, mutable=True)
    for key in ("region", "district", "institution", "page"):
        drill.pop(key, None)
    return render(
        request,
        "censusdb/reconciliation.html",
        {
            **context,
            "page": page,
            "shows_people": shows_people,
            "sections": SECTION_CHOICES,
            "filter_params": query,
            "drill_params": drill.urlencode(),
            "can_export": allowed(request.user, "censusdb.reconciliation_export"),
        },
    )


def _count_headers() -> list[str]:
    return [
        _("District"),
        _("Listed"),
        _("Listed and in the census database"),
        _("Not in the census database: still time"),
        _("Not in the census database: window closed"),
        _("In the census database here, on no list"),
        _("Listed here, enumerated elsewhere"),
    ]


def _count_rows(report: selectors.ReconciliationReport) -> Iterator[list[Any]]:
    for row in report.by_district:
        counts = row.counts
        yield [
            row.name,
            counts.listed,
            counts.in_db,
            counts.not_in_db if report.still_time else 0,
            0 if report.still_time else counts.not_in_db,
            counts.unlisted,
            counts.elsewhere,
        ]


def _people_headers() -> list[str]:
    return [
        _("District"),
        _("BIN"),
        _("Institution"),
        _("Surname"),
        _("Given name"),
        _("Patronymic"),
        _("Birth date"),
        _("IIN"),
        _("Census form or registration number"),
        _("BIN in the census database"),
    ]


def _people_rows(people: Iterable[Any], section: str) -> Iterator[list[Any]]:
    for row in people:
        if section == "unlisted":
            institution, form, bin_ = row.institution, row.form_number, row.bin
        else:
            institution = row.respondent_list.institution
            form, bin_ = row.census_form or "", row.census_bin or ""
        yield [
            institution.district.name,
            institution.bin,
            institution.name,
            row.surname,
            row.given_name,
            row.patronymic,
            row.birth_date.strftime("%d.%m.%Y") if row.birth_date else "",
            row.iin,
            form,
            bin_,
        ]


@rule_required("censusdb.reconciliation_export")
@require_POST
def reconciliation_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A section as XLSX, for the filters the page shows: its people for the Department;
    for the commission the counts of every section by district, no names."""
    names = allowed(request.user, "censusdb.reconciliation_people")
    params = request.POST.copy()
    section = params.get("section") or "not_in_db"
    if not names:  # every section's counts by district, for the other filters
        params.pop("section", None)
    context = _report(request, params)
    campaign = context["campaign"]
    if names:
        section = context["section"] or "not_in_db"
    if names:
        people = selectors.reconciliation_people(
            user=request.user, campaign=campaign, section=section, institutions=context["rows_qs"]
        )
        headers, rows = _people_headers(), _people_rows(people.iterator(chunk_size=2000), section)
        count = context["report"].total.of(section)
    else:
        headers, rows = _count_headers(), _count_rows(context["report"])
        count = 0
    record_read(
        request,
        AuditAction.EXPORT,
        object_type="respondents.respondent" if names else "institutions.institution",
        record_count=count,
        extra={"report": "census_reconciliation", "section": section, "names": names},
    )
    return xlsx_response(
        filename=f"reconciliation-{campaign.code}-{section if names else 'counts'}.xlsx",
        headers=headers,
        rows=rows,
        sheet_title=_("Reconciliation"),
    )
