"""Reads of reminders and notifications, narrowed to the acting user."""

from __future__ import annotations

from functools import cache

from django.db import connection
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


@cache
def _unread_count_sql() -> str:
    quote, meta = connection.ops.quote_name, Notification._meta
    recipient, read_at = meta.get_field("recipient").column, meta.get_field("read_at").column
    # Identifiers from the model's meta, quoted; the user's id is the query's one parameter.
    return (
        f"SELECT COUNT(*) FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(recipient)} = %s AND {quote(read_at)} IS NULL"
    )


def notification_unread_count(*, user: Actor) -> int:
    """A user's unread notifications (the header's badge on every page): one count on the
    partial index of unread rows. Written as SQL: the ORM's building of the count cost
    more than the database's answer, on every page. The rows are
    ``notification_list(user=user).filter(read_at__isnull=True)``."""
    if not getattr(user, "is_authenticated", False):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_unread_count_sql(), [user.pk])
        (count,) = cursor.fetchone()
    return int(count)


def reminder_list(*, user: Actor) -> QuerySet[Reminder]:
    """The reminder log an actor may see: reminders about institutions in their scope."""
    return scope_queryset(
        Reminder.objects.select_related("recipient", "institution", "content_type"), user=user
    )
