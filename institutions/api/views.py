from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from accounts.types import actor_of
from audit.mixins import AuditedViewSetMixin
from institutions.api.serializers import InstitutionSerializer
from institutions.filters import InstitutionFilterSet
from institutions.models import Institution
from institutions.selectors import institution_list


class InstitutionViewSet(AuditedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Institutions the caller may see: an institution's token sees only its own."""

    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilterSet

    def get_queryset(self) -> QuerySet[Institution]:
        return institution_list(user=actor_of(self.request)).order_by("name_kk", "pk")
