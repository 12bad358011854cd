"""FilterSets of the census-database pages."""

from __future__ import annotations

import django_filters
from django.db.models import F, QuerySet
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from censusdb.models import CensusReview
from censusdb.selectors import REVIEW_STATES
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


class ReconciliationPeopleFilterSet(ReconciliationFilterSet):
    """The API's people of a section (``censusdb.api.reconciliation``): the same filters,
    the section required."""

    section = django_filters.ChoiceFilter(
        label=_("Section"),
        choices=SECTION_CHOICES,
        required=True,
        method="filter_section",
    )


REVIEW_STATE_CHOICES = [
    ("open", pgettext_lazy("reviews", "Open")),
    ("decided", pgettext_lazy("reviews", "Decided")),
]


class CensusReviewFilterSet(django_filters.FilterSet):
    """The review queue: the open reviews, or ``state=decided`` for those decided already
    (accepted or rejected), the latest first; ``state=open`` is the default."""

    state = django_filters.ChoiceFilter(
        label=_("Reviews"), choices=REVIEW_STATE_CHOICES, method="filter_state"
    )

    class Meta:
        model = CensusReview
        fields = ["state"]

    def filter_state(
        self, queryset: QuerySet[CensusReview], name: str, value: str
    ) -> QuerySet[CensusReview]:
        return queryset  # ``filter_queryset`` narrows by the state, open without one

    def filter_queryset(self, queryset: QuerySet[CensusReview]) -> QuerySet[CensusReview]:
        state = self.form.cleaned_data.get("state") or "open"
        queryset = super().filter_queryset(queryset).filter(state__in=REVIEW_STATES[state])
        if state == "decided":  # the latest decisions first
            return queryset.order_by("-resolved_at", "-pk")
        return queryset
