"""The types of who acts: ``Actor`` on every service and selector, and requests that carry one.

An ``Actor`` is a signed-in, active ``User``; its role comes from ``accounts.roles.role_of``
and its scope from ``institution`` (officers, institution API clients) and ``region``
(department staff of a region). The policy and the scoping also answer for an anonymous
visitor (``ActorOrAnonymous``: they refuse, or see nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, cast

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

Actor: TypeAlias = "User"
ActorOrAnonymous: TypeAlias = "User | AnonymousUser"


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required`` / ``rule_required``."""

    user: User


def actor_of(request: HttpRequest | Request) -> Actor:
    """The signed-in user of a request only signed-in users reach: the admin (staff login),
    an API view behind ``PolicyPermission``, a view behind ``rule_required``."""
    return cast("User", request.user)
