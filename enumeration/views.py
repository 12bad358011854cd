"""Pages of stage 2: the officer's worklist, certificates, the progress dashboard and reports.

Views are thin: reads go through scoped selectors (404 for another institution's people),
writes through ``enumeration.services``. Every read, search, change, print and export of
people is on the audit trail; names and IINs never travel in URLs (the worklist's search
text is posted and kept in the session).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, role_of
from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_list, record_read
from audit.models import AuditAction
from census_coord import clock
from census_coord.errors import service_error_message
from census_coord.exports import xlsx_response
from census_coord.filtering import filter_query, page_rows
from census_coord.forms import form_add_service_errors
from census_coord.pagination import CountedPaginator, page_with_count
from census_coord.policy import allowed, rule_required
from enumeration import progress, selectors, services
from enumeration.certificates import CERTIFICATE_LANGUAGES, certificate_print_response
from enumeration.choices import EnumerationMethod, EnumerationStatus, NonEnumerationReason
from enumeration.filters import WorklistFilterSet
from enumeration.forms import BulkEnumerationForm, EnumerationForm
from institutions.campaigns import selected_campaign
from institutions.models import District, Region
from institutions.readiness import board_queryset
from institutions.selectors import institution_get
from respondents.views import PAGE_SIZE

logger = logging.getLogger(__name__)

# People's rows (names) are for the institution's officers and the department; the
# commission reads figures only, as in stage 1.
RESPONDENT = "respondents.respondent"
# The services name the staff member by id; the forms choose it as ``staff``.
STAFF_FIELD = {"staff_id": "staff"}


# --- worklist ----------------------------------------------------------------------


def _search_key(institution_id: int) -> str:
    return f"enumeration:worklist-search:{institution_id}"


def _worklist_url(request: AuthenticatedHttpRequest, institution_id: int) -> str:
    url = reverse("enumeration:worklist_of", kwargs={"institution": institution_id})
    params = filter_query(request, WorklistFilterSet, page=True)
    return f"{url}?{params}" if params else url


@rule_required("enumeration.record")
@require_http_methods(["GET", "POST"])
def worklist(request: AuthenticatedHttpRequest, institution: int | None = None) -> HttpResponse:
    """Listed people of one institution, pending first; a bulk update of the selected."""
    if institution is None:
        if request.user.institution_id is None:
            return redirect("enumeration:progress")
        institution = request.user.institution_id
    place = institution_get(user=request.user, pk=institution)
    campaign = selected_campaign(request)
    can_override = allowed(request.user, "enumeration.override_window")
    is_search = request.method == "POST" and request.POST.get("action") == "search"
    bulk = BulkEnumerationForm(
        None if is_search else request.POST or None,
        institution_id=place.pk,
        can_override=can_override,
    )
    if is_search:
        query = "" if "clear" in request.POST else request.POST.get("q", "").strip()[:100]
        request.session[_search_key(place.pk)] = query
        return redirect(_worklist_url(request, place.pk))
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("selected") if x.isdigit()]
        if not ids:
            bulk.is_valid()
            bulk.add_error(None, _("Select at least one person."))
        elif bulk.is_valid():
            values = bulk.update_values()
            try:
                services.enumeration_record_batch(
                    actor=request.user,
                    updates=[{**values, "respondent_id": pk} for pk in ids],
                )
            except ValidationError as error:
                form_add_service_errors(bulk, error, fields=STAFF_FIELD)
            else:
                saved = ngettext(
                    "Saved for %(count)d person.", "Saved for %(count)d people.", len(ids)
                )
                messages.success(request, saved % {"count": len(ids)})
                return redirect(_worklist_url(request, place.pk))
    query = request.session.get(_search_key(place.pk), "")
    filters = WorklistFilterSet(
        request.GET or None,
        queryset=selectors.enumeration_worklist(
            user=request.user,
            campaign=campaign,
            institution_id=place.pk,
            query=query,
            outcome_only=True,
        ),
    )
    rows, cleaned = page_rows(filters)
    # The summary reads the list's counters, as the dashboard does: its cost does not grow
    # with the people on the list (the page shows one page of them). By primary key, so
    # its SQL is compiled once per campaign and process (``institution_figures``).
    own = progress.progress_of_institutions(board_queryset([place.pk]), campaign).get(
        place.pk, progress.Progress()
    )
    # The rows are counted, not told the counters' "listed": a stale counter must not hide
    # anyone from the worklist. Counted with the page's rows, in the same query.
    page = page_with_count(rows, request.GET.get("page"), per_page=PAGE_SIZE)
    # Filter names only: the text typed (a name, an IIN) never reaches the trail.
    record_list(
        request=request,
        params={"query": query, **cleaned},
        object_type=RESPONDENT,
        record_count=page.paginator.count,
        institution=place.pk,
        extra={"page": "worklist"},
    )
    return render(
        request,
        "enumeration/worklist.html",
        {
            "institution": place,
            "campaign": campaign,
            "page": page,
            "query": query,
            "filters": filters.form,
            "filter_params": filter_query(request, WorklistFilterSet),
            "bulk": bulk,
            "summary": own,
            "methods": EnumerationMethod.choices,
            "statuses": EnumerationStatus.choices,
        },
    )


@rule_required("enumeration.record")
@require_http_methods(["GET", "POST"])
def enumeration_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The quick update of one person: the form opens on the status, “save and next” follows."""
    campaign = selected_campaign(request)
    respondent = selectors.enumeration_respondent_get(user=request.user, campaign=campaign, pk=pk)
    current = getattr(respondent, "enumeration", None)
    initial: dict[str, Any] = {
        "status": EnumerationStatus.ENUMERATED,
        "enumerated_on": clock.today(),  # a suggestion the officer can change
    }
    if current is not None:
        initial = {name: getattr(current, name) for name in services.VALUE_FIELDS}
        initial["staff"] = current.staff_id
    institution_id = respondent.respondent_list.institution_id
    form = EnumerationForm(
        request.POST or None,
        initial=initial,
        institution_id=institution_id,
        can_override=allowed(request.user, "enumeration.override_window"),
    )
    if request.method == "POST" and form.is_valid():
        update = services.EnumerationUpdate.from_mapping(
            {**form.update_values(), "respondent_id": respondent.pk}
        )
        try:
            services.enumeration_record(actor=request.user, update=update)
        except ValidationError as error:
            form_add_service_errors(form, error, fields=STAFF_FIELD)
        else:
            messages.success(request, _("Saved."))
            if "save_next" in request.POST:
                following = selectors.next_pending_after(
                    user=request.user, campaign=campaign, respondent=respondent
                )
                if following is not None:
                    return redirect("enumeration:enumeration_edit", pk=following.pk)
            return redirect("enumeration:worklist_of", institution=institution_id)
    if request.method == "GET":
        record_read(request, obj=respondent, institution=respondent.respondent_list.institution_id)
    history = current.changes.select_related("actor")[:20] if current is not None else []
    return render(
        request,
        "enumeration/enumeration_form.html",
        {"respondent": respondent, "form": form, "enumeration": current, "history": history},
    )


