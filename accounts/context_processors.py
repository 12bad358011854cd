"""Template context: the acting user's role, for navigation."""

from typing import Any

from django.http import HttpRequest

from accounts.roles import Role, role_of


def roles(request: HttpRequest) -> dict[str, Any]:
    role = role_of(getattr(request, "user", None))
    return {
        "user_role": role,
        "is_department": role == Role.DEPARTMENT,
        "is_commission": role == Role.COMMISSION,
        "is_officer": role == Role.OFFICER,
    }
