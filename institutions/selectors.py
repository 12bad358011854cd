"""Reads of institutions, campaigns and staff, always narrowed to the acting user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.roles import role_of
from accounts.scoping import scope_queryset
from institutions.choices import ReportKind
from institutions.models import (
    AppointmentOrder,
    Campaign,
    District,
    Institution,
    InstitutionType,
    Provisioning,
    ResponsibleStaff,
    Seminar,
    SeminarAttendance,
)
from institutions.models.reporting import ReportedByInstitution
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


def appointment_order_list(*, user: Any) -> QuerySet[AppointmentOrder]:
    return scope_queryset(AppointmentOrder.objects.select_related("institution"), user=user)


def seminar_list(*, user: Any, campaign: Campaign) -> QuerySet[Seminar]:
    """The campaign's seminars: the Department holds them for the whole region, so every
    role sees them (who attends is scoped: ``seminar_attendance_list``)."""
    if role_of(user) is None:
        return Seminar.objects.none()
    return Seminar.objects.filter(campaign=campaign).order_by("date", "pk")


def seminar_get(*, user: Any, campaign: Campaign, pk: int) -> Seminar:
    try:
        return seminar_list(user=user, campaign=campaign).get(pk=pk)
    except Seminar.DoesNotExist as exc:
        raise Http404 from exc


# What an institution reports, by kind: the model and the lookup to its institution.
REPORTED_MODELS: dict[str, tuple[type[ReportedByInstitution], str]] = {
    ReportKind.ORDER: (AppointmentOrder, "institution"),
    ReportKind.STAFF: (ResponsibleStaff, "institution"),
    ReportKind.PROVISIONING: (Provisioning, "staff__institution"),
    ReportKind.ATTENDANCE: (SeminarAttendance, "staff__institution"),
}
_REPORTED_RELATED = {
    ReportKind.ORDER: ("institution__district",),
    ReportKind.STAFF: ("institution__district", "order"),
    ReportKind.PROVISIONING: ("staff__institution__district",),
    ReportKind.ATTENDANCE: ("staff__institution__district", "seminar"),
}


@dataclass(frozen=True)
class ReportedItem:
    """One item an institution reported, as the review queue and the officer list it."""

    kind: ReportKind
    item: Any

    @property
    def institution(self) -> Institution:
        if self.kind in (ReportKind.ORDER, ReportKind.STAFF):
            return self.item.institution
        return self.item.staff.institution


def reported_queryset(*, user: Any, kind: str) -> QuerySet[Any]:
    """Items of ``kind`` an institution reported (reported at least once), in the user's
    scope; the Department's own records are not in the queue."""
    model, path = REPORTED_MODELS[kind]
    queryset = model.objects.filter(reported_at__isnull=False).select_related(
        "reported_by", "reviewed_by", *_REPORTED_RELATED[kind]
    )
    return scope_queryset(queryset, user=user, institution_path=path)


def reported_item_get(*, user: Any, kind: str, pk: int) -> Any:
    if kind not in REPORTED_MODELS:
        raise Http404
    try:
        return reported_queryset(user=user, kind=kind).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def reported_item_list(
    *,
    user: Any,
    kind: str | None = None,
    state: str | None = None,
    district: District | None = None,
    institution: Institution | None = None,
) -> list[ReportedItem]:
    """The queue "reported by institutions", newest report first, narrowed by the filters."""
    rows: list[ReportedItem] = []
    for code in REPORTED_MODELS:
        if kind and code != kind:
            continue
        _model, path = REPORTED_MODELS[code]
        queryset = reported_queryset(user=user, kind=code)
        if state:
            queryset = queryset.filter(report_state=state)
        if district is not None:
            queryset = queryset.filter(**{f"{path}__district": district})
        if institution is not None:
            queryset = queryset.filter(**{path: institution})
        rows.extend(ReportedItem(kind=ReportKind(code), item=item) for item in queryset)
    rows.sort(key=lambda row: row.item.reported_at, reverse=True)
    return rows
