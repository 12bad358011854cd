"""FilterSets of the sync board (HTML) and the sync records (API)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from equipment.models import TabletKit
from sync.models import SyncRecord


class TabletBoardFilterSet(django_filters.FilterSet):
    """The board's tablets (kits from ``selectors.tablet_board_kits``, annotated ``stale``)."""

    stale = django_filters.ChoiceFilter(
        label=_("Tablets"),
        choices=[("1", _("Stale only"))],
        empty_label=_("All"),
        method="filter_stale",
    )

    holding = django_filters.ChoiceFilter(
        label=_("Census forms"),
        choices=[("1", _("Tablets holding forms not in the census database"))],
        empty_label=_("All"),
        method="filter_holding",
    )

    class Meta:
        model = TabletKit
        fields = ["stale", "holding"]

    def filter_stale(
        self, queryset: QuerySet[TabletKit], name: str, value: str
    ) -> QuerySet[TabletKit]:
        return queryset.filter(stale=True)  # type: ignore[misc]  # annotated by tablet_board_kits

    def filter_holding(
        self, queryset: QuerySet[TabletKit], name: str, value: str
    ) -> QuerySet[TabletKit]:
        """Kits that sent more forms than the census database holds naming them."""
        return queryset.filter(forms_missing__gt=0)  # type: ignore[misc]  # annotated by tablet_board_kits


class SyncRecordFilterSet(django_filters.FilterSet):
    """The API's sync records by channel and USB stage."""

    class Meta:
        model = SyncRecord
        fields = ["channel", "usb_stage"]
