"""The notifications page and API share one FilterSet (``reminders.filters``): ``unread``
narrows to the unread ones; nobody sees another user's notifications, filtered or not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.reminders.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(officer_a, officer_b):
    return {
        "unread": NotificationFactory(recipient=officer_a, subject="Тізімді жіберіңіз"),
        "read": NotificationFactory(
            recipient=officer_a, subject="Семинар өтті", read_at=timezone.now()
        ),
        "theirs": NotificationFactory(recipient=officer_b, subject="Басқа мекеменің хабары"),
    }


def _shown(html, notices):
    return {name for name, notice in notices.items() if notice.subject in html}


def test_unread_filter_narrows_the_notifications_page(client_for, officer_a, notices):
    client = client_for(officer_a)
    url = reverse("reminders:notifications")
    assert _shown(client.get(url).content.decode(), notices) == {"unread", "read"}
    only_unread = client.get(url, {"unread": "true"})
    assert _shown(only_unread.content.decode(), notices) == {"unread"}
    assert only_unread.context["show_unread"]  # the link back to all of them
    # An unknown value (an old bookmark) is ignored: everything of one's own is listed.
    assert _shown(client.get(url, {"unread": "maybe"}).content.decode(), notices) == {
        "unread",
        "read",
    }


def test_unread_filter_of_the_api_and_its_unknown_value(client_for, officer_a, notices):
    client = client_for(officer_a)
    url = "/api/v1/notifications/"
    subjects = [row["subject"] for row in client.get(url, {"unread": "true"}).json()["results"]]
    assert subjects == ["Тізімді жіберіңіз"]
    everything = {row["subject"] for row in client.get(url).json()["results"]}
    assert everything == {"Тізімді жіберіңіз", "Семинар өтті"}
    refused = client.get(url, {"unread": "maybe"})
    assert refused.status_code == 400
    assert [error["field"] for error in refused.json()["errors"]] == ["unread"]
