"""Read-only API of kits and acts, scoped like the pages; writes stay on the department pages."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from equipment import selectors
from equipment.api.serializers import HandoverActSerializer, TabletKitSerializer
from equipment.filters import HandoverActFilterSet, TabletKitFilterSet
from equipment.models import HandoverAct, TabletKit


class TabletKitViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TabletKitSerializer
    filterset_class = TabletKitFilterSet

    def get_queryset(self) -> QuerySet[TabletKit]:
        return selectors.kit_list(user=actor_of(self.request))


class HandoverActViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HandoverActSerializer
    filterset_class = HandoverActFilterSet

    def get_queryset(self) -> QuerySet[HandoverAct]:
        return selectors.act_list(user=actor_of(self.request)).prefetch_related("items__kit")
