"""FilterSets of the census-database pages."""

from __future__ import annotations

import django_filters
from django.db.models import F, QuerySet
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from institutions.models import District, Institution, InstitutionType, Region

SECTION_CHOICES = [
    ("in_db", _("Listed and in the census database")),
    ("not_in_db", _("Listed, not in the census database")),
    ("unlisted", _("In the census database here, on no list")),
    ("elsewhere", _("Listed here, enumerated elsewhere")),
]


class ReconciliationFilterSet(django_filters.FilterSet):
    """The reconciliation's filters over institutions annotated with their counters
    (``selectors.reconciliation_institutions``). Region, district, type by code and the
    institution by BIN (natural keys); a section keeps the institutions that have anyone
    in it, and names whose people the page lists."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        field_name="district__region",
        empty_label=_("All regions"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District or city"),
        queryset=District.objects.all(),
        to_field_name="code",
        empty_label=_("All districts"),
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        to_field_name="bin",
        field_name="pk",
        method="filter_institution",
    )
    type = django_filters.ModelChoiceFilter(
        label=_("Institution type"),
        queryset=InstitutionType.objects.all(),
        to_field_name="code",
        empty_label=_("All types"),
    )
    section = django_filters.ChoiceFilter(
        label=_("Section"),
        choices=SECTION_CHOICES,
        empty_label=_("All sections"),
        method="filter_section",
    )

    class Meta:
        model = Institution
        fields = ["region", "district", "institution", "type", "section"]

    def filter_institution(
        self, queryset: QuerySet[Institution], name: str, value: Institution | None
    ) -> QuerySet[Institution]:
        return queryset.filter(pk=value.pk) if value is not None else queryset

    def filter_section(
        self, queryset: QuerySet[Institution], name: str, value: str
    ) -> QuerySet[Institution]:
        if value == "not_in_db":
            # The counters are annotations (the stubs know only model fields): a lookup.
            return queryset.filter(GreaterThan(F("listed"), F("in_db") + F("elsewhere")))
        if value in ("in_db", "unlisted", "elsewhere"):
            return queryset.filter(GreaterThan(F(value), 0))
        return queryset
