"""FilterSets shared by the API and the HTML lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from institutions.models import District, Institution, InstitutionType


class InstitutionFilterSet(django_filters.FilterSet):
    """District and type are given by code (natural keys), as in imports."""

    district = django_filters.ModelChoiceFilter(
        label=_("District or city"),
        queryset=District.objects.all(),
        to_field_name="code",
        empty_label=_("All districts"),
    )
    type = django_filters.ModelChoiceFilter(
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
