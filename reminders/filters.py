"""The FilterSet of a user's notifications, shared by the notifications page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reminders.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    """``unread=true``: only the unread ones (``false``, or none, lists them all)."""

    unread = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("true", _("Show unread only")), ("false", _("Show all"))],
        method="filter_unread",
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=True) if value == "true" else queryset
