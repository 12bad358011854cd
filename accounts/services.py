"""Writes on users."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from accounts.models import User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the interface language for the user's next sessions."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unsupported language {language!r}")
    user.language = language
    user.save(update_fields=["language"])
    return user