# --- certificates ------------------------------------------------------------------


@rule_required("certificate.issue")
@require_POST
def certificate_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = selected_campaign(request)
    respondent = selectors.enumeration_respondent_get(user=request.user, campaign=campaign, pk=pk)
    try:
        certificate = services.certificate_issue(actor=request.user, respondent=respondent)
    except ValidationError as error:
        messages.error(request, service_error_message(error))
    else:
        messages.success(
            request,
            _("Certificate No. %(number)s issued.") % {"number": certificate.display_number},
        )
    return redirect("enumeration:enumeration_edit", pk=pk)


@rule_required("certificate.issue")
@require_POST
def certificate_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A printing is a deliberate act: it is recorded, and every reprint says “duplicate”."""
    campaign = selected_campaign(request)
    certificate = selectors.certificate_get(user=request.user, campaign=campaign, pk=pk)
    language = request.POST.get("language", "")
    if language not in CERTIFICATE_LANGUAGES:
        language = CERTIFICATE_LANGUAGES[0]
    return certificate_print_response(request, certificate=certificate, language=language)


REGISTER_HEADERS = (
    gettext_lazy("Number"),
    gettext_lazy("Date of issue"),
    gettext_lazy("Full name"),
    gettext_lazy("Birth date"),
    gettext_lazy("Institution"),
    gettext_lazy("Issued by"),
)


@rule_required("certificate.issue")
@require_http_methods(["GET", "POST"])
def certificate_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Issued certificates in number order; POST downloads the register as XLSX.

    The register names people, so the commission does not get it (it has the figures)."""
    campaign = selected_campaign(request)
    certificates = selectors.certificate_list(user=request.user, campaign=campaign)
    if request.method == "POST":
        logger.info("certificate register exported", extra={"user_id": request.user.pk})
        record_read(
            request,
            AuditAction.EXPORT,
            object_type="enumeration.certificate",
            record_count=certificates.count(),
            institution=request.user.institution_id,
            extra={"format": "xlsx"},
        )
        return xlsx_response(
            filename=f"certificates-{campaign.code}.xlsx",
            headers=[str(h) for h in REGISTER_HEADERS],
            rows=(
                [
                    c.display_number,
                    c.issued_on,
                    c.respondent.full_name,
                    c.respondent.birth_date,
                    c.respondent.respondent_list.institution.name,
                    c.issued_by.get_full_name() or c.issued_by.username,
                ]
                for c in certificates.iterator()
            ),
        )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    record_read(
        request,
        object_type="enumeration.certificate",
        record_count=page.paginator.count,
        institution=request.user.institution_id,
    )
    return render(
        request,
        "enumeration/certificates.html",
        {"page": page, "campaign": campaign},
    )


# --- progress ----------------------------------------------------------------------


