"""Template context: the signed-in user's unread notification count, for the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from reminders.selectors import notification_unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notification_unread_count(user=user)}
