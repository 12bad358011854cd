"""The one place that decides which institutions' data an actor may see.

Selectors in every app narrow their querysets with ``scope_queryset``; views never build
an unscoped queryset of personal data.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from accounts.roles import is_region_wide, role_of
from accounts.types import ActorOrAnonymous

M = TypeVar("M", bound=Model)


def scope_queryset(
    queryset: QuerySet[M], *, user: ActorOrAnonymous, institution_path: str = "institution"
) -> QuerySet[M]:
    """Narrow ``queryset`` to the rows ``user`` may see.

    ``institution_path`` is the lookup from the queried model to its Institution
    (``""`` when the model is Institution itself).
    """
    if not user.is_authenticated or role_of(user) is None:
        return queryset.none()
    prefix = f"{institution_path}__" if institution_path else ""
    if user.institution_id:
        return queryset.filter(**{f"{prefix}pk" if prefix else "pk": user.institution_id})
    if is_region_wide(user):
        if user.region_id:
            return queryset.filter(**{f"{prefix}district__region": user.region_id})
        return queryset
    return queryset.none()
