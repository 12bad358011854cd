"""Factories for reminders and notifications."""

from __future__ import annotations

import datetime as dt

import factory

from reminders.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Еске салу {n}")
    body = "Семинар жақында өтеді."
    path = "/institutions/mine/"


DAY = dt.timedelta(days=1)
