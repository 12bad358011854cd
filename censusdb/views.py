"""Pages of the census-database import: the Department's imports and review queue, the
forms of an institution (officer: their own), and the counts (the commission too)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.types import AuthenticatedHttpRequest
from audit.entry import record_list, record_read
from census_coord.errors import service_error_items
from census_coord.filtering import page_rows
from census_coord.forms import form_add_service_errors
from census_coord.pagination import paginate
from census_coord.policy import rule_required
from censusdb import selectors, services
from censusdb.filters import REVIEW_STATE_CHOICES, CensusReviewFilterSet
from censusdb.forms import CensusExportUploadForm, CensusReviewDecisionForm
from censusdb.models import CensusReview, RecordState, ReviewState
from enumeration.models import Enumeration
from institutions.campaigns import selected_campaign


@rule_required("censusdb.import")
@require_http_methods(["GET", "POST"])
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload an export; the imports so far with their progress and counts."""
    form = CensusExportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            export = services.census_export_create(
                actor=request.user, file=upload, file_name=upload.name
            )
        except ValidationError as error:
            form_add_service_errors(form, error, fields={"file_required": "file"})
        else:
            messages.success(request, _("The export is queued; this page shows its progress."))
            return redirect("censusdb:export_detail", pk=export.pk)
    page, params = paginate(request, selectors.census_export_list(user=request.user))
    return render(
        request, "censusdb/export_list.html", {"form": form, "page": page, "filter_params": params}
    )


@rule_required("censusdb.import")
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    export = selectors.census_export_get(user=request.user, pk=pk)
    return render(request, "censusdb/export_detail.html", {"export": export})


@rule_required("censusdb.records")
def record_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The forms the census database holds for the institutions the user sees (names:
    officers see their own institution's only; the commission has the counts page)."""
    campaign = selected_campaign(request)
    records = selectors.census_record_list(user=request.user, campaign=campaign)
    page, params = paginate(request, records)
    record_list(
        request=request,
        params={},
        object_type="censusdb.censusrecord",
        record_count=page.paginator.count,
        institution=request.user.institution_id,
    )
    return render(
        request,
        "censusdb/record_list.html",
        {"page": page, "filter_params": params, "campaign": campaign},
    )


@rule_required("censusdb.counts")
def counts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per institution: forms in the census database by state (numbers, no names)."""
    campaign = selected_campaign(request)
    rows = selectors.census_counts_by_institution(user=request.user, campaign=campaign)
    page, params = paginate(request, rows)
    return render(
        request,
        "censusdb/counts.html",
        {"page": page, "filter_params": params, "campaign": campaign, "states": RecordState},
    )


@rule_required("censusdb.review")
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The selected campaign's reviews: the open queue, or the decided ones (``state``)."""
    campaign = selected_campaign(request)
    filterset = CensusReviewFilterSet(
        request.GET or None,
        queryset=selectors.census_review_list(user=request.user, campaign=campaign, state=None),
    )
    reviews, values = page_rows(filterset)
    page, params = paginate(request, reviews)
    return render(
        request,
        "censusdb/review_list.html",
        {
            "page": page,
            "filter_params": params,
            "campaign": campaign,
            "state": values.get("state") or "open",
            "states": REVIEW_STATE_CHOICES,
        },
    )


def _review_page(
    request: AuthenticatedHttpRequest, context: dict[str, Any], *, refused: bool = False
) -> HttpResponse:
    """The review's page, its reading audited. ``refused``: a decision was posted to a
    review decided already (a second tab, a bookmark, another user first); nothing
    changed, and the page says so above the decision."""
    review: CensusReview = context["review"]
    if refused:
        messages.error(request, _("This form was decided already; its decision was not changed."))
    record_read(
        request,
        obj=review,
        record_count=len(context["candidates"]) + 1,
        institution=review.record.institution_id,
    )
    return render(request, "censusdb/review_detail.html", context, status=409 if refused else 200)


@rule_required("censusdb.review")
@require_http_methods(["GET", "POST"])
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The census form and its candidates side by side (with each one's current outcome);
    accept one, or reject. A decided review reads only: its decision, who made it and when."""
    review = selectors.census_review_get(user=request.user, pk=pk)
    candidates = list(review.candidates.select_related("respondent__respondent_list__institution"))
    outcomes = {
        e.respondent_id: e
        for e in Enumeration.objects.filter(respondent_id__in=[c.respondent_id for c in candidates])
    }
    for candidate in candidates:
        candidate.outcome = outcomes.get(candidate.respondent_id)  # type: ignore[attr-defined]  # for the template
    is_open = review.state == ReviewState.OPEN
    form = CensusReviewDecisionForm(
        request.POST if request.method == "POST" and is_open else None,
        candidates=[(c.respondent_id, c.respondent.full_name) for c in candidates],
    )
    context = {"review": review, "record": review.record, "candidates": candidates, "form": form}
    if request.method == "POST" and not is_open:
        return _review_page(request, context, refused=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.census_review_resolve(
                actor=request.user,
                review=review,
                accept=form.cleaned_data["decision"] == "accept",
                respondent_id=form.cleaned_data.get("respondent") or None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if "review_closed" in _codes(error):  # decided by someone else meanwhile
                review = selectors.census_review_get(user=request.user, pk=pk)
                return _review_page(
                    request, {**context, "review": review, "record": review.record}, refused=True
                )
            form_add_service_errors(form, error, fields={"respondent_id": "respondent"})
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("censusdb:review_list")
    return _review_page(request, context)


def _codes(error: ValidationError) -> set[str]:
    return {item.code for item in service_error_items(error)}
