"""FilterSets shared by the API and the HTML lists of kits and acts."""

from __future__ import annotations

import django_filters

from equipment.models import HandoverAct, TabletKit


class TabletKitFilterSet(django_filters.FilterSet):
    class Meta:
        model = TabletKit
        fields = ["state"]


class HandoverActFilterSet(django_filters.FilterSet):
    class Meta:
        model = HandoverAct
        fields = ["status"]
