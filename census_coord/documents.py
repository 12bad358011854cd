"""What official papers (acts, certificates) print about their issuer, in their language."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def department_details(language: str) -> dict[str, str]:
    """The Department's full name, address and place of issue in ``language`` (kk or ru);
    the Kazakh text when the language is not configured."""
    details: dict[str, dict[str, str]] = settings.DEPARTMENT_DETAILS
    return details.get(language) or details["kk"]


def person_name(user: Any) -> str:
    return user.get_full_name() or user.username
