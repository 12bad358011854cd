"""Reads of the census-database import; every read of institution data is scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.roles import Role, role_of
from accounts.scoping import scope_queryset
from accounts.types import Actor
from censusdb.models import CensusExport, CensusRecord, CensusReview, RecordState, ReviewState
from institutions.models import Campaign, Institution


def _departmental(user: Actor) -> bool:
    """The Department, or its region-wide client software."""
    role = role_of(user)
    return role == Role.DEPARTMENT or (role == Role.API_CLIENT and not user.institution_id)


def census_export_list(*, user: Actor) -> QuerySet[CensusExport]:
    """The Department's imports (an export spans the region: no officer sees them)."""
    if not _departmental(user):
        return CensusExport.objects.none()
    return CensusExport.objects.select_related("created_by")


def census_export_get(*, user: Actor, pk: int) -> CensusExport:
    try:
        return census_export_list(user=user).get(pk=pk)
    except CensusExport.DoesNotExist as exc:
        raise Http404 from exc


def census_record_list(*, user: Actor, campaign: Campaign) -> QuerySet[CensusRecord]:
    """The forms of the institutions ``user`` sees (by the BIN the form names)."""
    return scope_queryset(
        CensusRecord.objects.filter(campaign=campaign).select_related("institution", "respondent"),
        user=user,
        institution_path="institution",
    ).order_by("institution__bin", "surname", "given_name", "pk")


STATE_COUNTS = {
    state: Count("census_records", filter=Q(census_records__state=state))
    for state in RecordState.values
}


def census_counts_by_institution(*, user: Actor, campaign: Campaign) -> QuerySet[Institution]:
    """Per institution ``user`` sees: its forms in the census database by state (counts
    only, for the commission too); one grouped query."""
    institutions = scope_queryset(
        Institution.objects.filter(census_records__campaign=campaign),
        user=user,
        institution_path="",
    )
    annotations: dict[str, Any] = {f"n_{state}": count for state, count in STATE_COUNTS.items()}
    return (
        institutions.annotate(total=Count("census_records"), **annotations)
        .select_related("district")
        .order_by("district__code", "bin")
    )


def census_review_list(*, user: Actor, state: str = ReviewState.OPEN) -> QuerySet[CensusReview]:
    """The Department's review queue (records of its region, and those naming no BIN)."""
    if not _departmental(user):
        return CensusReview.objects.none()
    reviews = CensusReview.objects.filter(state=state).select_related(
        "record", "record__institution"
    )
    if user.region_id:
        reviews = reviews.filter(
            Q(record__institution__district__region=user.region_id)
            | Q(record__institution__isnull=True)
        )
    return reviews.order_by("created_at", "pk")


def census_review_get(*, user: Actor, pk: int) -> CensusReview:
    try:
        return census_review_list(user=user).get(pk=pk)
    except CensusReview.DoesNotExist as exc:
        raise Http404 from exc