def _level(params: QueryDict) -> tuple[Region | None, District | None]:
    """The drill-down position from the query (or the export form, which repeats it);
    unknown ids fall back to the top."""
    region = district = None
    if (value := params.get("district", "")).isdigit():
        district = District.objects.select_related("region").filter(pk=int(value)).first()
        region = district.region if district else None
    elif (value := params.get("region", "")).isdigit():
        region = Region.objects.filter(pk=int(value)).first()
    return region, district


@dataclass(frozen=True)
class _View:
    """The level of the dashboard being viewed, as the report selectors take it."""

    region: Region | None = None
    district: District | None = None
    region_id: int | None = None
    district_id: int | None = None


def _view_of(request: AuthenticatedHttpRequest, params: QueryDict) -> _View:
    """An officer's view is their own institution's: the same scoped report at the level of
    their district, which holds nothing else they may see (no drill-down)."""
    if role_of(request.user) == Role.OFFICER:
        return _View(district_id=request.user.institution.district_id)  # type: ignore[union-attr]  # the rule admits users with an institution
    region, district = _level(params)
    return _View(
        region=region,
        district=district,
        region_id=region.pk if region else None,
        district_id=district.pk if district else None,
    )


@rule_required("dashboard.view")
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Progress of stage 2, region → district → institution, with a daily chart; an
    officer sees the same figures for their own institution only (read-only)."""
    campaign = selected_campaign(request)
    view = _view_of(request, request.GET)
    levels = {"region_id": view.region_id, "district_id": view.district_id}
    report = progress.progress_report(user=request.user, campaign=campaign, **levels)
    daily = progress.progress_daily(user=request.user, campaign=campaign, **levels)
    return render(
        request,
        "enumeration/dashboard.html",
        {
            "campaign": campaign,
            "report": report,
            "region": view.region,
            "district": view.district,
            "chart": progress.daily_chart(daily),
            "daily": daily,
            "methods": EnumerationMethod.choices,
            "reasons": NonEnumerationReason.choices,
            "is_department_user": role_of(request.user) == Role.DEPARTMENT,
            "is_officer_view": role_of(request.user) == Role.OFFICER,
        },
    )


def _export_headers() -> list[str]:
    return [
        _("Region"),
        _("District"),
        _("Institution type"),
        _("BIN"),
        _("Institution"),
        _("Listed"),
        *[str(label) for _value, label in EnumerationMethod.choices],
        _("Enumerated"),
        _("Pending"),
        *[str(label) for _value, label in NonEnumerationReason.choices],
        _("Not enumerated"),
        _("Enumerated, %"),
    ]


@rule_required("progress.export")
@require_POST
def progress_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The progress report per institution as XLSX (a deliberate download) of the level
    the dashboard shows: a district's export holds that district's institutions."""
    campaign = selected_campaign(request)
    view = _view_of(request, request.POST)
    report = progress.progress_report(
        user=request.user,
        campaign=campaign,
        region_id=view.region_id,
        district_id=view.district_id,
    )
    region, district = view.region, view.district
    logger.info("progress report exported", extra={"user_id": request.user.pk})
    # Figures per institution, no people; still a deliberate export on the trail.
    record_read(
        request,
        AuditAction.EXPORT,
        object_type="institutions.institution",
        record_count=len(report.institutions),
        extra={
            "report": "progress",
            "listed": report.total.listed,
            **({"district": district.pk} if district else {"region": region.pk} if region else {}),
        },
    )
    level = f"-{district.code}" if district else f"-{region.code}" if region else ""
    return xlsx_response(
        filename=f"progress-{campaign.code}{level}.xlsx",
        headers=_export_headers(),
        rows=progress.flatten_for_export(report.institutions),
        sheet_title=_("Progress"),
    )


@rule_required("dashboard.view")
def reconciliation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who is listed but without a result, who was enumerated through amendments, and who
    was enumerated but is no longer listed (left before the critical moment).

    The commission sees how many people each section holds, not who they are."""
    campaign = selected_campaign(request)
    section = request.GET.get("section", "outstanding")
    if section not in progress.SECTIONS:
        section = "outstanding"
    by_list = progress.reconciliation_by_list(user=request.user, campaign=campaign)
    counts = progress.reconciliation_counts(by_list=by_list)
    shows_people = allowed(request.user, "respondent.view_personal")
    rows = progress.ListByListRows(
        progress.reconciliation_section(user=request.user, campaign=campaign, section=section),
        by_list[section],
    )
    page = (
        CountedPaginator(rows, PAGE_SIZE, count=counts[section]).get_page(request.GET.get("page"))
        if shows_people
        else None
    )
    record_read(
        request,
        object_type=RESPONDENT,
        record_count=counts[section] if shows_people else 0,
        institution=request.user.institution_id,
        extra={"report": "reconciliation", "section": section, "names": shows_people},
    )
    return render(
        request,
        "enumeration/reconciliation.html",
        {
            "campaign": campaign,
            "section": section,
            "page": page,
            "shows_people": shows_people,
            "counts": counts,
            "base_url": reverse("enumeration:reconciliation"),
        },
    )
