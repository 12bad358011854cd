"""Reads of reminders and notifications, narrowed to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.scoping import scope_queryset
from accounts.types import Actor
from reminders.models import Notification, Reminder


def notification_list(*, user: Actor) -> QuerySet[Notification]:
    """A user's own notifications, newest first; nobody reads another's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get(*, user: Actor, pk: int) -> Notification:
    try:
        return notification_list(user=user).get(pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc


def notification_unread_count(*, user: Actor) -> int:
    """One indexed count query (partial index on unread rows)."""
    return notification_list(user=user).filter(read_at__isnull=True).count()


def reminder_list(*, user: Actor) -> QuerySet[Reminder]:
    """The reminder log an actor may see: reminders about institutions in their scope."""
    return scope_queryset(
        Reminder.objects.select_related("recipient", "institution", "content_type"), user=user
    )
