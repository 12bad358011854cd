"""FilterSets of lists and their rows; the rows' is shared by the list page and the API.

Categories only, never names or IINs: these parameters appear in URLs (the text searched
for is posted and kept in the session, see ``respondents.views``).
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from census_coord.widgets import PlainSelect
from institutions.models import Institution
from respondents.choices import Citizenship, ConflictKind, ListStatus, ResidenceStatus, Sex
from respondents.models import DuplicateIinConflict, Respondent, RespondentList
from respondents.selectors import open_conflict_q

PRESENCE_CHOICES = [
    ("current", _("Living there now")),
    ("arrived", _("Arrived after the reference date")),
    ("departed", _("Departed after the reference date")),
]


class RespondentFilterSet(django_filters.FilterSet):
    """The list page's filters."""

    # The list's page renders these under every page of fifty people: the selects are
    # formatted in Python (``PlainSelect``, Django's markup).
    citizenship = django_filters.ChoiceFilter(
        label=_("Citizenship"), choices=Citizenship.choices, empty_label="—", widget=PlainSelect
    )
    residence_status = django_filters.ChoiceFilter(
        label=_("Residence status"),
        choices=ResidenceStatus.choices,
        empty_label="—",
        widget=PlainSelect,
    )
    presence = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=PRESENCE_CHOICES,
        empty_label=_("Everyone listed"),
        method="filter_presence",
        widget=PlainSelect,
    )

    class Meta:
        model = Respondent
        fields = ["citizenship", "residence_status", "presence"]

    def filter_presence(
        self, queryset: QuerySet[Respondent], name: str, value: str
    ) -> QuerySet[Respondent]:
        if value == "current":
            return queryset.filter(departed_on__isnull=True)
        if value == "departed":
            return queryset.filter(departed_on__isnull=False)
        return queryset.filter(arrived_on__isnull=False)


class RespondentApiFilterSet(RespondentFilterSet):
    """The API's: the page's filters and sex (a column the page does not filter on)."""

    sex = django_filters.ChoiceFilter(choices=Sex.choices)

    class Meta(RespondentFilterSet.Meta):
        fields = [*RespondentFilterSet.Meta.fields, "sex"]


class RespondentListFilterSet(django_filters.FilterSet):
    """The API's lists by status and by campaign code (a natural key, as in imports)."""

    status = django_filters.ChoiceFilter(choices=ListStatus.choices)
    campaign = django_filters.CharFilter(field_name="campaign__code")

    class Meta:
        model = RespondentList
        fields = ["status", "campaign"]


class ListBoardFilterSet(django_filters.FilterSet):
    """The lists board's filter: the list's status; ``none``: no list started. It only
    checks the value: the board narrows its ``(pk, status)`` pairs itself
    (``selectors.board_with_status``)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("none", _("Not started")), *ListStatus.choices],
        method="filter_status",
    )

    class Meta:
        model = Institution
        fields = ["status"]

    def filter_status(
        self, queryset: QuerySet[Institution], name: str, value: str
    ) -> QuerySet[Institution]:
        return queryset  # narrowed by ``selectors.board_with_status``


class ConflictFilterSet(django_filters.FilterSet):
    """The conflict queue: the open conflicts, or ``show=all`` with the resolved too;
    ``kind`` narrows to the same IIN (``iin``) or the possible duplicates (``possible``)."""

    show = django_filters.ChoiceFilter(
        label=_("Show"), choices=[("all", _("Show resolved too"))], method="filter_show"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConflictKind.choices)

    class Meta:
        model = DuplicateIinConflict
        fields = ["show", "kind"]

    def filter_show(
        self, queryset: QuerySet[DuplicateIinConflict], name: str, value: str
    ) -> QuerySet[DuplicateIinConflict]:
        return queryset  # every conflict; without it, ``filter_queryset`` keeps the open ones

    def filter_queryset(
        self, queryset: QuerySet[DuplicateIinConflict]
    ) -> QuerySet[DuplicateIinConflict]:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("show") != "all":
            queryset = queryset.filter(open_conflict_q())
        return queryset
