import io

import pytest
from django.core.management import call_command

from reminders.models import Notification, Reminder

# The demo is seeded once for the module (tests/demo_db.py); a second seeding runs in the test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def test_seed_demo_leaves_reminders_and_unread_notifications(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    assert Reminder.objects.filter(sent_at__isnull=False).exists()
    assert Notification.objects.filter(recipient__username="officer", read_at__isnull=True).exists()
    count = Reminder.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Reminder.objects.count() == count


def test_demo_shows_list_and_kit_reminders_and_the_digest(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    sent = Reminder.objects.filter(sent_at__isnull=False)
    # The demo officer's institution still holds two kits under a signed act.
    assert sent.filter(kind="kits_not_returned", recipient__username="officer").exists()
    # Late lists belong to institutions without demo officers: the digest shows them.
    digest = sent.get(kind="department_digest", recipient__username="dept")
    kinds = {code for item in digest.context["institutions"] for code in item["kinds"]}
    assert {"list_not_submitted", "kits_not_returned"} <= kinds
