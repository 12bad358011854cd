"""Reads of institutions, campaigns and staff, always narrowed to the acting user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset
from institutions.models import (
    Campaign,
    District,
    Institution,
    InstitutionType,
    Provisioning,
    ResponsibleStaff,
    SeminarAttendance,
)
from institutions.readiness import ItemResult, ReadinessItem, board_queryset, readiness_items


def campaign_get_active() -> Campaign:
    """The active campaign; every date the code uses comes from it."""
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None:
        raise Campaign.DoesNotExist("No active census campaign is configured.")
    return campaign


def institution_list(*, user: Any) -> QuerySet[Institution]:
    return scope_queryset(
        Institution.objects.select_related("type", "district", "district__region"),
        user=user,
        institution_path="",
    )


def institution_get(*, user: Any, pk: int) -> Institution:
    """One institution the user may see; 404 otherwise, so existence is not revealed."""
    try:
        return institution_list(user=user).get(pk=pk)
    except Institution.DoesNotExist as exc:
        raise Http404 from exc


def staff_list(*, user: Any) -> QuerySet[ResponsibleStaff]:
    return scope_queryset(ResponsibleStaff.objects.select_related("institution", "user"), user=user)


@dataclass(frozen=True)
class InstitutionReadiness:
    """One institution's row on the readiness board: a result per registered item."""

    institution: Institution
    results: tuple[tuple[ReadinessItem, ItemResult], ...]

    @property
    def done_count(self) -> int:
        return sum(result.done for _item, result in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def is_ready(self) -> bool:
        return self.done_count == self.total

    @property
    def missing(self) -> tuple[ReadinessItem, ...]:
        return tuple(item for item, result in self.results if not result.done)

    @property
    def next_item(self) -> ReadinessItem | None:
        missing = self.missing
        return missing[0] if missing else None

    @property
    def next_officer_step(self) -> tuple[ReadinessItem, ItemResult] | None:
        """The first open step the institution itself can take (the Department's own
        records, such as seminar attendance, are never the officer's next step)."""
        for item, result in self.results:
            if not result.done and not item.recorded_by_department:
                return item, result
        return None

    @property
    def waiting_on_department(self) -> tuple[ReadinessItem, ...]:
        return tuple(item for item in self.missing if item.recorded_by_department)


class ReadinessSort(models.TextChoices):
    NAME = "name", _("Name")
    DISTRICT = "district", _("District")
    TYPE = "type", _("Type")
    LEAST_READY = "least_ready", _("Least ready first")
    MOST_READY = "most_ready", _("Most ready first")


_SORT_KEYS: dict[str, Callable[[InstitutionReadiness], Any]] = {
    ReadinessSort.NAME: lambda row: row.institution.name.casefold(),
    ReadinessSort.DISTRICT: lambda row: (
        row.institution.district.name.casefold(),
        row.institution.name.casefold(),
    ),
    ReadinessSort.TYPE: lambda row: (
        row.institution.type.position,
        row.institution.name.casefold(),
    ),
    ReadinessSort.LEAST_READY: lambda row: (row.done_count, row.institution.name.casefold()),
    ReadinessSort.MOST_READY: lambda row: (-row.done_count, row.institution.name.casefold()),
}


def institution_readiness_list(
    *,
    user: Any,
    campaign: Campaign,
    institutions: QuerySet[Institution] | None = None,
    missing: str | None = None,
    sort: str = ReadinessSort.NAME,
) -> list[InstitutionReadiness]:
    """Readiness of every institution the user may see, computed from the data.

    ``institutions`` narrows further (e.g. a FilterSet's result) and is scoped again here.
    ``missing`` keeps institutions where that item is not done. Every registered item
    answers for all institutions at once, so the query count does not grow with them.
    """
    queryset = institution_list(user=user)
    if institutions is not None:
        queryset = queryset.filter(pk__in=institutions.values("pk"))
    rows = _with_reference_data(list(queryset.select_related(None)))
    if not rows:
        return []
    scoped = board_queryset(Institution.objects.filter(pk__in=[row.pk for row in rows]))
    items = readiness_items()
    computed = {item.code: item.compute(scoped, campaign) for item in items}
    not_done = ItemResult(done=False)
    board = [
        InstitutionReadiness(
            institution=institution,
            results=tuple(
                (item, computed[item.code].get(institution.pk, not_done)) for item in items
            ),
        )
        for institution in rows
    ]
    if missing:
        board = [row for row in board if any(item.code == missing for item in row.missing)]
    board.sort(key=_SORT_KEYS.get(sort, _SORT_KEYS[ReadinessSort.NAME]))
    return board


def _with_reference_data(institutions: list[Institution]) -> list[Institution]:
    """Give every institution its district (with region) and type, each built once and
    shared: a region's board holds hundreds of institutions but a few dozen districts, and
    joining them would build four model instances per row."""
    districts = District.objects.select_related("region").in_bulk(
        {institution.district_id for institution in institutions}
    )
    types = InstitutionType.objects.in_bulk({institution.type_id for institution in institutions})
    district_field = Institution._meta.get_field("district")
    type_field = Institution._meta.get_field("type")
    for institution in institutions:
        district_field.set_cached_value(institution, districts[institution.district_id])
        type_field.set_cached_value(institution, types[institution.type_id])
    return institutions


def institution_readiness_get(*, user: Any, campaign: Campaign, pk: int) -> InstitutionReadiness:
    rows = institution_readiness_list(
        user=user, campaign=campaign, institutions=Institution.objects.filter(pk=pk)
    )
    if not rows:
        raise Http404
    return rows[0]


def seminar_attendance_list(*, user: Any) -> QuerySet[SeminarAttendance]:
    return scope_queryset(
        SeminarAttendance.objects.select_related("seminar", "staff", "staff__institution"),
        user=user,
        institution_path="staff__institution",
    )


def provisioning_list(*, user: Any) -> QuerySet[Provisioning]:
    return scope_queryset(
        Provisioning.objects.select_related("staff", "staff__institution"),
        user=user,
        institution_path="staff__institution",
    )
