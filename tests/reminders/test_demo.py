import io

import pytest
from django.core.management import call_command

from reminders.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_reminders_and_unread_notifications(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", stdout=io.StringIO())
    assert Reminder.objects.filter(sent_at__isnull=False).exists()
    assert Notification.objects.filter(recipient__username="officer", read_at__isnull=True).exists()
    count = Reminder.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Reminder.objects.count() == count
