"""FilterSets shared by the API and the HTML lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.types import Actor
from census_coord.filtering import ReferenceChoiceFilter
from institutions.choices import ReportKind, ReportState
from institutions.models import District, Institution, InstitutionType
from institutions.selectors import REPORTED_MODELS, institution_list


class InstitutionFilterSet(django_filters.FilterSet):
    """District and type are given by code (natural keys), as in imports."""

    district = ReferenceChoiceFilter(
        label=_("District or city"),
        queryset=District.objects.all(),
        to_field_name="code",
        empty_label=_("All districts"),
    )
    type = ReferenceChoiceFilter(
        label=_("Institution type"),
        queryset=InstitutionType.objects.all(),
        to_field_name="code",
        empty_label=_("All types"),
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))
    search = django_filters.CharFilter(
        label=pgettext_lazy("noun", "Search"), method="filter_search"
    )

    class Meta:
        model = Institution
        fields = ["district", "type", "is_active", "search"]

    def filter_search(
        self, queryset: QuerySet[Institution], name: str, value: str
    ) -> QuerySet[Institution]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(bin__startswith=value) | Q(name_kk__icontains=value) | Q(name_ru__icontains=value)
        )


class ReportedItemFilterSet(django_filters.FilterSet):
    """The review queue's filters ("reported by institutions").

    The queue merges four kinds of item, each its own model, so this one FilterSet narrows
    each kind's queryset in turn (``narrow``, called by ``selectors.reported_item_list``);
    its filters find the kind's institution through ``REPORTED_MODELS``. District and
    institution are given by code and BIN (natural keys), among those ``user`` may see.
    """

    district = django_filters.ModelChoiceFilter(
        label=_("District or city"),
        queryset=District.objects.none(),
        to_field_name="code",
        empty_label=_("All districts"),
        method="filter_district",
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        to_field_name="bin",
        empty_label=_("All institutions"),
        method="filter_institution",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReportKind.choices, empty_label=_("Any"), method="filter_kind"
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=ReportState.choices,
        empty_label=_("Any"),
        field_name="report_state",
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, user: Actor) -> None:
        super().__init__(data, queryset=Institution.objects.none())
        districts = District.objects.select_related("region").order_by("name_kk")
        if user.region_id:
            districts = districts.filter(region_id=user.region_id)
        self.filters["district"].queryset = districts
        self.filters["institution"].queryset = institution_list(user=user).order_by("name_kk")
        self._kind = ""

    def narrow(self, queryset: QuerySet[Any], *, kind: str) -> QuerySet[Any]:
        """``queryset`` (the items of ``kind``) narrowed by the filters; with a value unknown
        (an old bookmark), not narrowed at all, as ``census_coord.filtering.page_rows``."""
        self._kind = kind
        return self.filter_queryset(queryset) if self.is_valid() else queryset

    def _path(self) -> str:
        return REPORTED_MODELS[self._kind][1]

    def filter_district(self, queryset: QuerySet[Any], name: str, value: District) -> QuerySet[Any]:
        return queryset.filter(**{f"{self._path()}__district": value})

    def filter_institution(
        self, queryset: QuerySet[Any], name: str, value: Institution
    ) -> QuerySet[Any]:
        return queryset.filter(**{self._path(): value})

    def filter_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset if value == self._kind else queryset.none()
