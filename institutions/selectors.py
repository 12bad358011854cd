"""Reads of institutions, campaigns and staff, always narrowed to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.scoping import scope_queryset
from institutions.models import Campaign, Institution, ResponsibleStaff


def campaign_get_active() -> Campaign:
    """The active campaign; every date the code uses comes from it."""
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None:
        raise Campaign.DoesNotExist("No active census campaign is configured.")
    return campaign


def institution_list(*, user: Any) -> QuerySet[Institution]:
    return scope_queryset(
        Institution.objects.select_related("type", "district", "district__region"),
        user=user,
        institution_path="",
    )


def institution_get(*, user: Any, pk: int) -> Institution:
    """One institution the user may see; 404 otherwise, so existence is not revealed."""
    try:
        return institution_list(user=user).get(pk=pk)
    except Institution.DoesNotExist as exc:
        raise Http404 from exc


def staff_list(*, user: Any) -> QuerySet[ResponsibleStaff]:
    return scope_queryset(ResponsibleStaff.objects.select_related("institution", "user"), user=user)
