"""The header's unread badge (``notification_unread_count``, one SQL count on every page)
counts what the notifications page lists as unread: the user's own, unread, nobody else's."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from reminders.selectors import notification_list, notification_unread_count
from tests.reminders.factories import NotificationFactory

pytestmark = pytest.mark.django_db
BADGE = re.compile(r'<span class="badge badge-warn" aria-hidden="true">(\d+)</span>')


@pytest.mark.parametrize("unread", [0, 1, 2, 5])
def test_the_badge_counts_the_user_s_unread_notifications(client_for, officer_a, officer_b, unread):
    NotificationFactory.create_batch(unread, recipient=officer_a)
    NotificationFactory.create_batch(2, recipient=officer_a, read_at=timezone.now())
    NotificationFactory.create_batch(3, recipient=officer_b)  # another's: never counted
    assert notification_unread_count(user=officer_a) == unread
    assert unread == notification_list(user=officer_a).filter(read_at__isnull=True).count()
    assert notification_unread_count(user=officer_b) == 3
    page = client_for(officer_a).get(reverse("institutions:officer_home")).content.decode()
    assert BADGE.findall(page) == ([str(unread)] if unread else [])


def test_reading_one_takes_it_off_the_badge(client_for, department_user):
    first, _second = NotificationFactory.create_batch(2, recipient=department_user)
    client = client_for(department_user)
    assert BADGE.findall(client.get(reverse("reminders:notifications")).content.decode()) == ["2"]
    first.read_at = timezone.now()
    first.save(update_fields=["read_at"])
    assert BADGE.findall(client.get(reverse("reminders:notifications")).content.decode()) == ["1"]
    assert notification_unread_count(user=AnonymousUser()) == 0
