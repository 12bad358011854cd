from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.types import actor_of
from reminders.api.serializers import NotificationSerializer
from reminders.filters import NotificationFilterSet
from reminders.models import Notification
from reminders.selectors import notification_list
from reminders.services import notification_mark_read, notifications_mark_all_read


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications; another user's answer 404."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet

    def get_queryset(self) -> QuerySet[Notification]:
        return notification_list(user=actor_of(self.request))

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = notification_mark_read(
            user=actor_of(request), notification=self.get_object()
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "NotificationsMarkedRead", {"marked_read": serializers.IntegerField()}
        ),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked_read": notifications_mark_all_read(user=actor_of(request))})
