"""Roles: what kind of actor a user is, and the groups and permissions behind each.

A role is a Django group. The groups are created by migration; their permissions are
(re)assigned after every migrate from ``ROLE_PERMISSIONS`` so that apps added later
only need to extend that table.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.types import Actor, ActorOrAnonymous


class Role(models.TextChoices):
    DEPARTMENT = "department", _("Department staff")
    COMMISSION = "commission", _("Regional commission")
    OFFICER = "officer", _("Institution officer")
    API_CLIENT = "api_client", _("API client")


# app_label -> permission codename prefixes granted; "*" means every model of the app.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.DEPARTMENT: {
        "institutions": ("add", "change", "delete", "view"),
        "respondents": ("add", "change", "delete", "view"),
        "enumeration": ("add", "change", "delete", "view"),
        "equipment": ("add", "change", "delete", "view"),
        "sync": ("add", "change", "delete", "view"),
        "censusdb": ("view",),
        "reminders": ("change", "view"),
        # django-axes: see lockouts and unlock (delete) a (username, address) pair.
        "axes": ("view", "delete"),
    },
    Role.COMMISSION: {
        "institutions": ("view",),
        "respondents": ("view",),
        "enumeration": ("view",),
        "equipment": ("view",),
        "sync": ("view",),
    },
    Role.OFFICER: {},
    Role.API_CLIENT: {},
}


def role_of(user: ActorOrAnonymous | None) -> Role | None:
    """The single role a user acts in; institution-bound users are never region-wide."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.DEPARTMENT
    names = _group_names(user)
    if user.institution_id:
        return Role.API_CLIENT if Role.API_CLIENT in names else Role.OFFICER
    for role in (Role.DEPARTMENT, Role.COMMISSION, Role.API_CLIENT):
        if role in names:
            return role
    return None


def _group_names(user: Actor) -> set[str]:
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_group_names = cached
    return cached


def is_department(user: ActorOrAnonymous) -> bool:
    return role_of(user) == Role.DEPARTMENT


def is_commission(user: ActorOrAnonymous) -> bool:
    return role_of(user) == Role.COMMISSION


def is_region_wide(user: Actor) -> bool:
    """Department staff, the commission and department-wide API clients."""
    role = role_of(user)
    return role in (Role.DEPARTMENT, Role.COMMISSION) or (
        role == Role.API_CLIENT and not user.institution_id
    )


def sync_role_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create the role groups and give them exactly the permissions in ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = Permission.objects.none()
        for app_label, actions in grants.items():
            query = models.Q()
            for action in actions:
                query |= models.Q(codename__startswith=f"{action}_")
            wanted |= Permission.objects.filter(query, content_type__app_label=app_label)
        group.permissions.set(wanted)
