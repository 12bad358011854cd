from __future__ import annotations

from rest_framework import serializers

from reminders.models import Notification


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="true: only the unread ones")


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ("id", "subject", "body", "path", "created_at", "read_at", "is_read")
        read_only_fields = fields
