"""FilterSets of stage 2's lists, by value as in the query string (``?status=pending``)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from census_coord.filtering import UtcIsoDateTimeFilter
from census_coord.widgets import PlainSelect
from enumeration.choices import EnumerationMethod, EnumerationStatus
from enumeration.selectors import pending_q
from respondents.models import Respondent


class WorklistFilterSet(django_filters.FilterSet):
    """The worklist's categories: never a name or an IIN (those are posted, not in URLs)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=EnumerationStatus.choices,
        empty_label="—",
        method="filter_status",
        widget=PlainSelect,
    )
    method = django_filters.ChoiceFilter(
        label=_("Method"),
        choices=EnumerationMethod.choices,
        empty_label="—",
        field_name="enumeration__method",
        widget=PlainSelect,
    )

    class Meta:
        model = Respondent
        fields = ["status", "method"]

    def filter_status(
        self, queryset: QuerySet[Respondent], name: str, value: str
    ) -> QuerySet[Respondent]:
        # Pending is also a person without an enumeration row yet.
        if value == EnumerationStatus.PENDING:
            return queryset.filter(pending_q())
        return queryset.filter(enumeration__status=value)


class OutcomeFilterSet(django_filters.FilterSet):
    """Stage-2 outcomes read back over the API (``enumeration.api.outcomes``): by status,
    method, institution (BIN) and the time of the last change; never by a name or IIN."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EnumerationStatus.choices, method="filter_status"
    )
    method = django_filters.ChoiceFilter(
        label=_("Method"), choices=EnumerationMethod.choices, field_name="enumeration__method"
    )
    institution = django_filters.CharFilter(
        label=_("Institution (BIN)"), field_name="respondent_list__institution__bin"
    )
    updated_since = UtcIsoDateTimeFilter(
        label=_("Changed since"), field_name="enumeration__updated_at", lookup_expr="gte"
    )

    class Meta:
        model = Respondent
        fields = ["status", "method", "institution", "updated_since"]

    def filter_status(
        self, queryset: QuerySet[Respondent], name: str, value: str
    ) -> QuerySet[Respondent]:
        if value == EnumerationStatus.PENDING:  # also a person without an enumeration row
            return queryset.filter(pending_q())
        return queryset.filter(enumeration__status=value)
