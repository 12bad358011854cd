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

    class Meta:
        model = TabletKit
        fields = ["stale"]

    def filter_stale(
        self, queryset: QuerySet[TabletKit], name: str, value: str
    ) -> QuerySet[TabletKit]:
        return queryset.filter(stale=True)  # type: ignore[misc]  # annotated by tablet_board_kits


class SyncRecordFilterSet(django_filters.FilterSet):
    """The API's sync records by channel and USB stage."""

    class Meta:
        model = SyncRecord
        fields = ["channel", "usb_stage"]
