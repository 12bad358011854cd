"""Template context: which kind of pages the signed-in user gets (a view mode, not a right).

``menu`` is the menu and home page of the user's kind: ``"region"`` for the Department and
the commission (a region's boards), ``"institution"`` for an officer (their institution's
pages), ``""`` otherwise; ``is_officer`` also picks an officer's columns of a shared table
(no "held by" column on their own institution's kits). Whether a link or a button is
shown is never decided here: each one asks the policy (``{% allowed "rule" %}``,
``census_coord.policy``), so the menu offers exactly the pages the user may open.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import Role, role_of
from accounts.types import ActorOrAnonymous

MENUS = {Role.DEPARTMENT: "region", Role.COMMISSION: "region", Role.OFFICER: "institution"}


def menu_of(user: ActorOrAnonymous | None) -> str:
    """The kind of menu (and home page) ``user`` gets: ``region``, ``institution`` or ``""``."""
    role = role_of(user)
    return MENUS.get(role, "") if role is not None else ""


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = role_of(user)
    return {"user_role": role, "menu": menu_of(user), "is_officer": role == Role.OFFICER}
